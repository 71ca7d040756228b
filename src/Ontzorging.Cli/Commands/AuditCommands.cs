using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ontzorging.Infrastructure.Audit;
using Spectre.Console;

namespace Ontzorging.Cli.Commands;

/// <summary><c>ontzorging audit verify</c>: whether the audit log's hash chain is whole.</summary>
public static class AuditCommands
{
    public static Command Create(CliEnvironment env)
    {
        var json = CommonOptions.Json();
        var verify = new Command("verify", "Walk the audit log's hash chain: every record must hold the hash of the one before it, so a record altered, removed or slipped in afterwards (even by a superuser) is found. Prints the chain's head: note its hash elsewhere, it vouches for every record before it. Exit 1 at a break.\nExample: ontzorging audit verify")
        {
            json,
        };
        verify.SetAction((parse, ct) => env.Run(async token =>
        {
            var result = await env.Services.GetRequiredService<AuditLog>().Verify(token);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, result);
            }
            else if (result.FirstBreak is { } broken)
            {
                env.Out.WriteLine($"Audit log broken at record {broken.RecordId}: {broken.Problem}. {result.Records} record(s).");
            }
            else
            {
                env.Out.WriteLine($"Audit log intact: {result.Records} record(s) chained; the head is record {result.HeadId?.ToString(env.Culture) ?? "-"} with hash {result.HeadHash ?? "-"}.");
            }

            return result.Intact ? ExitCodes.Ok : ExitCodes.Failed;
        }, ct));
        return new Command("audit", "Auditors: verify that the audit log is whole.  Example: ontzorging audit verify") { verify };
    }
}
