using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Readiness;
using Ontzorging.Infrastructure;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Database;
using Ontzorging.Infrastructure.Simulation;
using Ontzorging.Infrastructure.Time;
using Spectre.Console;

namespace Ontzorging.Cli.Commands;

/// <summary><c>ontzorging simulate</c>: the demo and acceptance harness of docs/rules.md §13.</summary>
public static class SimulateCommand
{
    public static Command Create(CliEnvironment env)
    {
        var input = new Option<DirectoryInfo>("--input") { Description = "Folder with the intake files (an openings.csv too: a cut-over is simulated from the month after it, docs/rules.md §20)", Required = true };
        var from = MonthOption("--from", "First month to prepare (yyyy-MM)");
        var to = MonthOption("--to", "Last month to prepare (yyyy-MM)");
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for monthly.csv, payments.csv, readiness.csv", Required = true };
        var keep = new Option<bool>("--keep-database") { Description = "Keep the fresh database afterwards (its name is printed) to inspect it" };
        var inPlace = new Option<bool>("--in-place")
        {
            Description = "Simulate in the configured database instead of a fresh one, and leave the history there (refused once it holds a batch): command 1 does this for the local sample municipality",
        };
        var command = new Command("simulate", "Run the real engine on a fresh database with a simulated clock, day by day, and write the results.\nExample: ontzorging simulate --input samples --from 2026-03 --to 2026-12 --out out/simulation")
        {
            input, from, to, output, keep, inPlace,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var inputDir = parse.GetRequiredValue(input).FullName;
            if (!Directory.Exists(inputDir))
            {
                throw new BadInputException($"--input {inputDir} does not exist");
            }

            var inPlaceRun = parse.GetValue(inPlace);
            string connectionString;
            if (inPlaceRun)
            {
                // A real municipality's history is never overwritten: only a database without batches.
                connectionString = env.Services.ConnectionString();
                if (await env.Services.GetRequiredService<Infrastructure.Batches.BatchQueries>().List(token) is { Count: > 0 } batches)
                {
                    throw new BadInputException($"--in-place: the configured database already holds {batches.Count} batch(es); simulate in place only into a database without any");
                }
            }
            else
            {
                var realNow = env.Services.GetRequiredService<IClock>().GetCurrentInstant();
                connectionString = await ScratchDatabases.CreateMigrated(env.Services.OwnerConnectionString(), "ontzorging_sim", realNow, token,
                    DatabaseMigrator.ApplicationRoleOf(env.Services.ConnectionString(), env.Services.OwnerConnectionString()));
            }

            try
            {
                var configuration = new ConfigurationBuilder()
                    .AddConfiguration(env.Configuration)
                    .AddInMemoryCollection(new Dictionary<string, string?> { ["Ontzorging:Database:ConnectionString"] = connectionString })
                    .Build();
                await using var services = new ServiceCollection().AddLogging().AddOntzorging(configuration, new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0))).BuildServiceProvider();
                // The daily signal watch runs at the end of every simulated day, as the worker would (rules §18), so
                // the municipality's signals carry the days they were first seen and resolved.
                var watch = services.GetRequiredService<Infrastructure.Signals.MoneySignals>();
                var watcher = Actor.Simulated("signal-watch");
                var months = await services.GetRequiredService<SimulationRunner>().Run(inputDir, parse.GetRequiredValue(from), parse.GetRequiredValue(to),
                    parse.GetRequiredValue(output).FullName, line => env.Out.WriteLine(line), everyDay: (day, t) => watch.Run(watcher, day, t), ct: token);
                Summary(env, months, parse.GetRequiredValue(output).FullName);
                if (parse.GetValue(keep))
                {
                    var kept = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database;
                    env.Out.WriteLine($"Database kept: {kept}");
                    env.Out.WriteLine($"Point a command at it with ONTZORGING_DATABASE={kept}, e.g. ONTZORGING_DATABASE={kept} scripts/ontzorging forecast --household REF");
                }
            }
            catch (Infrastructure.Csv.InputRejectedException ex)
            {
                foreach (var error in ex.Errors)
                {
                    env.Error.MarkupLineInterpolated($"[red]error:[/] {error.ToString()}");
                }

                return ExitCodes.BadInput;
            }
            finally
            {
                if (!parse.GetValue(keep) && !inPlaceRun)
                {
                    await ScratchDatabases.Drop(connectionString, CancellationToken.None);
                }
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Option<YearMonth> MonthOption(string name, string description) => new(name)
    {
        Description = description,
        Required = true,
        CustomParser = r =>
        {
            var parsed = Formats.Month(r.Tokens.Count == 0 ? "" : r.Tokens[0].Value);
            if (!parsed.Success)
            {
                r.AddError($"{name}: {parsed.Error}");
                return default;
            }

            return parsed.Value;
        },
    };

    private static void Summary(CliEnvironment env, IReadOnlyList<SimulatedMonth> months, string output)
    {
        var monthly = File.ReadAllLines(Path.Combine(output, SimulationOutput.Monthly)).Skip(1).Select(l => l.Split(',')).ToList();
        var table = new Table { Title = new TableTitle("Month by month (all households)") };
        table.AddColumns("month", "households", "bijstand", "receipts", "credit drawn", "installments", "arrears open", "leefgeld", "repaid", "credit outstanding");
        foreach (var group in monthly.GroupBy(r => r[1]).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            string Sum(int column) => Money.Sum(group.Select(r => Money.Parse(r[column]).Value)).ToString();
            table.AddRow(group.Key, group.Count().ToString(env.Culture), Sum(2), Sum(3), Sum(4), Sum(5), Sum(6), Sum(7), Sum(8), Sum(9));
        }

        env.Out.Write(table);
        if (months.Count == 0)
        {
            return;
        }

        var last = months[^1];
        var evaluatedOn = last.Month.OnDayOfMonth(last.Month.Calendar.GetDaysInMonth(last.Month.Year, last.Month.Month));
        var report = new Table { Title = new TableTitle($"Readiness on {Formats.Text(evaluatedOn)}") };
        report.AddColumns("household", "verdict", "unmet");
        foreach (var r in last.Readiness)
        {
            report.AddRow(Markup.Escape(r.Reference), r.Result.Verdict.Code(), Markup.Escape(r.Result.UnmetText));
        }

        env.Out.Write(report);
        var counts = string.Join(", ", last.Readiness.GroupBy(r => r.Result.Verdict.Code()).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
        env.Out.WriteLine($"Readiness: {counts}. Files written to {output}.");
    }
}
