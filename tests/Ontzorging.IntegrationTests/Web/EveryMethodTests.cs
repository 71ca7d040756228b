using System.Net;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// Every page, asked with every method by the person allowed to see it (with a valid antiforgery
/// token), answers without a server error: a method a page has no handler for is 405 (issue 21).
/// </summary>
[NonParallelizable]
public sealed class EveryMethodTests
{
    private RunningSite site = null!;

    [OneTimeSetUp]
    public async Task StartSite() => site = await RunningSite.Start();

    [OneTimeTearDown]
    public async Task StopSite() => await site.DisposeAsync();

    [Test]
    public async Task No_page_answers_a_method_without_a_handler_with_a_server_error()
    {
        var batch = await site.Database.Scalar<long>("SELECT min(id) FROM batches");
        var pages = new (string Login, string Path)[]
        {
            ("carla", "/"), ("carla", "/huishoudens"), ("carla", "/huishoudens/HH-A"), ("carla", "/huishoudens/HH-A/besluit"), ("carla", "/huishoudens/HH-A/bsn"),
            ("bob", "/betalingen"), ("bob", $"/betalingen/{batch}"), ("dirk", "/logboek"), ("beheer", "/beheer"), ("beheer", "/logboek"),
            ("dirk", "/bankafschriften"), ("dirk", "/bankafschriften/inlezen"), ("dirk", "/bankafschriften/bevestigen"), ("dirk", "/bankafschriften/voortgang"),
            ("dirk", "/suggesties"), ("dirk", "/aansluiting"), ("dirk", "/aansluiting/grootboek"), ("carla", "/aanmelden"), ("carla", "/fout"),
            ("carla", "/klachten"), ("carla", "/klachten/register"), ("carla", "/klachten/nieuw?huishouden=HH-A"),
        };
        var answers = new List<string>();
        foreach (var login in pages.Select(p => p.Login).Distinct())
        {
            using var client = await site.SignedIn(login);
            var token = RunningSite.Token(await client.GetStringAsync(login == "bob" ? "/betalingen" : login is "dirk" or "beheer" ? "/" : "/huishoudens"));
            foreach (var (_, path) in pages.Where(p => p.Login == login))
            {
                foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
                {
                    using var request = new HttpRequestMessage(method, path) { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }) };
                    using var response = await client.SendAsync(request);
                    answers.Add($"{method} {path}: {(int)response.StatusCode}");
                }
            }
        }

        answers.Where(a => a.EndsWith(": 500", StringComparison.Ordinal) || a.Contains(": 5", StringComparison.Ordinal)).Should().BeEmpty();
        answers.Should().Contain("PUT /huishoudens/HH-A: 405").And.Contain("DELETE /logboek: 405").And.Contain("POST /huishoudens/HH-A/bsn: 200");
    }

    [Test]
    public async Task Signing_out_needs_the_page_s_antiforgery_token_so_another_site_cannot_sign_a_person_out()
    {
        using var carla = await site.SignedIn("carla");
        var page = await carla.GetStringAsync("/huishoudens");

        using var forged = await carla.PostAsync("/afmelden", new FormUrlEncodedContent(new Dictionary<string, string>()));
        forged.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await carla.GetAsync("/huishoudens")).StatusCode.Should().Be(HttpStatusCode.OK, "a forged sign-out leaves the person signed in");

        using var genuine = await carla.PostAsync("/afmelden", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = RunningSite.Token(page) }));
        genuine.StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    [Test]
    public async Task A_bare_answer_from_the_provider_sends_the_person_to_sign_in_instead_of_failing()
    {
        using var client = site.Client();

        using var response = await client.GetAsync("/signin-oidc");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/aanmelden");
    }
}
