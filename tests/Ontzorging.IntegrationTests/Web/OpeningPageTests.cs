using AngleSharp.Html.Parser;
using NodaTime;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// The household page of a household that went live from an opening position (docs/rules.md §20):
/// worked example A cut over on 30 June 2026, unburdened before the engine through July, simulated
/// by the engine from August.
/// </summary>
[NonParallelizable]
public sealed class OpeningPageTests
{
    private RunningSite site = null!;
    private string input = null!;

    [OneTimeSetUp]
    public async Task StartSite()
    {
        input = Directory.CreateTempSubdirectory("ontzorging-opening-site-").FullName;
        foreach (var file in Directory.GetFiles(RepositoryPaths.Docs(Path.Combine("examples", "A", "input")), "*.csv"))
        {
            File.Copy(file, Path.Combine(input, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(input, IntakeFiles.Openings), string.Join('\n',
            "household_ref,line,cutover_on,unburdened_through,balance,credit_outstanding,kind,creditor_iban,amount,due_date,attempt,received_on,covers_from,covers_to,reference",
            "HH-A,position,2026-06-30,2026-07,12.34,321.99,,,,,,,,,",
            "HH-A,arrear,,,,,rent,NL20INGB0001234567,905.00,2026-07-01,1,,,,",
            "HH-A,received,,,,,huurtoeslag,,1520.00,,,2026-06-22,2026-04,2026-07,") + "\n");
        site = await RunningSite.Start(input: input, from: new YearMonth(2026, 8), through: new YearMonth(2026, 9));
    }

    [OneTimeTearDown]
    public async Task StopSite()
    {
        await site.DisposeAsync();
        Directory.Delete(input, recursive: true);
    }

    [Test]
    public async Task The_household_page_says_what_was_taken_over_at_the_cut_over_in_the_caseworkers_language()
    {
        using var carla = await site.SignedIn("carla");

        var html = await carla.GetStringAsync("/huishoudens/HH-A");

        var opening = new HtmlParser().ParseDocument(html).QuerySelector("#opening")!.TextContent;
        opening.Should().Contain("30 juni 2026").And.Contain("juli 2026").And.Contain("12,34").And.Contain("321,99")
            .And.Contain("1 open achterstand(en) van samen").And.Contain("905,00").And.Contain("2 ontvangst(en)");
    }
}
