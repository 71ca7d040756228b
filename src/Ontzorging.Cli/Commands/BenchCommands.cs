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
        var households = new Option<int>("--households") { Description = "How many synthetic households to seed", Required = true };
        var keep = new Option<bool>("--keep-database") { Description = "Keep the benchmark database afterwards" };
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

            var connectionString = await ScratchDatabases.CreateMigrated(env.Services.ConnectionString(), "ontzorging_bench",
                env.Services.GetRequiredService<IClock>().GetCurrentInstant(), token);
            var export = Path.Combine(Path.GetTempPath(), $"ontzorging-bench-{Guid.NewGuid():N}.xml");
            try
            {
                var configuration = new ConfigurationBuilder().AddConfiguration(env.Configuration)
                    .AddInMemoryCollection(new Dictionary<string, string?> { ["Ontzorging:Database:ConnectionString"] = connectionString + ";Command Timeout=600" }).Build();
                await using var services = new ServiceCollection().AddLogging().AddOntzorging(configuration).BuildServiceProvider();
                var bench = services.GetRequiredService<BatchBenchmark>();
                var seed = await bench.Seed(count, token);
                var phases = await bench.Run(export, token);

                var table = new Table { Title = new TableTitle($"bench batch --households {count:N0} ({Environment.ProcessorCount} cores)") }
                    .AddColumns("phase", "wall time (s)", "peak working set (MiB)", "allocated (MiB)", "what");
                foreach (var p in phases.Prepend(seed))
                {
                    table.AddRow(p.Phase, p.Elapsed.TotalSeconds.ToString("0.00", env.Culture), (p.PeakWorkingSetBytes / 1048576.0).ToString("0", env.Culture),
                        (p.AllocatedBytes / 1048576.0).ToString("0", env.Culture), Markup.Escape(p.Detail));
                }

                env.Out.Write(table);
                var total = phases.Sum(p => p.Elapsed.TotalSeconds);
                env.Out.WriteLine($"prepare + approve + export: {total.ToString("0.00", env.Culture)} s");
            }
            finally
            {
                File.Delete(export);
                if (!parse.GetValue(keep))
                {
                    await ScratchDatabases.Drop(connectionString, CancellationToken.None);
                }
            }

            return ExitCodes.Ok;
        }, ct));
        return new Command("bench", "Benchmarks on a fresh database.  Example: ontzorging bench batch --households 10000") { batch };
    }
}
