using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Forecasts;
using Ontzorging.Infrastructure;
using Ontzorging.Infrastructure.Benchmarks;
using Ontzorging.Infrastructure.Database;
using Ontzorging.Infrastructure.Forecasts;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Simulation;
using Ontzorging.Infrastructure.Statements;
using Ontzorging.Infrastructure.Time;
using Spectre.Console;

namespace Ontzorging.Cli.Commands;

/// <summary><c>bench forecast</c> and <c>bench signal</c> (issue 23): how fast the forecast is, and how early its watch warns.</summary>
public static class ForecastBenchCommands
{
    private static readonly System.Globalization.CultureInfo Invariant = System.Globalization.CultureInfo.InvariantCulture;

    public static Command Forecast(CliEnvironment env, Option<bool> keep)
    {
        var households = new Option<int>("--households") { Description = "How many synthetic households to seed", DefaultValueFactory = _ => 100_000 };
        var samples = new Option<int>("--forecasts") { Description = "How many single-household forecasts to time", DefaultValueFactory = _ => 200 };
        var command = new Command("forecast", "Seed N households and prepare a month, then time one household's forecast (read + project, and project alone) and the daily forecast watch over all of them.\nExample: ontzorging bench forecast --households 100000")
        {
            households, samples, keep,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var count = parse.GetValue(households);
            var repeat = parse.GetValue(samples);
            if (count is < 1 or > 10_000_000 || repeat is < 1 or > 100_000)
            {
                throw new BadInputException("--households must be between 1 and 10,000,000 and --forecasts between 1 and 100,000");
            }

            await BenchCommands.OnScratchDatabase(env, parse.GetValue(keep), async (services, folder) =>
            {
                var bench = services.GetRequiredService<BatchBenchmark>();
                var seed = await bench.Seed(count, token);
                var batch = await bench.Run(Path.Combine(folder, "batch.xml"), token);
                await ScratchDatabaseChores.VacuumAnalyze(OwnerOf(env, services), token);

                var day = BatchBenchmark.PreparedOn.PlusDays(9);
                var forecasts = services.GetRequiredService<HouseholdForecasts>();
                var policy = services.GetRequiredService<Policy>();
                var random = new Random(23);
                var readAndProject = new List<double>();
                ForecastStart? start = null;
                for (var i = 0; i < repeat + 10; i++)
                {
                    var reference = $"B{1 + random.Next(count):0000000}";
                    var started = Stopwatch.GetTimestamp();
                    var view = await forecasts.For(reference, day, ForecastScenario.Expected, ct: token) ?? throw new InvalidOperationException($"{reference} was not seeded");
                    if (i >= 10)
                    {
                        readAndProject.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }

                    start = view.Start;
                }

                var projectOnly = new List<double>();
                for (var i = 0; i < Math.Max(1000, repeat); i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    _ = Forecaster.Project(start!, ForecastScenario.Expected, policy);
                    projectOnly.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                ForecastWatchRun? run = null;
                var watch = await BatchBenchmark.Measure("forecast watch", async () =>
                {
                    run = await services.GetRequiredService<ForecastSignals>().Run(Actor.Simulated("bench-watch"), day, token);
                    return $"{run.Households:N0} households, {run.Signalled.Count:N0} signalled";
                });
                env.Out.Write(BenchCommands.Phases($"bench forecast --households {count:N0}", [seed, .. batch, watch]));
                env.Out.WriteLine($"one household's forecast, read + project ({repeat} random households): median {Median(readAndProject):0.00} ms, p99 {Percentile(readAndProject, 0.99):0.00} ms");
                env.Out.WriteLine($"one household's forecast, project alone ({projectOnly.Count} times): median {Median(projectOnly):0.000} ms, p99 {Percentile(projectOnly, 0.99):0.000} ms");
                env.Out.WriteLine($"forecast watch over {count:N0} households: {watch.Elapsed.TotalSeconds.ToString("0.00", Invariant)} s");
            }, token);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    public static Command Statements(CliEnvironment env, Option<bool> keep)
    {
        var households = new Option<int>("--households") { Description = "How many synthetic households to seed and print", DefaultValueFactory = _ => 10_000 };
        var command = new Command("statement-pdf", "Seed N households in the seven statement languages, prepare, approve and export a month, then time printing every household's statement to PDF.\nExample: ontzorging bench statement-pdf --households 10000")
        {
            households, keep,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var count = parse.GetValue(households);
            if (count is < 1 or > 1_000_000)
            {
                throw new BadInputException("--households must be between 1 and 1,000,000");
            }

            await BenchCommands.OnScratchDatabase(env, parse.GetValue(keep), async (services, folder) =>
            {
                var bench = services.GetRequiredService<BatchBenchmark>();
                var seed = await bench.Seed(count, token);
                await ScratchDatabaseChores.SpreadStatementLanguages(OwnerOf(env, services), token);

                var batch = await bench.Run(Path.Combine(folder, "batch.xml"), token);
                StatementRun? run = null;
                var print = await BatchBenchmark.Measure("statements", async () =>
                {
                    run = await services.GetRequiredService<StatementRenderer>().Render(Actor.Simulated("bench-statements"), BatchBenchmark.Month, null, Path.Combine(folder, "statements"), token);
                    return $"{run.Statements:N0} PDFs, {run.Files.Sum(f => new FileInfo(f).Length) / 1048576.0:0} MiB";
                });
                env.Out.Write(BenchCommands.Phases($"bench statement-pdf --households {count:N0}", [seed, .. batch, print]));
                env.Out.WriteLine($"{run!.Statements:N0} statements printed in {print.Elapsed.TotalSeconds.ToString("0.0", Invariant)} s ({(print.Elapsed.TotalMilliseconds / Math.Max(1, run.Statements)).ToString("0.0", Invariant)} ms each, {Environment.ProcessorCount} pages at a time)");
            }, token);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    public static Command Signal(CliEnvironment env, Option<bool> keep)
    {
        var households = new Option<int>("--households") { Description = "Households per generated municipality", DefaultValueFactory = _ => 150 };
        var samples = new Option<DirectoryInfo>("--samples") { Description = "The intake files of the sample municipality", DefaultValueFactory = _ => new DirectoryInfo("samples") };
        var command = new Command("signal", "Replay the samples and generated municipalities (toeslagen on time, late, never) day by day with the forecast watch running daily, and count the months in which leefgeld fell below the minimum or credit stood at its cap that the watch signalled 30 to 60 days before.\nExample: ontzorging bench signal --households 150")
        {
            households, samples, keep,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var count = parse.GetValue(households);
            if (count is < 1 or > 5_000)
            {
                throw new BadInputException("--households must be between 1 and 5,000");
            }

            var sampleDir = parse.GetRequiredValue(samples).FullName;
            if (!File.Exists(Path.Combine(sampleDir, "households.csv")))
            {
                throw new BadInputException($"--samples {sampleDir} holds no households.csv");
            }

            var policy = env.Services.GetRequiredService<Policy>();
            var folder = Directory.CreateTempSubdirectory("ontzorging-signal-").FullName;
            var results = new List<SignalEvaluation>();
            try
            {
                var municipalities = new List<(string Name, string Input)> { ("samples", sampleDir) };
                foreach (var (name, behaviour, seed) in new (string, ToeslagBehaviour?, int)[]
                         {
                             ("generated, mixed", null, 1), ("generated, late", ToeslagBehaviour.Late, 2), ("generated, never", ToeslagBehaviour.Never, 3),
                             ("generated, on time", ToeslagBehaviour.OnTime, 4),
                         })
                {
                    var input = Path.Combine(folder, $"municipality-{seed}");
                    await SignalBenchmark.Generate(input, count, behaviour, seed, policy);
                    municipalities.Add((name, input));
                }

                foreach (var (name, input) in municipalities)
                {
                    var started = Stopwatch.GetTimestamp();
                    results.Add(await Replay(env, name, input, Path.Combine(folder, "out-" + results.Count), parse.GetValue(keep), token));
                    env.Out.WriteLine($"{name}: replayed in {Stopwatch.GetElapsedTime(started).TotalSeconds.ToString("0", Invariant)} s");
                }
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }

            var table = new Table { Title = new TableTitle("bench signal: months at risk signalled 30 to 60 days before") }
                .AddColumns("municipality", "households", "months at risk", "warnable", "signalled in time", "share", "households signalled", "households at risk");
            foreach (var r in results)
            {
                table.AddRow(Markup.Escape(r.Municipality), $"{r.Households}", $"{r.RiskMonths}", $"{r.Warnable}", $"{r.Flagged}", r.Share.ToString("P1", Invariant),
                    $"{r.HouseholdsSignalled}", $"{r.HouseholdsAtRisk}");
            }

            env.Out.Write(table);
            var warnable = results.Sum(r => r.Warnable);
            var flagged = results.Sum(r => r.Flagged);
            env.Out.WriteLine($"all municipalities: {flagged} of {warnable} warnable months at risk signalled in time ({(warnable == 0 ? 1 : (double)flagged / warnable).ToString("P1", Invariant)}); aim at least 95 %");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    /// <summary>Simulates <paramref name="input"/> March to December 2026 on a fresh database with the forecast watch after every day, and counts.</summary>
    private static async Task<SignalEvaluation> Replay(CliEnvironment env, string name, string input, string output, bool keep, CancellationToken ct)
    {
        var connectionString = await ScratchDatabases.CreateMigrated(env.Services.OwnerConnectionString(), "ontzorging_signal", env.Services.GetRequiredService<IClock>().GetCurrentInstant(), ct,
            DatabaseMigrator.ApplicationRoleOf(env.Services.ConnectionString(), env.Services.OwnerConnectionString()));
        try
        {
            var configuration = new ConfigurationBuilder().AddConfiguration(env.Configuration)
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Ontzorging:Database:ConnectionString"] = connectionString }).Build();
            await using var services = new ServiceCollection().AddLogging().AddOntzorging(configuration, new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0))).BuildServiceProvider();
            var watch = services.GetRequiredService<ForecastSignals>();
            var actor = Actor.Simulated("forecast-watch");
            var (from, to) = (new YearMonth(2026, 3), new YearMonth(2026, 12));
            await services.GetRequiredService<SimulationRunner>().Run(input, from, to, output, everyDay: async (day, token) => await watch.Run(actor, day, token), ct: ct);
            return await SignalBenchmark.Evaluate(services, name, services.GetRequiredService<Policy>().PreparationDayOf(from), ct);
        }
        finally
        {
            if (keep)
            {
                env.Out.WriteLine($"Database kept: {new NpgsqlConnectionStringBuilder(connectionString).Database}");
            }
            else
            {
                await ScratchDatabases.Drop(connectionString, CancellationToken.None);
            }
        }
    }

    /// <summary>The scratch database's owner: the configured owner, on the scratch database.</summary>
    internal static string OwnerOf(CliEnvironment env, IServiceProvider services) =>
        ScratchDatabases.For(env.Services.OwnerConnectionString(), new NpgsqlConnectionStringBuilder(services.ConnectionString()).Database!);

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
