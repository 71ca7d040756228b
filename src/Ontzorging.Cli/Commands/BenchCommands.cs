using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Infrastructure;
using Ontzorging.Infrastructure.Benchmarks;
using Ontzorging.Infrastructure.Database;
using Spectre.Console;

namespace Ontzorging.Cli.Commands;

/// <summary><c>ontzorging bench …</c>: measured speed on a fresh database (results go into docs/benchmarks.md).</summary>
public static class BenchCommands
{
    public static Command Create(CliEnvironment env)
    {
        var keep = KeepDatabase();
        // `bench web` is a program of its own (src/Ontzorging.WebBench) that scripts/ontzorging runs, so this one does not ship the site.
        return new Command("bench", "Benchmarks on a fresh database (bench web: scripts/ontzorging bench web, a separate program).  Example: ontzorging bench batch --households 10000") { Batch(env, keep), Import(env, keep), ForecastBenchCommands.Forecast(env, keep), ForecastBenchCommands.Signal(env, keep), SignalBenchCommand.Create(env, keep), ForecastBenchCommands.Statements(env, keep) };
    }

    public static Option<bool> KeepDatabase() => new("--keep-database") { Description = "Keep the benchmark database afterwards" };

    private static Command Batch(CliEnvironment env, Option<bool> keep)
    {
        var households = new Option<int>("--households") { Description = "How many synthetic households to seed", Required = true };
        var batch = new Command("batch", "Seed N synthetic households on a fresh database, then time prepare + approve + export of one month (wall time, peak memory per phase).\nExample: ontzorging bench batch --households 10000")
        {
            households, keep,
        };
        batch.SetAction((parse, ct) => env.Run(async token =>
        {
            var count = parse.GetValue(households);
            if (count is < 1 or > 10_000_000)
            {
                throw new BadInputException("--households must be between 1 and 10,000,000");
            }

            await OnScratchDatabase(env, parse.GetValue(keep), async (services, folder) =>
            {
                var bench = services.GetRequiredService<BatchBenchmark>();
                var seed = await bench.Seed(count, token);
                var phases = await bench.Run(Path.Combine(folder, "batch.xml"), token);
                env.Out.Write(Phases($"bench batch --households {count:N0}", phases.Prepend(seed)));
                env.Out.WriteLine($"prepare + approve + export: {Seconds(phases.Sum(p => p.Elapsed.TotalSeconds))} s");
            }, token);
            return ExitCodes.Ok;
        }, ct));
        return batch;
    }

    private static Command Import(CliEnvironment env, Option<bool> keep)
    {
        var rows = new Option<int>("--rows") { Description = "How many statement rows to generate", DefaultValueFactory = _ => 1_000_000 };
        var format = new Option<string>("--format") { Description = "csv (default): the generic CSV against psql \\copy; camt053: the same transactions as camt.053 against the CSV, each on its own database", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "camt053");
        var import = new Command("import", "Generate an N-row bank statement for a seeded municipality, then time ledger import (parse + COPY + dedupe + match) against psql \\copy of the same file into an unlogged table, or (--format camt053) the same statement as camt.053 against it as CSV.\nExample: ontzorging bench import --rows 1000000 --format camt053")
        {
            rows, format, keep,
        };
        import.SetAction((parse, ct) => env.Run(async token =>
        {
            var count = parse.GetValue(rows);
            if (count is < 100 or > 50_000_000)
            {
                throw new BadInputException("--rows must be between 100 and 50,000,000");
            }

            if (parse.GetValue(format) == "camt053")
            {
                await CamtAgainstCsv(env, count, parse.GetValue(keep), token);
                return ExitCodes.Ok;
            }

            await OnScratchDatabase(env, parse.GetValue(keep), async (services, folder) =>
            {
                var bench = services.GetRequiredService<ImportBenchmark>();
                var file = Path.Combine(folder, "statement.csv");
                var generate = await bench.Generate(count, file, token);
                var psql = await bench.PsqlCopy(file, token);
                var phases = await bench.Run(file, token);
                env.Out.Write(Phases($"bench import --rows {count:N0}", phases.Prepend(generate)));
                var ours = phases[0].Elapsed;
                var ourRate = count / ours.TotalSeconds;
                env.Out.WriteLine($"ledger import (parse + COPY + dedupe + match): {Seconds(ours.TotalSeconds)} s, {ourRate.ToString("N0", env.Culture)} rows/s");
                if (psql.Unavailable is { } why)
                {
                    env.Out.WriteLine($"psql \\copy: not measured ({why})");
                }
                else
                {
                    env.Out.WriteLine($"psql \\copy into an unlogged table: {Seconds(psql.Elapsed.TotalSeconds)} s, {(count / psql.Elapsed.TotalSeconds).ToString("N0", env.Culture)} rows/s; " +
                                      $"ledger import takes {(ours / psql.Elapsed).ToString("0.00", env.Culture)}× as long");
                }
            }, token);
            return ExitCodes.Ok;
        }, ct));
        return import;
    }

