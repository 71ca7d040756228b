using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Infrastructure.Csv;
using Spectre.Console;

namespace Ontzorging.Cli.Commands;

/// <summary><c>ontzorging ledger …</c>: what auditors use.</summary>
public static class LedgerCommands
{
    public static Command Create(CliEnvironment env)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A bank export: ING (comma or semicolon), Rabobank CSV, ABN AMRO TXT*.TAB, or the generic format" };
        var format = new Option<string>("--format") { Description = "auto (default), ing, ing-semicolon, rabobank, abnamro or generic", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong("auto", "ing", "ing-semicolon", "rabobank", "abnamro", "generic");
        var dryRun = new Option<bool>("--dry-run") { Description = "Read and check the file and say how many lines would be added; write nothing" };
        var user = CommonOptions.User("the auditor or officer importing");
        var import = new Command("import", "Import a bank statement: each real transaction once (re-importing or overlapping statements add nothing); any error writes nothing (exit 2).\nExample: ontzorging ledger import samples/bank/ing-2026-06.csv --dry-run")
        {
            file, format, dryRun, user,
        };
        import.SetAction((parse, ct) => env.Run(async token =>
        {
            var name = parse.GetRequiredValue(format);
            try
            {
                var report = await env.Services.GetRequiredService<BankStatementImporter>().Import(parse.GetRequiredValue(file).FullName,
                    name == "auto" ? null : BankStatementImporter.Parse(name), parse.GetRequiredValue(user), parse.GetValue(dryRun), token);
                env.Out.WriteLine(report.DryRun
                    ? $"{report.File} ({BankStatementImporter.Name(report.Format)}): {report.Read} line(s) read; {report.Added} would be added, {report.AlreadyPresent} already present. Nothing was written (dry run)."
                    : $"{report.File} ({BankStatementImporter.Name(report.Format)}): {report.Read} line(s) read; {report.Added} added, {report.AlreadyPresent} already present.");
                return ExitCodes.Ok;
            }
            catch (InputRejectedException ex)
            {
                foreach (var error in ex.Errors.Take(50))
                {
                    env.Error.MarkupLineInterpolated($"[red]error:[/] {error.ToString()}");
                }

                env.Error.MarkupLineInterpolated($"{ex.Errors.Count} error(s); nothing was written.");
                return ExitCodes.BadInput;
            }
        }, ct));
        return new Command("ledger", "Auditors: import bank statements (reconcile, verify and export follow).  Example: ontzorging ledger import statement.csv") { import };
    }
}
