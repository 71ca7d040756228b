using System.Globalization;
using System.Net;
using AngleSharp.Html.Parser;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Time;
using Ontzorging.Web.DevIdentity;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// <c>/logboek</c> (issue 22 §3): the audit trail for auditors and administrators, filtered,
/// paged by record id without gaps or repeats, in Amsterdam time, and exported as an audited CSV.
/// </summary>
public sealed class AuditTrailPageTests
{
    private RunningSite site = null!;

    [OneTimeSetUp]
    public async Task StartSite()
    {
        site = await RunningSite.Start();
        // Enough records for several pages: household views by a caseworker, through the engine's own door.
        var door = site.App.Services.GetRequiredService<WriteDoor>();
        var carla = Actor.SignedIn("dev-carla", "Carla de Vries");
        for (var i = 0; i < 130; i++)
        {
            await door.Viewed(carla, new AuditEntry(AuditActions.HouseholdView, "household HH-A", AuditOutcome.Viewed, "GM0344", Detail: $"view {i}"));
        }
    }

    [OneTimeTearDown]
    public async Task StopSite() => await site.DisposeAsync();

    [Test]
    public async Task Paging_older_then_newer_walks_every_record_of_the_auditor_s_scope_once_in_id_order()
    {
        using var dirk = await site.SignedIn("dirk", "/logboek");
        var seen = new List<long>();
        var pages = new List<List<long>>();
        string? address = "/logboek";
        while (address is not null)
        {
            var document = new HtmlParser().ParseDocument(await dirk.GetStringAsync(address));
            var ids = document.QuerySelectorAll("#audit-records tbody tr td:first-child").Select(td => long.Parse(td.TextContent, CultureInfo.InvariantCulture)).ToList();
            pages.Add(ids);
            seen.AddRange(ids);
            address = document.QuerySelector("a[rel=next]")?.GetAttribute("href");
        }

        seen.Should().BeInDescendingOrder().And.OnlyHaveUniqueItems();
        pages.Should().HaveCountGreaterThan(2);
        pages.SkipLast(1).Should().OnlyContain(p => p.Count == 50);
        var expected = await Scalar<long>("SELECT count(*) FROM audit_log WHERE municipality IS NULL OR municipality = 'GM0344'");
        // Dirk's own views of these pages are records too, made after the first page was read.
        seen.Count.Should().BeGreaterThanOrEqualTo((int)expected - pages.Count - 1).And.BeLessThanOrEqualTo((int)expected);

        // Back from the third page, "newer" gives the second page exactly.
        var third = new HtmlParser().ParseDocument(await dirk.GetStringAsync($"/logboek?voor={pages[1][^1]}"));
        var back = third.QuerySelector("a[rel=prev]")!.GetAttribute("href")!;
        var second = new HtmlParser().ParseDocument(await dirk.GetStringAsync(back));
        second.QuerySelectorAll("#audit-records tbody tr td:first-child").Select(td => long.Parse(td.TextContent, CultureInfo.InvariantCulture))
            .Should().Equal(pages[1]);
    }

    [Test]
    public async Task Filters_by_person_action_household_and_outcome_show_only_matching_records()
    {
        using var dirk = await site.SignedIn("dirk", "/logboek");

        var byPerson = await Rows(dirk, "/logboek?persoon=oidc:dev-carla");
        byPerson.Should().NotBeEmpty().And.OnlyContain(r => r.Who.StartsWith("Carla de Vries", StringComparison.Ordinal));

        var signIns = await Rows(dirk, "/logboek?actie=session.sign_in");
        signIns.Should().NotBeEmpty().And.OnlyContain(r => r.Action == "inloggen");

        var household = await Rows(dirk, "/logboek?huishouden=HH-A&uitkomst=viewed");
        household.Should().HaveCount(50).And.OnlyContain(r => r.Target == "huishouden HH-A");

        var none = await dirk.GetStringAsync("/logboek?huishouden=HH-NOBODY");
        none.Should().Contain("id=\"no-records\"");
    }