    /// <summary>
    /// The same generated statement imported as CSV and as camt.053, each on a database of its own
    /// seeded alike, CSV first and camt.053 second, then again in the other order: the medians of
    /// the two rounds, and their ratio (the target: camt.053 within 20 % of CSV's rows per second).
    /// </summary>
    private static async Task CamtAgainstCsv(CliEnvironment env, int count, bool keep, CancellationToken ct)
    {
        var times = new Dictionary<string, List<TimeSpan>> { ["csv"] = [], ["camt053"] = [] };
        foreach (var order in new[] { new[] { "csv", "camt053" }, ["camt053", "csv"] })
        {
            foreach (var kind in order)
            {
                await OnScratchDatabase(env, keep, async (services, folder) =>
                {
                    var bench = services.GetRequiredService<ImportBenchmark>();
                    var csv = Path.Combine(folder, "statement.csv");
                    var phases = new List<PhaseResult> { await bench.Generate(count, csv, ct) };
                    var file = csv;
                    if (kind == "camt053")
                    {
                        file = Path.Combine(folder, "statement.camt053.xml");
                        phases.Add(await ImportBenchmark.ToCamt053(csv, file));
                        File.Delete(csv);
                    }

                    var run = await bench.Run(file, ct);
                    phases.AddRange(run);
                    times[kind].Add(run[0].Elapsed);
                    env.Out.Write(Phases($"bench import --rows {count:N0} --format camt053: {kind}", phases));
                }, ct);
            }
        }

        TimeSpan Median(List<TimeSpan> list) => TimeSpan.FromTicks((list.Min().Ticks + list.Max().Ticks) / 2);
        var (csvTime, camtTime) = (Median(times["csv"]), Median(times["camt053"]));
        env.Out.WriteLine($"ledger import, median of two rounds: CSV {Seconds(csvTime.TotalSeconds)} s ({(count / csvTime.TotalSeconds).ToString("N0", env.Culture)} rows/s), " +
                          $"camt.053 {Seconds(camtTime.TotalSeconds)} s ({(count / camtTime.TotalSeconds).ToString("N0", env.Culture)} rows/s): camt.053 takes {(camtTime / csvTime).ToString("0.00", env.Culture)}× as long as CSV");
    }

    /// <summary>Runs a benchmark against a freshly migrated database and a scratch folder, and removes both afterwards (the database only without --keep-database).</summary>
    public static async Task OnScratchDatabase(CliEnvironment env, bool keep, Func<ServiceProvider, string, Task> run, CancellationToken ct)
    {
        var connectionString = await ScratchDatabases.CreateMigrated(env.Services.OwnerConnectionString(), "ontzorging_bench",
            env.Services.GetRequiredService<IClock>().GetCurrentInstant(), ct, DatabaseMigrator.ApplicationRoleOf(env.Services.ConnectionString(), env.Services.OwnerConnectionString()));
        var folder = Directory.CreateTempSubdirectory("ontzorging-bench-").FullName;
        try
        {
            var configuration = new ConfigurationBuilder().AddConfiguration(env.Configuration)
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Ontzorging:Database:ConnectionString"] = connectionString + ";Command Timeout=600" }).Build();
            await using var services = new ServiceCollection().AddLogging().AddOntzorging(configuration).BuildServiceProvider();
            await run(services, folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            if (keep)
            {
                env.Out.WriteLine($"Database kept: {new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database}");
            }
            else
            {
                await ScratchDatabases.Drop(connectionString, CancellationToken.None);
            }
        }
    }

    public static Table Phases(string title, IEnumerable<PhaseResult> phases)
    {
        var table = new Table { Title = new TableTitle($"{title} ({Environment.ProcessorCount} cores)") }
            .AddColumns("phase", "wall time (s)", "peak working set (MiB)", "allocated (MiB)", "what");
        foreach (var p in phases)
        {
            table.AddRow(p.Phase, Seconds(p.Elapsed.TotalSeconds), (p.PeakWorkingSetBytes / 1048576.0).ToString("0", System.Globalization.CultureInfo.InvariantCulture),
                (p.AllocatedBytes / 1048576.0).ToString("0", System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(p.Detail));
        }

        return table;
    }

    private static string Seconds(double seconds) => seconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
}
