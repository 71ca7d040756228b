using System.CommandLine;
using Ontzorging.Cli;
using Ontzorging.Cli.Commands;
using Spectre.Console;

namespace Ontzorging.WebBench;

/// <summary><c>ontzorging bench statements</c>: the bank statement pages measured on fresh databases (results go into docs/benchmarks.md).</summary>
public static class StatementBenchCommand
{
    public static Command Create(CliEnvironment env, Option<bool> keep)
    {
        var rows = new Option<int>("--rows") { Description = "Lines of the statement uploaded through the page and imported by ledger import", DefaultValueFactory = _ => 1_000_000 };
        var monthRows = new Option<int>("--month-rows") { Description = "Statement lines of the month the reconciliation page shows", DefaultValueFactory = _ => 100_000 };
        var requests = new Option<int>("--requests") { Description = "Requests of the reconciliation page", DefaultValueFactory = _ => 20 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of the upload against ledger import, the order alternating (the medians are compared)", DefaultValueFactory = _ => 3 };
        var command = new Command("statements", "On fresh databases: the reconciliation page of a month with --month-rows statement lines (server time; 0 leaves it out), and a --rows statement uploaded through the page (upload + dry run, confirm) against ledger import (--dry-run, then import) of the same file, each on its own copy of the same database, in --rounds rounds of alternating order.\nExample: ontzorging bench statements --rows 1000000 --month-rows 100000 --rounds 3")
        {
            rows, monthRows, requests, rounds, keep,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var (count, month) = (parse.GetValue(rows), parse.GetValue(monthRows));
            if (count is < 100 or > 50_000_000 || month is not 0 and (< 100 or > 10_000_000) || parse.GetValue(rounds) is < 1 or > 20)
            {
                throw new BadInputException("--rows must be 100 to 50,000,000, --month-rows 0 or 100 to 10,000,000, and --rounds 1 to 20");
            }

            string Ms(double value) => value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
            if (month > 0)
            {
                await BenchCommands.OnScratchDatabase(env, parse.GetValue(keep), async (services, folder) =>
                {
                    var (import, page) = await StatementBenchmark.Reconciliation(services, folder, month, Math.Max(5, parse.GetValue(requests)), token);
                    env.Out.Write(BenchCommands.Phases($"bench statements: the month of {month:N0} lines", [import]));
                    var table = new Table { Title = new TableTitle($"bench statements: reconciliation page in ms ({Environment.ProcessorCount} cores)") }
                        .AddColumns("page", "requests", "server p50", "server p99", "server max", "client p50");
                    table.AddRow(page.Page, page.Server.Count.ToString(env.Culture), Ms(PageTimings.Percentile(page.Server, 50)), Ms(PageTimings.Percentile(page.Server, 99)),
                        Ms(page.Server.Max()), Ms(PageTimings.Percentile(page.Client, 50)));
                    env.Out.Write(table);
                }, token);
            }

            await BenchCommands.OnScratchDatabase(env, parse.GetValue(keep), async (services, folder) =>
            {
                var phases = await StatementBenchmark.Upload(services, folder, count, parse.GetValue(rounds), token);
                env.Out.Write(BenchCommands.Phases($"bench statements --rows {count:N0}: page against ledger import", phases));
            }, token);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
