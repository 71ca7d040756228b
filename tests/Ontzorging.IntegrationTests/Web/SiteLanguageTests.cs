using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using NodaTime;
using NodaTime.Text;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// The site's pages in Dutch and English (issue 20): codes appear as words, moments in
/// Europe/Amsterdam, euros in the culture's number format, and the unreviewed English says so.
/// </summary>
public sealed partial class SiteLanguageTests
{
    private static readonly DateTimeZone Amsterdam = DateTimeZoneProviders.Tzdb["Europe/Amsterdam"];

    private RunningSite site = null!;

    [OneTimeSetUp]
    public async Task StartSite() => site = await RunningSite.Start();

    [OneTimeTearDown]
    public async Task StopSite() => await site.DisposeAsync();

    [Test]
    public async Task The_household_page_in_Dutch_shows_no_code_and_no_UTC_time()
    {
        using var carla = await site.SignedIn("carla");
        var form = await carla.GetStringAsync("/huishoudens/HH-A/besluit");
        using var recorded = await carla.PostAsync("/huishoudens/HH-A/besluit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Kind"] = "zrm_score", ["On"] = "2026-10-20", ["Score"] = "4", ["Reason"] = "gesprek", ["__RequestVerificationToken"] = RunningSite.Token(form),
        }));
        recorded.StatusCode.Should().Be(HttpStatusCode.Redirect);

        var html = await carla.GetStringAsync("/huishoudens/HH-A");
        var document = new HtmlParser().ParseDocument(html);
        var text = document.Body!.TextContent;

        document.DocumentElement.GetAttribute("lang").Should().Be("nl");
        foreach (var code in new[] { "health_insurance", "decision_overdue", "zrm_score", "partially_settled", "not_ready", "in_progress", "batch_draft",
                     "training_completed", "toeslagen_irregular", "household decide", "UTC" })
        {
            text.Should().NotContain(code);
        }

        SnakeCase().Matches(text).Select(m => m.Value).Should().BeEmpty("no code with an underscore reaches the page");
        text.Should().Contain("zorgverzekering").And.Contain("huur").And.Contain("ZRM-score").And.Contain("Training afgerond");
        document.QuerySelector("#translation-note").Should().BeNull("the Dutch texts are the original");

        var at = await StoredInstant("SELECT recorded_at FROM decisions WHERE kind = 'zrm_score' AND decided_on = '2026-10-20'");
        var cell = document.QuerySelectorAll("#decisions time").Single(t => t.GetAttribute("datetime") == InstantPattern.General.Format(at));
        cell.TextContent.Should().Be(at.InZone(Amsterdam).LocalDateTime.ToString("d MMMM yyyy HH:mm", CultureInfo.GetCultureInfo("nl-NL")),
            "a moment is shown as the municipality's clock showed it");
    }

    [Test]
    public async Task The_audit_page_shows_each_moment_in_Amsterdam_time()
    {
        using var dirk = await site.SignedIn("dirk");

        var document = new HtmlParser().ParseDocument(await dirk.GetStringAsync("/logboek"));
        var newest = await StoredInstant("SELECT at FROM audit_log ORDER BY id DESC LIMIT 1");

        var first = document.QuerySelector("tbody time")!;
        first.GetAttribute("datetime").Should().Be(InstantPattern.General.Format(newest));
        first.TextContent.Should().Be(newest.InZone(Amsterdam).LocalDateTime.ToString("d MMMM yyyy HH:mm:ss", CultureInfo.GetCultureInfo("nl-NL")));
        document.Body!.TextContent.Should().NotContain("UTC").And.NotContain("session.sign_in").And.Contain("inloggen");
    }

    [Test]
    public async Task Amounts_are_written_the_Dutch_way_in_Dutch_and_the_English_way_in_English()
    {
        using var carla = await site.SignedIn("carla");

        var dutch = new HtmlParser().ParseDocument(await carla.GetStringAsync("/huishoudens/HH-A"));
        using var chosen = await carla.GetAsync("/taal/en?terug=%2Fhuishoudens%2FHH-A");
        var english = new HtmlParser().ParseDocument(await carla.GetStringAsync("/huishoudens/HH-A"));

        dutch.QuerySelector("#credit-outstanding")!.TextContent.Should().Contain("€ 1.000,00");
        chosen.StatusCode.Should().Be(HttpStatusCode.Redirect);
        chosen.Headers.Location!.ToString().Should().Be("/huishoudens/HH-A");
        english.DocumentElement.GetAttribute("lang").Should().Be("en");
        english.QuerySelector("#credit-outstanding")!.TextContent.Should().Contain("€1,000.00").And.NotContain("£");
        english.Body!.TextContent.Should().Contain("health insurance").And.NotContain("health_insurance");
        english.QuerySelector("#translation-note")!.TextContent.Should().Contain("native speaker", "staff are told that no native speaker reviewed the English");
        SnakeCase().Matches(english.Body!.TextContent).Select(m => m.Value).Should().BeEmpty();
    }

    private async Task<Instant> StoredInstant(string sql)
    {
        var text = await site.Database.Scalar<string>($"SELECT to_char(({sql}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
        return InstantPattern.General.Parse(text).Value;
    }

    [GeneratedRegex(@"\b[a-z]+_[a-z_0-9]+\b")]
    private static partial Regex SnakeCase();
}
