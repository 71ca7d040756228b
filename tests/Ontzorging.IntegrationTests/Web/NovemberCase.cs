using Microsoft.Extensions.DependencyInjection;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// Worked example A continued past October for the batch pages (issue 22): HH-A's unburdening is
/// extended by six months (decided in September), so November pays its fixed costs again; and
/// from November its energy company is paid at a second account, the change an approver must see.
/// </summary>
public static class NovemberCase
{
    public const string OldEnergyAccount = "NL69INGB0123456789";
    public const string NewEnergyAccount = "NL93RABO0123456780";

    public static async Task Import(RunningSite site)
    {
        var folder = Directory.CreateTempSubdirectory("ontzorging-november-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "events.csv"), "household_ref,date,event,value,reason\nHH-A,2026-09-20,extension,6,needs more time\n");
            await File.WriteAllTextAsync(Path.Combine(folder, "contracts.csv"),
                $"household_ref,kind,creditor_name,creditor_iban,amount,due_day,reference,valid_from,valid_to,consent_on\nHH-A,energy,Energie Voorbeeld,{NewEnergyAccount},150.00,1,,2026-11-01,,\n");
            await site.Database.Services.GetRequiredService<IntakeImporter>().Import(folder, "tester");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
