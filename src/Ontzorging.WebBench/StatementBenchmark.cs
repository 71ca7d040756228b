using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Infrastructure;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Infrastructure.Benchmarks;
using Ontzorging.Web.DevIdentity;
using Ontzorging.Web.Hosting;

namespace Ontzorging.WebBench;

/// <summary>
/// <c>bench statements</c>: the bank statement pages measured (issue 22). (a) The reconciliation
/// page of a month with N statement lines: server time (Server-Timing) over repeated requests. (b) A
/// large statement uploaded through the page — the upload streamed to disk, the dry run, the
/// confirmed import — against <c>ledger import --dry-run</c> and <c>ledger import</c> of the same
/// file, in the same sitting, each on its own copy of the same database; and the upload alone
/// (refused at its format once it is on disk), to see that it does not grow with the file.
/// </summary>
public static partial class StatementBenchmark
{
    private static readonly Actor Auditor = Actor.Simulated("bench-auditor");

    /// <summary>The June statement of <paramref name="rows"/> lines imported, then the month's reconciliation page requested <paramref name="requests"/> times.</summary>
    public static async Task<(PhaseResult Import, PageTimings Page)> Reconciliation(IServiceProvider services, string folder, int rows, int requests, CancellationToken ct)
    {
        var bench = services.GetRequiredService<ImportBenchmark>();
        var file = Path.Combine(folder, "month.csv");
        await bench.Generate(rows, file, ct);
        var import = await BatchBenchmark.Measure("import the month", async () =>
        {
            var report = (await services.GetRequiredService<BankStatementImporter>().Import(Auditor, file, null, dryRun: false, ct: ct)).OrThrow();
            return $"{report.Added:N0} lines added";
        });
        await using (var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct))
        {
            await connection.ExecuteAsync("VACUUM (ANALYZE)", ct);
        }

        await using var site = await Site.Start(services.ConnectionString(), services.OwnerConnectionString(), folder, ct);
        using var client = await DevSignInClient.SignIn(site.Address, "dirk", DevIdentityProvider.Password);
        var server = new List<double>();
        var seen = new List<double>();
        for (var i = -3; i < requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync("/aansluiting?van=2026-06-01&tot=2026-06-30", ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK || !body.Contains("id=\"dagen\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"/aansluiting answered {(int)response.StatusCode}");
            }

            if (i >= 0)
            {
                server.Add(ServerTime(response));
                seen.Add(elapsed);
            }
        }

        return (import, new PageTimings($"/aansluiting, June ({rows:N0} statement lines)", server, seen));
    }

