using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Benchmarks;
using Ontzorging.Infrastructure.Sepa;
using Ontzorging.Infrastructure.Time;
using Ontzorging.Web.DevIdentity;
using Ontzorging.Web.Hosting;

namespace Ontzorging.WebBench;

/// <summary>One page's measured answers: server time (Server-Timing) and time seen by the client, in milliseconds.</summary>
public sealed record PageTimings(string Page, IReadOnlyList<double> Server, IReadOnlyList<double> Client)
{
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>
/// <c>bench web</c>: N synthetic households with a year of history made by the engine itself (each
/// month prepared, approved, exported and settled), the site hosted in-process on loopback, a
/// caseworker signed in through the embedded provider, and the household page and worklist pages
/// requested by a load generator of two concurrent clients.
/// </summary>
public static class WebBenchmark
{
    public static readonly YearMonth FirstMonth = YearOfHistory.FirstMonth;
    public static readonly YearMonth LastMonth = YearOfHistory.LastMonth;

    public static Task<PhaseResult> History(IServiceProvider services, string folder, CancellationToken ct) => YearOfHistory.Make(services, folder, ct);

    /// <summary>
    /// Complaints on the history (issue 24): one for every 50 households, received over the last eight
    /// weeks so every clock state occurs, a quarter of them heard and decided; registered through
    /// the door, as a caseworker would.
    /// </summary>
    public static async Task<PhaseResult> Complaints(IServiceProvider services, int households, CancellationToken ct) =>
        await BatchBenchmark.Measure("complaints", async () =>
        {
            var desk = services.GetRequiredService<Infrastructure.Complaints.ComplaintDesk>();
            var today = services.GetRequiredService<NodaTime.IClock>().Today();
            var caseworker = Actor.Simulated("bench-caseworker");
            var count = Math.Max(1, households / 50);
            for (var i = 0; i < count; i++)
            {
                var reference = $"B{(i * 50) + 1:0000000}";
                var received = today.PlusDays(-(i % 56));
                var id = (await desk.Register(caseworker, reference, new Domain.Complaints.NewComplaint(received, Domain.Complaints.ComplaintChannel.Letter,
                    Domain.Complaints.ComplainantKind.Member, "Bench", Domain.Complaints.ComplaintSubject.Payment, "Benchmark complaint.", null, null, false,
                    [Domain.Complaints.ComplaintLink.OfMonth(LastMonth)]), Infrastructure.Complaints.ComplaintScope.Everything, ct)).OrThrow();
                if (i % 4 == 0)
                {
                    (await desk.Hear(caseworker, id, new Domain.Complaints.Hearing(null, Domain.Complaints.HearingWaiver.ComplainantDeclined, null), Infrastructure.Complaints.ComplaintScope.Everything, ct)).OrThrow();
                    (await desk.Decide(caseworker, id, new Domain.Complaints.ComplaintDecision(Domain.Complaints.ComplaintOutcome.Unfounded, today, "Benchmark findings."),
                        Infrastructure.Complaints.ComplaintScope.Everything, ct)).OrThrow();
                }
            }

            return $"{count:N0} complaints registered, {(count + 3) / 4:N0} decided";
        });

    /// <summary>The day's money signals on the history (issue 24), as the daily job writes them, so the worklist shows them.</summary>
    public static async Task<PhaseResult> Signals(IServiceProvider services, CancellationToken ct) =>
        await BatchBenchmark.Measure("signal watch", async () =>
        {
            var today = services.GetRequiredService<IClock>().Today();
            var run = await services.GetRequiredService<Infrastructure.Signals.MoneySignals>().Run(Actor.Simulated("bench-scheduler"), today, ct);
            return $"{run.Households:N0} households, {run.Added:N0} signals added";
        });

