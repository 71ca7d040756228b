using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Ledger;
using Spectre.Console;

namespace Ontzorging.Cli.Commands;

/// <summary><c>ontzorging import DIR</c>: the caseworkers' intake files, all or nothing.</summary>
public static class ImportCommand
{
    public static Command Create(CliEnvironment env)
    {
        var directory = new Argument<DirectoryInfo>("DIR") { Description = "Folder with households.csv, persons.csv, contracts.csv, incomes.csv, receipts.csv, events.csv, openings.csv (any subset)" };
        var json = CommonOptions.Json();
        var command = new Command("import", "Import intake files (docs/rules.md §12) in one transaction; any error writes nothing (exit 2). Re-importing adds nothing.  Example: ontzorging import samples/")
        {
            directory,
            json,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var dir = parse.GetRequiredValue(directory).FullName;
            var report = CliEnvironment.Done(await env.Services.GetRequiredService<IntakeImporter>().Import(env.Actor, dir, token));
            var today = env.Today;
            var (receipts, writeOffs) = await env.Services.GetRequiredService<DailyBookkeeping>().Run(env.Actor, today, token);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, new
                {
                    Files = report.Files.Select(f => new { File = f.Key, Added = f.Value.Added, AlreadyPresent = f.Value.Unchanged }),
                    report.Added, InOpening = new { report.InOpening.Receipts, WriteOffs = report.InOpening.WriteOffs }, BookedReceipts = receipts, BookedWriteOffs = writeOffs, BookedThrough = today,
                });
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumn("file").AddColumn(new TableColumn("added").RightAligned()).AddColumn(new TableColumn("already present").RightAligned());
            foreach (var (file, (added, unchanged)) in report.Files)
            {
                table.AddRow(file, added.ToString(env.Culture), unchanged.ToString(env.Culture));
            }

            env.Out.Write(table);
            if (report.InOpening.Total > 0)
            {
                env.Out.MarkupLineInterpolated($"{report.InOpening.Receipts} receipt(s) and {report.InOpening.WriteOffs} write-off(s) dated on or before their household's cut-over are already in its opening position: recorded, not booked.");
            }

            env.Out.MarkupLineInterpolated($"{report.Added} row(s) added. Booked {receipts} receipt(s) and {writeOffs} write-off(s) dated up to {Formats.Text(today)}.");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
