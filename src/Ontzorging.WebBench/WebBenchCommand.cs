using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ontzorging.Cli;
using Ontzorging.Cli.Commands;
using Ontzorging.Infrastructure;
using Ontzorging.Infrastructure.Benchmarks;
using Spectre.Console;

namespace Ontzorging.WebBench;

/// <summary><c>ontzorging bench web</c>: the site's pages measured on a fresh database (results go into docs/benchmarks.md).</summary>
public static class WebBenchCommand
{
    public static Command Create(CliEnvironment env, Option<bool> keep)
    {
        var households = new Option<int>("--households") { Description = "How many synthetic households to seed (each gets a year of history)", Required = true };
        var requests = new Option<int>("--requests") { Description = "Household pages to request (worklist pages: a quarter of it)", DefaultValueFactory = _ => 2000 };
        var auditRecords = new Option<int>("--audit-records") { Description = "Also add this many audit records and measure the audit trail's pages (/logboek) under each filter", DefaultValueFactory = _ => 0 };
        var web = new Command("web", "Seed N households with a year of history on a fresh database, host the site in-process and measure the household page, the worklist, the last batch's page with its comparison and the batch list (server time p50/p99 from a load generator on loopback); with --audit-records, the audit trail's pages too.\nExample: ontzorging bench web --households 10000 --audit-records 1000000")
        {
            households, requests, auditRecords, keep,
        };
        web.SetAction((parse, ct) => env.Run(async token =>
        {
            var count = parse.GetValue(households);
            if (count is < 1 or > 1_000_000)
            {
                throw new BadInputException("--households must be between 1 and 1,000,000");
            }

            var records = parse.GetValue(auditRecords);
            if (records is < 0 or > 10_000_000)
            {
                throw new BadInputException("--audit-records must be between 0 and 10,000,000");
            }

            await BenchCommands.OnScratchDatabase(env, parse.GetValue(keep), async (services, folder) =>
            {
                var seed = await services.GetRequiredService<BatchBenchmark>().Seed(count, token);
                var history = await WebBenchmark.History(services, folder, token);
                var complaints = await WebBenchmark.Complaints(services, count, token);
                var signals = await WebBenchmark.Signals(services, token);
                env.Out.Write(BenchCommands.Phases($"bench web --households {count:N0}: data", [seed, history, complaints, signals]));
                // What autovacuum does within minutes of a month's batch, done before measuring, so the
                // pages are measured on tables whose visibility and statistics are current; run as the
                // owner (the application role may not vacuum).
                await using (var vacuum = new Npgsql.NpgsqlConnection(OwnerOnScratch(services)))
                {
                    await vacuum.OpenAsync(token);
                    await using var command = new Npgsql.NpgsqlCommand("VACUUM (ANALYZE)", vacuum) { CommandTimeout = 0 };
                    await command.ExecuteNonQueryAsync(token);
                }

                var timings = await WebBenchmark.Measure(services.ConnectionString(), services.OwnerConnectionString(), folder, count, Math.Max(10, parse.GetValue(requests)), token);
                env.Out.Write(Timings($"bench web --households {count:N0}", timings, env));
                if (records > 0)
                {
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    await AuditTrailBench.Seed(OwnerOnScratch(services), records, token);
                    env.Out.MarkupLineInterpolated($"{records:N0} audit records added in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
                    var (app, address) = await WebBenchmark.StartSite(services.ConnectionString(), services.OwnerConnectionString(), folder, token);
                    await using (app)
                    {
                        var newest = (await services.GetRequiredService<Infrastructure.Audit.AuditLog>().Verify(token)).HeadId ?? 1;
                        var trail = await AuditTrailBench.Measure(address, newest, Math.Max(10, parse.GetValue(requests) / 4), token);
                        env.Out.Write(Timings($"bench web --audit-records {records:N0}", trail, env));
                        await app.StopAsync(CancellationToken.None);
                    }
                }
            }, token);
            return ExitCodes.Ok;
        }, ct));
        return web;
    }

    /// <summary>The owner's role on this scratch database (the configured owner string names the main one).</summary>
    private static string OwnerOnScratch(IServiceProvider services) => new Npgsql.NpgsqlConnectionStringBuilder(services.OwnerConnectionString())
    {
        Database = new Npgsql.NpgsqlConnectionStringBuilder(services.ConnectionString()).Database,
    }.ConnectionString;

    private static Table Timings(string title, IReadOnlyList<PageTimings> timings, CliEnvironment env)
    {
        var table = new Table { Title = new TableTitle($"{title}: server time in ms ({Environment.ProcessorCount} cores, 2 concurrent clients)") }
            .AddColumns("page", "requests", "p50", "p95", "p99", "max", "client p50", "client p99");
        string Ms(double value) => value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var t in timings)
        {
            table.AddRow(t.Page, t.Server.Count.ToString(env.Culture), Ms(PageTimings.Percentile(t.Server, 50)), Ms(PageTimings.Percentile(t.Server, 95)),
                Ms(PageTimings.Percentile(t.Server, 99)), Ms(t.Server.Max()), Ms(PageTimings.Percentile(t.Client, 50)), Ms(PageTimings.Percentile(t.Client, 99)));
        }

        return table;
    }
}
