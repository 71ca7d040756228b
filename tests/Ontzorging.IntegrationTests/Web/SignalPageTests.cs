using System.Net;
using AngleSharp.Html.Parser;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Signals;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// The money signals on the site (issue 24, docs/rules.md §15, §18): the sample municipality from
/// March to August 2026 and the watch run on 1 September. HH-0017's huurtoeslag never arrived: the
/// worklist lists its signals with a date and an amount, the household page lists them with the
/// suppress form, and a suppression without a reason is refused next to its field with 422.
/// </summary>
public sealed class SignalPageTests
{
    private RunningSite site = null!;

    [OneTimeSetUp]
    public async Task StartSite()
    {
        site = await RunningSite.Start(input: SampleCopy.Samples, from: new YearMonth(2026, 3), through: new YearMonth(2026, 8));
        await site.Database.Services.GetRequiredService<MoneySignals>().Run(Actor.System("signal-watch"), new LocalDate(2026, 9, 1));
    }

    [OneTimeTearDown]
    public async Task StopSite() => await site.DisposeAsync();

    [Test]
    public async Task The_worklist_shows_HH_0017s_missing_huurtoeslag_with_its_date_and_amount()
    {
        using var carla = await site.SignedIn("carla");

        var document = new HtmlParser().ParseDocument(await carla.GetStringAsync("/huishoudens?reden=PaymentMissing&pagina=1"));

        var row = document.QuerySelectorAll("tbody tr").Single(r => r.QuerySelector("th")!.TextContent.Trim() == "HH-0017");
        row.TextContent.Should().Contain("Betaling niet ontvangen").And.Contain("Niet ontvangen (huurtoeslag, maart 2026): 22 juni 2026, € 420,00",
            "March to July were owed together on 22 June; each month is its own signal");
    }

    [Test]
    public async Task A_suppression_without_a_reason_is_refused_at_its_field_and_one_with_a_reason_is_made()
    {
        using var carla = await site.SignedIn("carla");
        var page = await carla.GetStringAsync("/huishoudens/HH-0017");
        var document = new HtmlParser().ParseDocument(page);
        document.QuerySelectorAll("#signalen ~ div table tbody tr").Should().NotBeEmpty();
        var signal = document.QuerySelector("#veld-signal option")!.GetAttribute("value")!;

        using var refused = await carla.PostAsync("/huishoudens/HH-0017/signalen", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Signal"] = signal, ["Reason"] = " ", ["__RequestVerificationToken"] = RunningSite.Token(page),
        }));

        refused.StatusCode.Should().Be((HttpStatusCode)422);
        new HtmlParser().ParseDocument(await refused.Content.ReadAsStringAsync()).QuerySelector("#fout-reason")!.TextContent
            .Should().Contain("reden");
        (await Status(long.Parse(signal, System.Globalization.CultureInfo.InvariantCulture))).Should().Be("open");

        using var done = await carla.PostAsync("/huishoudens/HH-0017/signalen", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Signal"] = signal, ["Reason"] = "Bezwaar loopt bij Dienst Toeslagen", ["__RequestVerificationToken"] = RunningSite.Token(page),
        }));

        done.StatusCode.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.Redirect, HttpStatusCode.SeeOther);
        (await Status(long.Parse(signal, System.Globalization.CultureInfo.InvariantCulture))).Should().Be("suppressed");
    }

    private async Task<string> Status(long id)
    {
        await using var connection = await site.Database.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT status FROM money_signals WHERE id = @Id", new { Id = id }) ?? "";
    }
}
