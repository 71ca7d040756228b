using System.Net;
using AngleSharp.Html.Parser;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Infrastructure;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Monitoring;
using Ontzorging.IntegrationTests.Support;
using Ontzorging.Worker;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// <c>/beheer</c> (issue 22 §4): the scheduled jobs, the cluster's nodes and the database, as a
/// worker node of the same database reports them, and "run now" carried out by that node.
/// </summary>
public sealed class OperationsPageTests
{
    private const string Never = "0 0 0 1 1 ? 2099";

    private RunningSite site = null!;
    private IHost node = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        site = await RunningSite.Start();
        var configuration = new ConfigurationBuilder().AddConfiguration(site.Database.Configuration).AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ontzorging:Scheduling:HeartbeatCron"] = "0/2 * * * * ?",
            ["Ontzorging:Scheduling:PrepareBatchCron"] = Never,
            ["Ontzorging:Scheduling:BookkeepingCron"] = Never,
            ["Ontzorging:Scheduling:ToeslagWatchCron"] = Never,
            ["Ontzorging:Scheduling:PeriodEndNoticesCron"] = Never,
            ["Ontzorging:Scheduling:MonthEndReadinessCron"] = Never,
            ["Ontzorging:Scheduling:JobRequestsCron"] = "* * * * * ?",
            ["Ontzorging:Scheduling:ClusterCheckinInterval"] = "00:00:01",
        }).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddOntzorging(configuration);
        builder.Services.AddOntzorgingWorker(configuration);
        node = builder.Build();
        await node.StartAsync();
        await WaitUntil("SELECT count(*) > 0 FROM job_runs WHERE job_name = 'ontzorging.heartbeat' AND outcome = 'succeeded'");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await node.StopAsync();
        node.Dispose();
        await site.DisposeAsync();
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task An_administrator_sees_each_job_s_next_run_and_last_runs_the_node_and_a_fully_migrated_database()
    {
        using var beheer = await site.SignedIn("beheer", "/beheer");
        var document = new HtmlParser().ParseDocument(await beheer.GetStringAsync("/beheer"));

        var heartbeat = document.QuerySelector("#job-heartbeat")!;
        heartbeat.QuerySelector("th")!.TextContent.Should().Be("Hartslag van de planner");
        heartbeat.QuerySelectorAll("td")[0].QuerySelector("time").Should().NotBeNull("the heartbeat is scheduled");
        heartbeat.QuerySelectorAll("td")[1].TextContent.Should().Contain("geslaagd");
        document.QuerySelector("#job-job-requests").Should().BeNull("the dispatcher of run-now requests is the worker's own, not a job of the municipality");
        document.QuerySelector("#job-prepare-monthly-batch td:last-child")!.TextContent.Should().Contain("Betaalbatches", "preparing a month has its own page");
        document.QuerySelector("#nodes + .table-wrap td")!.TextContent.Should().NotBeEmpty();
        document.QuerySelector("#no-nodes").Should().BeNull();
        document.QuerySelector("#database-status")!.TextContent.Should().Be("Bereikbaar");
        document.QuerySelector("#migrations")!.TextContent.Should().EndWith("0 nog niet");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Run_now_is_recorded_for_the_administrator_and_the_node_runs_the_job_as_the_scheduler(CancellationToken ct)
    {
        using var beheer = await site.SignedIn("beheer", "/beheer");
        var page = await beheer.GetStringAsync("/beheer", ct);
        var before = await Scalar<long>("SELECT count(*) FROM job_runs WHERE job_name = 'ontzorging.toeslag-watch'");

        using var response = await beheer.PostAsync("/beheer?handler=RunNow", Form(page, "toeslag-watch"), ct);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await Scalar<string>("SELECT actor_subject || ' ' || outcome || ' ' || target FROM audit_log WHERE action = 'job.run_now' ORDER BY id DESC LIMIT 1"))
            .Should().Be("oidc:dev-beheer done job toeslag-watch");
        await WaitUntil($"SELECT count(*) > {before} FROM job_runs WHERE job_name = 'ontzorging.toeslag-watch' AND outcome = 'succeeded'", ct);
        await WaitUntil("SELECT count(*) = 0 FROM job_requests WHERE taken_at IS NULL", ct);
        (await Scalar<string>("SELECT actor_subject FROM audit_log WHERE action = 'watch.toeslagen' ORDER BY id DESC LIMIT 1"))
            .Should().Be("system:scheduler", "the job runs as the scheduler; who asked for it is the request's record");
    }

    [Test]
    public async Task Asking_again_while_a_request_waits_adds_nothing_and_keeps_no_second_record()
    {
        // A database no node serves, so the request stays open.
        await using var db = ScratchDatabase.Create();
        var requests = db.Services.GetRequiredService<JobRequests>();
        var admin = Actor.SignedIn("dev-beheer", "Beheerder");

        var first = (await requests.RunNow(admin, ScheduledJobNames.PeriodEndNotices)).OrThrow();
        var second = (await requests.RunNow(admin, ScheduledJobNames.PeriodEndNotices)).OrThrow();

        first.AlreadyWaiting.Should().BeFalse();
        second.AlreadyWaiting.Should().BeTrue();
        second.Id.Should().Be(first.Id);
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'job.run_now'")).Should().Be(1);
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM job_requests")).Should().Be(1);
    }

    [Test]
    public async Task Preparing_a_month_cannot_be_run_from_here_and_the_refusal_is_worded_and_recorded()
    {
        using var beheer = await site.SignedIn("beheer", "/beheer");
        var page = await beheer.GetStringAsync("/beheer");

        using var response = await beheer.PostAsync("/beheer?handler=RunNow", Form(page, "prepare-monthly-batch"));

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()).QuerySelector("#refusal")!.TextContent
            .Should().Contain("prepare-monthly-batch").And.Contain("kan hier niet gestart worden");
        (await Scalar<long>("SELECT count(*) FROM job_requests WHERE job_name = 'prepare-monthly-batch'")).Should().Be(0);
        (await Scalar<string>("SELECT outcome FROM audit_log WHERE action = 'job.run_now' AND target = 'job prepare-monthly-batch' ORDER BY id DESC LIMIT 1")).Should().Be("refused");
    }

    [TestCase("carla")]
    [TestCase("anna")]
    [TestCase("dirk")]
    public async Task Only_administrators_enter_operations(string login)
    {
        using var client = await site.SignedIn(login, "/");
        (await client.GetAsync("/beheer")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var home = await client.GetStringAsync("/");
        home.Should().NotContain("href=\"/beheer\"", "the menu offers only what its reader may enter");
        (await client.PostAsync("/beheer?handler=RunNow", Form(home, "heartbeat"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task Health_answers_anyone_with_one_word_and_reveals_nothing_else()
    {
        using var anonymous = site.Client();
        using var response = await anonymous.GetAsync("/health");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("Healthy");
        response.Headers.Should().NotContain(h => h.Key.Equals("Server", StringComparison.OrdinalIgnoreCase) || h.Key.StartsWith("X-Powered", StringComparison.OrdinalIgnoreCase));
    }

    private static FormUrlEncodedContent Form(string page, string job) =>
        new(new Dictionary<string, string> { ["job"] = job, ["__RequestVerificationToken"] = RunningSite.Token(page) });

    private async Task<T> Scalar<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(site.Database.ConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql) ?? throw new InvalidOperationException(sql);
    }

    private async Task WaitUntil(string condition, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(site.Database.ConnectionString);
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (!await connection.ExecuteScalarAsync<bool>(condition))
        {
            if (DateTime.UtcNow > deadline)
            {
                var state = string.Join("; ", await connection.QueryAsync<string>(
                    "SELECT 'request ' || job_name || ' taken ' || coalesce(taken_by, '-') FROM job_requests UNION ALL SELECT 'run ' || job_name || ' ' || outcome || ' ' || coalesce(error, '') FROM job_runs WHERE job_name <> 'ontzorging.heartbeat' UNION ALL SELECT 'trigger ' || trigger_name || ' ' || trigger_state FROM qrtz_triggers"));
                Assert.Fail($"{condition} did not come true: {state}");
            }

            await Task.Delay(200, ct);
        }
    }
}