    /// <summary>
    /// The same generated statement imported by the engine (<c>ledger import</c>: dry run, then
    /// import) and through the page (upload + dry run, then confirm), each on its own copy of the
    /// same database, in <paramref name="rounds"/> rounds. The order alternates from round to round,
    /// so what the first leaves behind (a checkpoint, autovacuum of its million rows) weighs on each
    /// side alike; the comparison is of the medians.
    /// </summary>
    public static async Task<IReadOnlyList<PhaseResult>> Upload(IServiceProvider services, string folder, int rows, int rounds, CancellationToken ct)
    {
        var bench = services.GetRequiredService<ImportBenchmark>();
        var file = Path.Combine(folder, "statement.csv");
        var results = new List<PhaseResult> { await bench.Generate(rows, file, ct) };

        // Copies of the database as it is now: every run starts from the same state.
        services.GetRequiredService<NpgsqlDataSource>().Clear();
        NpgsqlConnection.ClearAllPools();
        var owner = new NpgsqlConnectionStringBuilder(services.OwnerConnectionString());
        var scratch = new NpgsqlConnectionStringBuilder(services.ConnectionString()).Database;
        var (cliTimes, pageTimes) = (new List<TimeSpan>(), new List<TimeSpan>());
        var (cliDryRuns, cliImports, pageDryRuns, pageImports) = (new List<TimeSpan>(), new List<TimeSpan>(), new List<TimeSpan>(), new List<TimeSpan>());
        for (var round = 1; round <= rounds; round++)
        {
            var cliFirst = round % 2 == 1;
            var (cliDatabase, pageDatabase) = ($"{scratch}_cli", $"{scratch}_page");
            await Ddl(owner, $"CREATE DATABASE \"{cliDatabase}\" TEMPLATE \"{scratch}\"", ct);
            await Ddl(owner, $"CREATE DATABASE \"{pageDatabase}\" TEMPLATE \"{scratch}\"", ct);
            try
            {
                var order = cliFirst ? "ledger import first" : "page first";
                async Task Cli()
                {
                    var (dryRun, import) = await LedgerImport(services, cliDatabase, file, $"round {round} ({order})", ct);
                    results.AddRange([dryRun, import]);
                    cliDryRuns.Add(dryRun.Elapsed);
                    cliImports.Add(import.Elapsed);
                    cliTimes.Add(dryRun.Elapsed + import.Elapsed);
                }

                async Task Page()
                {
                    var phases = await ThroughThePage(services, pageDatabase, folder, file, round == 1, $"round {round} ({order})", ct);
                    results.AddRange(phases);
                    var (dryRun, import) = (phases[^2].Elapsed, phases[^1].Elapsed);
                    pageDryRuns.Add(dryRun);
                    pageImports.Add(import);
                    pageTimes.Add(dryRun + import);
                }

                if (cliFirst)
                {
                    await Cli();
                    await Page();
                }
                else
                {
                    await Page();
                    await Cli();
                }
            }
            finally
            {
                NpgsqlConnection.ClearAllPools();
                await Ddl(owner, $"DROP DATABASE IF EXISTS \"{cliDatabase}\" WITH (FORCE)", CancellationToken.None);
                await Ddl(owner, $"DROP DATABASE IF EXISTS \"{pageDatabase}\" WITH (FORCE)", CancellationToken.None);
            }
        }

        static double Median(List<TimeSpan> times) => PageTimings.Percentile(times.Select(t => t.TotalSeconds).ToList(), 50);
        var (cli, page) = (Median(cliTimes), Median(pageTimes));
        var ratios = string.Join(", ", pageTimes.Zip(cliTimes, (p, c) => (p / c).ToString("0.00", CultureInfo.InvariantCulture)));
        results.Add(new PhaseResult($"page / ledger import, medians of {rounds} round(s)", TimeSpan.FromSeconds(page - cli), 0, 0,
            $"both {page / cli:0.00}× ({page:0.00} s against {cli:0.00} s); dry run {Median(pageDryRuns) / Median(cliDryRuns):0.00}×, import {Median(pageImports) / Median(cliImports):0.00}×; per round {ratios}"));
        return results;
    }