    /// <summary>The site hosted in-process on a free loopback port over the bench database, with the development provider.</summary>
    public static async Task<(WebApplication App, string Address)> StartSite(string connectionString, string ownerConnectionString, string folder, CancellationToken ct)
    {
        var address = $"http://127.0.0.1:{WebApp.FreeLoopbackPort()}";
        var app = WebApp.Build(["--environment", "Development", "--contentRoot", folder], builder =>
        {
            builder.WebHost.UseUrls(address);
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ontzorging:Database:ConnectionString"] = connectionString,
                ["Ontzorging:Database:OwnerConnectionString"] = ownerConnectionString,
                ["Ontzorging:Web:PublicUrl"] = address,
                ["Ontzorging:Identity:DevelopmentProvider"] = "true",
            });
        });
        await app.StartAsync(ct);
        return (app, address);
    }

    public static async Task<IReadOnlyList<PageTimings>> Measure(string connectionString, string ownerConnectionString, string folder, int households, int requests, CancellationToken ct)
    {
        var (app, address) = await StartSite(connectionString, ownerConnectionString, folder, ct);
        await using var hosted = app;
        try
        {
            using var client = await DevSignInClient.SignIn(address, "carla", DevIdentityProvider.Password);
            var random = new Random(20261203);
            string Household() => $"/huishoudens/B{random.Next(1, households + 1).ToString("0000000", CultureInfo.InvariantCulture)}";
            var pages = Math.Max(1, (households + 49) / 50);
            string Worklist() => $"/huishoudens?sorteer=Attention&pagina={random.Next(1, pages + 1)}";

            var cold = await Run(client, "worklist, first request (computes the list)", [Worklist()], 1, ct);
            await Run(client, "warm-up", Enumerable.Range(0, 50).Select(_ => Household()).ToList(), 2, ct);
            var household = await Run(client, "household page", Enumerable.Range(0, requests).Select(_ => Household()).ToList(), 2, ct);
            var worklist = await Run(client, "worklist page (50 rows, with the open complaints)", Enumerable.Range(0, Math.Max(50, requests / 4)).Select(_ => Worklist()).ToList(), 2, ct);
            var complaints = await Run(client, "open complaints (/klachten)", Enumerable.Repeat("/klachten", Math.Max(20, requests / 20)).ToList(), 2, ct);

            // The finance officer's pages (issue 22): the last batch with its comparison to the month before, and the list.
            using var officer = await DevSignInClient.SignIn(address, "anna", DevIdentityProvider.Password);
            // The newest of the largest batches that has a month before it: a batch of every household, with its comparison.
            var year = (await app.Services.GetRequiredService<BatchReview>().Page(new BatchFilter(PageSize: 100), ct)).Rows;
            var last = year.Where(b => b.Month > year.Min(r => r.Month)).OrderByDescending(b => b.Households).ThenByDescending(b => b.Month).First().Id;
            var batchRequests = Math.Max(20, requests / 20);
            await Run(officer, "warm-up", ["/betalingen", $"/betalingen/{last}"], 1, ct);
            var batch = await Run(officer, "batch page (largest batch, compared with the month before)", Enumerable.Repeat($"/betalingen/{last}", batchRequests).ToList(), 2, ct);
            var batches = await Run(officer, "batch list (12 a page)", Enumerable.Repeat("/betalingen", batchRequests).ToList(), 2, ct);
            return [household, worklist, complaints, cold, batch, batches];
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    public static async Task<PageTimings> Run(HttpClient client, string name, List<string> paths, int concurrency, CancellationToken ct)
    {
        var server = new List<double>();
        var seen = new List<double>();
        var next = -1;
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < paths.Count)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(paths[i], ct);
                await response.Content.ReadAsByteArrayAsync(ct);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{paths[i]} answered {(int)response.StatusCode}");
                }

                // "app;dur=7.30, data;dur=3.46, …": the first part is the whole answer.
                var app = response.Headers.GetValues("Server-Timing").Single().Split(',')[0];
                var duration = double.Parse(app[(app.IndexOf("dur=", StringComparison.Ordinal) + 4)..], CultureInfo.InvariantCulture);
                lock (server)
                {
                    server.Add(duration);
                    seen.Add(elapsed);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Worker()));
        return new PageTimings(name, server, seen);
    }

}