    [TestCase("van=31-12-2026", "van")]
    [TestCase("van=2026-12-31&tot=2026-01-01", "tot")]
    public async Task An_unreadable_or_reversed_period_is_answered_422_next_to_its_field(string query, string field)
    {
        using var dirk = await site.SignedIn("dirk", "/logboek");
        using var response = await dirk.GetAsync("/logboek?" + query);

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        document.QuerySelector($"#fout-{field}").Should().NotBeNull();
        document.QuerySelector($"#veld-{field}")!.GetAttribute("aria-invalid").Should().Be("true");
    }

    [Test]
    public async Task A_refusal_s_detail_is_marked_as_the_engine_s_English_words_and_a_person_s_detail_is_not()
    {
        var door = site.App.Services.GetRequiredService<WriteDoor>();
        await door.Refuse<int>(Actor.SignedIn("dev-anna", "Anna Bakker"), AuditActions.BatchStep(Domain.Batches.BatchAction.Approve), "batch 99",
            Refusal.Of(RefusalCode.FourEyes, null, ("batch", 99L), ("preparer", "oidc:dev-anna")));
        using var dirk = await site.SignedIn("dirk", "/logboek");

        var details = new HtmlParser().ParseDocument(await dirk.GetStringAsync("/logboek")).QuerySelectorAll("#audit-records tbody tr td:last-child bdi").ToList();

        details.Should().ContainSingle(d => d.TextContent.Contains("four eyes")).Which.GetAttribute("lang").Should().Be("en");
        details.Where(d => d.TextContent.StartsWith("view ", StringComparison.Ordinal)).Should().NotBeEmpty().And.OnlyContain(d => d.GetAttribute("lang") == null);
    }

    [Test]
    public async Task Times_are_shown_in_Amsterdam_time_and_a_period_is_counted_in_Amsterdam_days()
    {
        using var dirk = await site.SignedIn("dirk", "/logboek");
        var document = new HtmlParser().ParseDocument(await dirk.GetStringAsync("/logboek"));
        var time = document.QuerySelector("#audit-records time")!;
        var at = InstantPattern.General.Parse(time.GetAttribute("datetime")!).Value;
        var local = at.InZone(MunicipalTime.Zone);
        time.TextContent.Should().Contain(local.ToString("HH:mm:ss", CultureInfo.InvariantCulture));

        var today = local.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        (await Rows(dirk, $"/logboek?van={today}&tot={today}")).Should().NotBeEmpty();
        var yesterday = local.Date.PlusDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        (await Rows(dirk, $"/logboek?van={yesterday}&tot={yesterday}&actie=session.sign_in")).Should().BeEmpty();
    }

