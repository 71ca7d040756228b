using System.Net;
using AngleSharp.Html.Parser;
using Dapper;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// The forecast on the household page and its what-if (issue 23, docs/rules.md §16): shown next to
/// the money story, tried without recording anything, refused field by field with 422.
/// </summary>
public sealed class ForecastPageTests
{
    // Worked example A as it stood on 1 June: the June batch prepared, the toeslagen not yet come.
    private const string June = "/huishoudens/HH-A?op=2026-06-01";

    private RunningSite site = null!;

    [OneTimeSetUp]
    public async Task StartSite() => site = await RunningSite.Start();

    [OneTimeTearDown]
    public async Task StopSite() => await site.DisposeAsync();

    [Test]
    public async Task The_household_page_shows_the_forecast_from_the_next_month_with_the_toeslagen_it_expects()
    {
        using var carla = await site.SignedIn("carla");

        var document = new HtmlParser().ParseDocument(await carla.GetStringAsync(June));

        var rows = document.QuerySelectorAll("#forecast-table tbody tr").Select(r => r.Id).ToList();
        rows.Should().StartWith(["prognose-2026-07"], "the June batch is prepared; the forecast starts with July");
        document.QuerySelector("#forecast-risk")!.TextContent.Should().Contain("Geen maand met risico", "credit bridges A's months at the minimum, far below its cap");
        document.QuerySelector("#prognose-2026-07")!.TextContent.Should().Contain("€ 173,33", "July's leefgeld is the minimum while no toeslag has come");
        document.QuerySelectorAll(".expected-receipts li").Select(li => li.TextContent).Should().Contain(t => t.Contains("Huurtoeslag") || t.Contains("huurtoeslag"));
    }

    [Test]
    public async Task A_what_if_extension_marks_the_months_it_changes_and_records_nothing()
    {
        using var carla = await site.SignedIn("carla");
        var decisionsBefore = await Count("SELECT count(*) FROM decisions");

        using var response = await carla.GetAsync(June + "&wat_als=1&extension_months=2");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        var changed = document.QuerySelectorAll("#forecast-table tbody tr.changed").Select(r => r.Id).ToList();
        changed.Should().Contain(["prognose-2026-10", "prognose-2026-11"], "two more months of the period: October and November now pay bijstand and the fixed costs");
        document.QuerySelector("#prognose-2026-10")!.TextContent.Should().Contain("€ 1.300,00", "October gets bijstand with the extension");
        (await Count("SELECT count(*) FROM decisions")).Should().Be(decisionsBefore, "a what-if records nothing");
    }

    [TestCase("extension_months=13", "extension_months", TestName = "A what-if extension of 13 months is refused at its field with 422, as recording it would be")]
    [TestCase("write_off=1.000", "write_off", TestName = "A what-if write-off of an ambiguous amount is refused at its field with 422")]
    [TestCase("write_off=5000", "write_off", TestName = "A what-if write-off of more than the credit outstanding is refused at its field with 422")]
    [TestCase("rent_amount=abc", "rent_amount", TestName = "A what-if rent that is not an amount is refused at its field with 422")]
    [TestCase("toeslag_kind=bijstand&toeslag_amount=100", "toeslag_kind", TestName = "A what-if toeslag of a kind that is no toeslag is refused at its field with 422")]
    [TestCase("frequency=daily", "frequency", TestName = "A what-if leefgeld frequency that does not exist is refused at its field with 422")]
    [TestCase("extension_months=", "what_if", TestName = "A what-if with nothing to try is refused with 422")]
    public async Task A_what_if_that_cannot_be_read_is_refused_at_its_field(string query, string field)
    {
        using var carla = await site.SignedIn("carla");

        using var response = await carla.GetAsync(June + "&wat_als=1&" + query);

        response.StatusCode.Should().Be((HttpStatusCode)422);
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        if (field != "what_if")
        {
            document.QuerySelector($"#fout-{field}").Should().NotBeNull("the refusal stands next to its field");
        }

        document.QuerySelector("[role=alert]")!.TextContent.Should().Contain("niet geprobeerd");
        document.QuerySelectorAll("#forecast-table tbody tr.changed").Should().BeEmpty();
    }

    private async Task<long> Count(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(site.Database.ConnectionString);
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}
