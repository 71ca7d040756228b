using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Benchmarks;
using Ontzorging.Infrastructure.Signals;
using Spectre.Console;

namespace Ontzorging.Cli.Commands;

/// <summary><c>bench signals</c>: the money signal watch (docs/rules.md §18) over N households with a year of history.</summary>
public static class SignalBenchCommand
{
    public static Command Create(CliEnvironment env, Option<bool> keep)
    {
        var households = new Option<int>("--households") { Description = "How many synthetic households to seed (each gets a year of history)", DefaultValueFactory = _ => 100_000 };
        var command = new Command("signals", "Seed N households with a year of history (2026, every month prepared, approved, exported and settled), then time the daily signal watch over them, and a second run of the same day (which adds nothing).\nExample: ontzorging bench signals --households 100000")
        {
            households, keep,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var count = parse.GetValue(households);
            if (count is < 1 or > 10_000_000)
            {
                throw new BadInputException("--households must be between 1 and 10,000,000");
            }

            await BenchCommands.OnScratchDatabase(env, parse.GetValue(keep), async (services, folder) =>
            {
                var seed = await services.GetRequiredService<BatchBenchmark>().Seed(count, token);
                var history = await YearOfHistory.Make(services, folder, token);
                await ScratchDatabaseChores.VacuumAnalyze(ForecastBenchCommands.OwnerOf(env, services), token);
                var watch = services.GetRequiredService<MoneySignals>();
                var actor = Actor.Simulated("bench-signals");
                var day = new LocalDate(2026, 12, 28);
                var first = await BatchBenchmark.Measure("signal watch", async () =>
                {
                    var run = await watch.Run(actor, day, token);
                    return $"{run.Households:N0} households, {run.Found:N0} signals found, {run.Added:N0} added";
                });
                var again = await BatchBenchmark.Measure("signal watch again", async () =>
                {
                    var run = await watch.Run(actor, day, token);
                    return $"{run.Added:N0} added, {run.Updated:N0} updated, {run.Resolved:N0} resolved";
                });
                env.Out.Write(BenchCommands.Phases($"bench signals --households {count:N0}", [seed, history, first, again]));
                env.Out.WriteLine($"signal watch over {count:N0} households with a year of history: {first.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s");
            }, token);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
