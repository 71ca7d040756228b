using System.Net;
using AngleSharp.Html.Parser;
using Ontzorging.Web.Identity;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// Who enters which part of the site (docs/rules.md §14, issue 22 §5): every page of the officers'
/// and auditors' parts answers a caseworker 403 for every method, and each person's menu offers
/// exactly the parts they may enter.
/// </summary>
public sealed class RoleBoundaryTests
{
    private static readonly string[] OfficersAndAuditorsPages =
    [
        "/betalingen", "/betalingen/1", "/bankafschriften", "/suggesties", "/aansluiting?van=2026-06-01&tot=2026-10-31", "/logboek", "/beheer",
    ];

    private RunningSite site = null!;

    [OneTimeSetUp]
    public async Task StartSite() => site = await RunningSite.Start();

    [OneTimeTearDown]
    public async Task StopSite() => await site.DisposeAsync();

    [Test]
    public async Task A_caseworker_gets_403_on_every_page_of_the_officers_and_auditors_whatever_the_method()
    {
        using var carla = await site.SignedIn("carla", "/");
        var token = RunningSite.Token(await carla.GetStringAsync("/"));
        var answers = new List<string>();
        foreach (var path in OfficersAndAuditorsPages)
        {
            using var get = await carla.GetAsync(path);
            answers.Add($"GET {path}: {(int)get.StatusCode}");
            using var post = await carla.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
            answers.Add($"POST {path}: {(int)post.StatusCode}");
        }

        answers.Should().OnlyContain(a => a.EndsWith(": 403", StringComparison.Ordinal));
    }

    [TestCase("carla", "/huishoudens,/klachten")]
    [TestCase("klacht", "/klachten")]
    [TestCase("anna", "/betalingen,/bankafschriften")]
    [TestCase("dirk", "/bankafschriften,/suggesties,/aansluiting,/logboek")]
    [TestCase("beheer", "/bankafschriften,/suggesties,/aansluiting,/logboek,/beheer")]
    public async Task The_menu_offers_each_person_exactly_the_parts_they_may_enter(string login, string parts)
    {
        using var client = await site.SignedIn(login, "/");
        var document = new HtmlParser().ParseDocument(await client.GetStringAsync("/"));
        var offered = document.QuerySelectorAll("nav.site-nav a").Select(a => a.GetAttribute("href")!).ToList();

        offered.Should().Equal(parts.Split(','));
        foreach (var section in SiteSections.All)
        {
            using var response = await client.GetAsync(section.Path);
            response.StatusCode.Should().Be(offered.Contains(section.Path) ? HttpStatusCode.OK : HttpStatusCode.Forbidden, section.Path);
        }
    }
}