    [Test]
    public async Task The_CSV_export_holds_every_record_of_the_filter_in_Amsterdam_time_and_is_itself_recorded()
    {
        using var dirk = await site.SignedIn("dirk", "/logboek");
        var page = await dirk.GetStringAsync("/logboek?huishouden=HH-A");
        using var response = await dirk.PostAsync("/logboek?handler=Export", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["huishouden"] = "HH-A", ["uitkomst"] = "viewed", ["__RequestVerificationToken"] = RunningSite.Token(page),
        }));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        response.Content.Headers.ContentDisposition!.FileName.Should().Contain("logboek-");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("id,at,actor_subject,actor_name,channel,action,target,municipality,outcome,detail,before,after,previous_id,hash");
        var expected = await Scalar<long>("SELECT count(*) FROM audit_log WHERE target = 'household HH-A' AND outcome = 'viewed'");
        lines.Length.Should().Be((int)expected + 1);
        var first = lines[1].Split(',');
        var at = OffsetDateTimePattern.ExtendedIso.Parse(first[1]);
        at.Success.Should().BeTrue(first[1]);
        var stored = Instant.FromDateTimeUtc(DateTime.SpecifyKind(await Scalar<DateTime>($"SELECT at FROM audit_log WHERE id = {first[0]}"), DateTimeKind.Utc));
        at.Value.Offset.Should().Be(MunicipalTime.Zone.GetUtcOffset(stored), "each time is written in Amsterdam time with its offset");
        first[13].Should().MatchRegex("^[0-9a-f]{64}$", "each record carries its hash in the chain");

        var record = await Scalar<string>("SELECT actor_subject || ' ' || outcome || ' ' || (after->>'records') || ' ' || (after->'filter'->>'household') FROM audit_log WHERE action = 'audit.export' ORDER BY id DESC LIMIT 1");
        record.Should().Be($"oidc:dev-dirk done {expected} HH-A");
    }

    [Test]
    public async Task A_household_page_links_to_its_own_trail_for_a_person_who_may_read_the_trail()
    {
        using var carla = await site.SignedIn("carla", "/huishoudens/HH-A");
        (await carla.GetStringAsync("/huishoudens/HH-A")).Should().NotContain("household-trail", "carla may not read the audit trail");

        // The same site, with carla's group also granting the auditor's role for GM0344.
        var (other, address) = await site.AnotherInstance(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ontzorging:Identity:Grants:0:Value"] = "ontzorging-caseworker-GM0344", ["Ontzorging:Identity:Grants:0:Role"] = "caseworker", ["Ontzorging:Identity:Grants:0:Municipalities:0"] = "GM0344",
            ["Ontzorging:Identity:Grants:1:Value"] = "ontzorging-caseworker-GM0344", ["Ontzorging:Identity:Grants:1:Role"] = "auditor", ["Ontzorging:Identity:Grants:1:Municipalities:0"] = "GM0344",
        }));
        try
        {
            using var both = await DevSignInClient.SignIn(address, "carla", RunningSite.Password, "/huishoudens/HH-A");
            var document = new HtmlParser().ParseDocument(await both.GetStringAsync("/huishoudens/HH-A"));
            var link = document.QuerySelector("#household-trail")!.GetAttribute("href")!;
            link.Should().Be("/logboek?huishouden=HH-A");
            (await Rows(both, link)).Should().NotBeEmpty().And.OnlyContain(r => r.Target == "huishouden HH-A");
        }
        finally
        {
            await other.StopAsync();
            await other.DisposeAsync();
        }
    }

    [Test]
    public async Task Showing_BSNs_in_full_is_recorded_under_the_household_s_municipality_so_only_its_auditors_read_it()
    {
        using var carla = await site.SignedIn("carla", "/huishoudens/HH-A");
        var page = await carla.GetStringAsync("/huishoudens/HH-A");
        (await carla.PostAsync("/huishoudens/HH-A/bsn", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = RunningSite.Token(page) })))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        (await Scalar<string>("SELECT municipality FROM audit_log WHERE action = 'household.bsn_unmasked' ORDER BY id DESC LIMIT 1")).Should().Be("GM0344");
    }

    [TestCase("carla")]
    [TestCase("anna")]
    public async Task Caseworkers_and_finance_officers_get_403_on_the_trail_and_its_export(string login)
    {
        using var client = await site.SignedIn(login, "/");
        (await client.GetAsync("/logboek")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var home = await client.GetStringAsync("/");
        (await client.PostAsync("/logboek?handler=Export", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = RunningSite.Token(home) })))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    private sealed record Row(string Who, string Action, string Target, string Outcome);

    private static async Task<List<Row>> Rows(HttpClient client, string address)
    {
        var document = new HtmlParser().ParseDocument(await client.GetStringAsync(address));
        return document.QuerySelectorAll("#audit-records tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList())
            .Select(c => new Row(c[2], c[3], c[4], c[5])).ToList();
    }

    private async Task<T> Scalar<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(site.Database.ConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql) ?? throw new InvalidOperationException(sql);
    }
}