    /// <summary><c>ledger import --dry-run</c>, then <c>ledger import</c>: the engine as the CLI builds it, over <paramref name="database"/>.</summary>
    private static async Task<(PhaseResult DryRun, PhaseResult Import)> LedgerImport(IServiceProvider services, string database, string file, string label, CancellationToken ct)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ontzorging:Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(services.ConnectionString()) { Database = database }.ConnectionString,
        }).Build();
        await using var engine = new ServiceCollection().AddLogging().AddOntzorging(configuration).BuildServiceProvider();
        var importer = engine.GetRequiredService<BankStatementImporter>();
        var dryRun = await BatchBenchmark.Measure($"ledger import --dry-run, {label}", async () =>
            Describe((await importer.Import(Auditor, file, null, dryRun: true, ct: ct)).OrThrow()));
        var import = await BatchBenchmark.Measure($"ledger import, {label}", async () =>
            Describe((await importer.Import(Auditor, file, null, dryRun: false, ct: ct)).OrThrow()));
        return (dryRun, import);
    }

    /// <summary>The page's upload + dry run, then its confirmation, over <paramref name="database"/> (and once, the upload alone, refused at its format).</summary>
    private static async Task<List<PhaseResult>> ThroughThePage(IServiceProvider services, string database, string folder, string file, bool uploadAlone, string label, CancellationToken ct)
    {
        var phases = new List<PhaseResult>();
        var connectionString = new NpgsqlConnectionStringBuilder(services.ConnectionString()) { Database = database }.ConnectionString;
        await using var site = await Site.Start(connectionString, services.OwnerConnectionString(), folder, ct);
        var cookies = new CookieContainer();
        using (await DevSignInClient.SignIn(site.Address, "dirk", DevIdentityProvider.Password, cookies: cookies))
        {
        }

        // A large statement takes longer than HttpClient's default 100 seconds on a slow machine.
        using var client = DevSignInClient.Client(site.Address, cookies);
        client.Timeout = TimeSpan.FromMinutes(30);
        if (uploadAlone)
        {
            phases.Add(await BatchBenchmark.Measure("page: upload alone (streamed to disk, refused at its format)", async () =>
            {
                using var response = await Post(client, file, "bogus", ct);
                return response.StatusCode == HttpStatusCode.UnprocessableEntity ? $"{new FileInfo(file).Length / 1048576.0:0} MiB streamed and discarded" : throw new InvalidOperationException($"{(int)response.StatusCode}");
            }));
        }

        string? dryRunPage = null;
        phases.Add(await BatchBenchmark.Measure($"page: upload + dry run, {label}", async () =>
        {
            using var response = await Post(client, file, "", ct);
            dryRunPage = await response.Content.ReadAsStringAsync(ct);
            return response.StatusCode == HttpStatusCode.OK ? "dry run shown" : throw new InvalidOperationException($"{(int)response.StatusCode}");
        }));
        phases.Add(await BatchBenchmark.Measure($"page: confirm (import), {label}", async () =>
        {
            using var response = await client.PostAsync("/bankafschriften/bevestigen", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = DevSignInClient.Token(dryRunPage!), ["Upload"] = UploadId().Match(dryRunPage!).Groups[1].Value, ["Ticket"] = "bench",
            }), ct);
            return response.StatusCode == HttpStatusCode.Redirect ? "imported" : throw new InvalidOperationException($"{(int)response.StatusCode}");
        }));
        return phases;
    }

    private static string Describe(BankImportReport report) =>
        $"{report.Read:N0} read, {report.Added:N0} added, {(report.Outgoing?.ByEndToEndId ?? 0) + (report.Outgoing?.ByAccountAmountDate ?? 0):N0} settled";

    /// <summary>The upload form's post as a browser sends it, the file streamed from disk.</summary>
    private static async Task<HttpResponseMessage> Post(HttpClient client, string file, string format, CancellationToken ct)
    {
        var form = await client.GetStringAsync("/bankafschriften", ct);
        await using var stream = File.OpenRead(file);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(DevSignInClient.Token(form)), "__RequestVerificationToken" },
            { new StringContent("bench"), "voortgang" },
            { new StringContent(format), "formaat" },
        };
        var body = new StreamContent(stream, 1 << 16);
        body.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(body, "bestand", Path.GetFileName(file));
        return await client.PostAsync("/bankafschriften/inlezen", content, ct);
    }

    private static double ServerTime(HttpResponseMessage response)
    {
        var app = response.Headers.GetValues("Server-Timing").Single().Split(',')[0];
        return double.Parse(app[(app.IndexOf("dur=", StringComparison.Ordinal) + 4)..], CultureInfo.InvariantCulture);
    }

    // The database names are made by the benchmark, never taken from input.
    private static async Task Ddl(NpgsqlConnectionStringBuilder owner, string ddl, CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(owner.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(ddl, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task ExecuteAsync(this NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    [GeneratedRegex("name=\"Upload\" value=\"([0-9a-f]+)\"")]
    private static partial Regex UploadId();

    /// <summary>The site hosted in-process on loopback over a database, as <c>bench web</c> hosts it, with room for a large upload.</summary>
    private sealed class Site(WebApplication app, string address) : IAsyncDisposable
    {
        public string Address => address;

        public IServiceProvider Services => app.Services;

        public static async Task<Site> Start(string connectionString, string ownerConnectionString, string folder, CancellationToken ct)
        {
            var address = $"http://127.0.0.1:{WebApp.FreeLoopbackPort()}";
            var app = WebApp.Build(["--environment", "Development", "--contentRoot", folder], builder =>
            {
                builder.WebHost.UseUrls(address);
                // Only what goes wrong is said: a failing page names its error.
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Logging:LogLevel:Default"] = "Error",
                    ["Ontzorging:Database:ConnectionString"] = connectionString,
                    ["Ontzorging:Database:OwnerConnectionString"] = ownerConnectionString,
                    ["Ontzorging:Web:PublicUrl"] = address,
                    ["Ontzorging:Web:MaxStatementUploadMegabytes"] = "4096",
                    ["Ontzorging:Web:UploadFolder"] = Path.Combine(folder, "uploads"),
                    ["Ontzorging:Identity:DevelopmentProvider"] = "true",
                });
            });
            await app.StartAsync(ct);
            return new Site(app, address);
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }
}
