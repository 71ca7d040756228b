using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// A browser that gives up a few milliseconds after sending a write (issue 20's attack): whatever
/// moment the connection closes, the write and its audit record stand together or not at all.
/// </summary>
[NonParallelizable]
public sealed class GiveUpTests
{
    private RunningSite site = null!;

    // Worked example A through May: its bridging credit is still outstanding, so there is credit to write off.
    [OneTimeSetUp]
    public async Task StartSite() => site = await RunningSite.Start(through: new YearMonth(2026, 5));

    [OneTimeTearDown]
    public async Task StopSite() => await site.DisposeAsync();

    [Test]
    public async Task A_caseworker_who_gives_up_during_write_offs_leaves_every_booked_write_off_with_its_record()
    {
        using var carla = await site.SignedIn("carla");
        var household = await site.Database.Scalar<string>("""
            SELECT h.reference FROM ledger_accounts a JOIN households h ON a.code = 'credit:' || h.reference WHERE a.balance >= 0.12 ORDER BY a.balance DESC LIMIT 1
            """);
        household.Should().NotBeNull("worked example A draws bridging credit in its first months");
        var form = await carla.GetStringAsync($"/huishoudens/{household}/besluit");

        for (var attempt = 0; attempt < 12; attempt++)
        {
            using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(4 + (attempt % 11)));
            var send = () => carla.PostAsync($"/huishoudens/{household}/besluit", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Kind"] = "write_off", ["Amount"] = "0,01", ["Reason"] = $"gives up {attempt}", ["__RequestVerificationToken"] = RunningSite.Token(form),
            }), giveUp.Token);
            try
            {
                using var response = await send();
            }
            catch (OperationCanceledException)
            {
                // The browser gave up; the server may still be writing.
            }
        }

        // Every request the server took is finished: one more, not given up, is answered after them.
        using (var last = await carla.PostAsync($"/huishoudens/{household}/besluit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Kind"] = "write_off", ["Amount"] = "0,01", ["Reason"] = "gives up 12", ["__RequestVerificationToken"] = RunningSite.Token(form),
        })))
        {
            last.StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var unrecorded = await site.Database.Scalar<long>("""
            SELECT count(*) FROM decisions d
             WHERE d.kind = 'write_off' AND d.reason LIKE 'gives up %'
               AND (SELECT count(*) FROM audit_log a WHERE a.action = 'decision.record' AND a.outcome = 'done' AND a.xmin = d.xmin) <> 1
            """);
        var recordsWithoutDecision = await site.Database.Scalar<long>("""
            SELECT count(*) FROM audit_log a
             WHERE a.action = 'decision.record' AND a.outcome = 'done' AND a.after->>'reason' LIKE 'gives up %'
               AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.xmin = a.xmin AND d.reason = a.after->>'reason')
            """);
        unrecorded.Should().Be(0, "a write-off is never booked without its record");
        recordsWithoutDecision.Should().Be(0, "a record is never kept of a write-off that was not booked");
        (await site.Database.Scalar<long>("SELECT count(*) FROM decisions WHERE reason = 'gives up 12'")).Should().Be(1);
    }

    [Test]
    public async Task A_decision_on_the_site_whose_record_the_database_refuses_is_not_recorded()
    {
        using var carla = await site.SignedIn("carla");
        var form = await carla.GetStringAsync("/huishoudens/HH-A/besluit");
        var decisions = await site.Database.Scalar<long>("SELECT count(*) FROM decisions");
        await using (var owner = new Npgsql.NpgsqlConnection(TestServer.OwnerConnectionStringFor(site.Database.Name)))
        {
            await owner.OpenAsync();
            await using var refuse = new Npgsql.NpgsqlCommand("""
                CREATE FUNCTION test_refuse_every_record() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'test: no audit record may be kept'; END $$;
                CREATE TRIGGER tr_test_refuse_every_record BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_refuse_every_record();
                """, owner);
            await refuse.ExecuteNonQueryAsync();
        }

        try
        {
            using var response = await carla.PostAsync("/huishoudens/HH-A/besluit", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Kind"] = "zrm_score", ["On"] = "2026-10-20", ["Score"] = "2", ["__RequestVerificationToken"] = RunningSite.Token(form),
            }));

            response.IsSuccessStatusCode.Should().BeFalse();
            response.StatusCode.Should().NotBe(HttpStatusCode.Redirect, "nothing was recorded, so the caseworker is not told it was");
            (await site.Database.Scalar<long>("SELECT count(*) FROM decisions")).Should().Be(decisions);
        }
        finally
        {
            await using var owner = new Npgsql.NpgsqlConnection(TestServer.OwnerConnectionStringFor(site.Database.Name));
            await owner.OpenAsync();
            await using var allow = new Npgsql.NpgsqlCommand("DROP TRIGGER tr_test_refuse_every_record ON audit_log; DROP FUNCTION test_refuse_every_record();", owner);
            await allow.ExecuteNonQueryAsync();
        }
    }

    [Test]
    public async Task An_officer_who_gives_up_during_an_approval_leaves_the_approval_and_its_record_together()
    {
        var lifecycle = site.Database.Services.GetRequiredService<BatchLifecycle>();
        using var bob = await site.SignedIn("bob");
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var live = await site.Database.Scalar<long?>("SELECT id FROM live_batches WHERE month = '2026-06-01'");
            if (live is { } previous)
            {
                await lifecycle.Cancel(previous, "system:tests", "prepared again for the next attempt");
            }

            var batch = await site.Database.Services.GetRequiredService<BatchPreparer>().Prepare(new YearMonth(2026, 6), new LocalDate(2026, 5, 24), "oidc:dev-anna");
            var page = await bob.GetStringAsync($"/betalingen/{batch.Id}");
            using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(4 + (3 * attempt)));
            try
            {
                using var response = await bob.PostAsync($"/betalingen/{batch.Id}?handler=Approve",
                    new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = RunningSite.Token(page) }), giveUp.Token);
            }
            catch (OperationCanceledException)
            {
                // Gave up.
            }

            // The page of the batch is answered after any approval still running on the server.
            await bob.GetStringAsync($"/betalingen/{batch.Id}");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            var approved = await site.Database.Scalar<string>($"SELECT status FROM batches WHERE id = {batch.Id}") == "approved";
            var recorded = await site.Database.Scalar<long>($"SELECT count(*) FROM audit_log WHERE action = 'batch.approve' AND outcome = 'done' AND target = 'batch {batch.Id}'");
            recorded.Should().Be(approved ? 1 : 0, $"attempt {attempt}: an approval and its record stand together");
        }
    }
}
