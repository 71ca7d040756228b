using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ontzorging.Infrastructure.Sessions;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// Sessions that end (issue 21): a session is a row, its cookie only a key. Signing out removes the
/// row, so a copied cookie (the site's or the provider's) is refused afterwards; a session past its
/// idle or absolute lifetime is refused however its cookie looks; the lifetimes come from configuration.
/// </summary>
[NonParallelizable]
public sealed class SessionTests
{
    private RunningSite site = null!;

    [OneTimeSetUp]
    public async Task StartSite() => site = await RunningSite.Start(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Ontzorging:Web:SessionIdleMinutes"] = "15",
        ["Ontzorging:Web:SessionAbsoluteHours"] = "3",
    }));

    [OneTimeTearDown]
    public async Task StopSite() => await site.DisposeAsync();

    [Test]
    public async Task After_signing_out_a_copied_session_cookie_gets_the_sign_in_page_and_reveals_nothing()
    {
        var jar = new CookieContainer();
        using var carla = await site.SignedIn("carla", cookies: jar);
        var copied = Copy(jar);
        using (var thief = site.Client(copied))
        {
            (await thief.GetAsync("/huishoudens")).StatusCode.Should().Be(HttpStatusCode.OK, "before sign-out the copy works, as any bearer cookie does");
        }

        await SignOut(carla);

        using var after = site.Client(copied);
        using var list = await after.GetAsync("/huishoudens");
        list.StatusCode.Should().Be(HttpStatusCode.Redirect);
        list.Headers.Location!.AbsolutePath.Should().Be("/aanmelden");
        var page = await (await site.SignedIn("carla")).GetStringAsync("/huishoudens/HH-A");
        using var reveal = await after.PostAsync("/huishoudens/HH-A/bsn", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = RunningSite.Token(page) }));
        ((int)reveal.StatusCode).Should().BeOneOf(302, 400);
        (await site.Database.Scalar<long>("SELECT count(*) FROM audit_log WHERE action = 'household.bsn_unmasked'")).Should().Be(0);
        (await site.Database.Scalar<long>("SELECT count(*) FROM web_sessions WHERE subject = 'oidc:dev-carla' AND scheme = 'Cookies'")).Should().Be(1, "only the second sign-in's session is left");
    }

    [Test]
    public async Task After_signing_out_a_copied_provider_cookie_signs_nobody_in_without_a_password()
    {
        var jar = new CookieContainer();
        using var erik = await site.SignedIn("erik", cookies: jar);
        var provider = new CookieContainer();
        foreach (Cookie cookie in jar.GetAllCookies().Where(c => c.Name == "ozg.idp"))
        {
            provider.Add(cookie);
        }

        provider.Count.Should().Be(1, "the provider keeps its own session");
        await SignOut(erik);

        using var thief = site.Client(provider);
        var location = "/aanmelden/start?returnUrl=%2Fhuishoudens";
        for (var hop = 0; hop < 6 && !location.Contains("/idp/login", StringComparison.Ordinal) && !location.StartsWith("/huishoudens", StringComparison.Ordinal); hop++)
        {
            using var response = await thief.GetAsync(location);
            location = response.Headers.Location?.PathAndQuery ?? "(no redirect)";
        }

        location.Should().StartWith("/idp/login", "the provider asks for the password again");
    }

    [Test]
    public async Task The_cookie_holds_only_the_key_of_a_session_row_with_the_configured_lifetimes()
    {
        var jar = new CookieContainer();
        using var dirk = await site.SignedIn("dirk", cookies: jar);

        var cookie = jar.GetAllCookies().Single(c => c.Name == "ozg.session");
        cookie.Value.Length.Should().BeLessThan(600, "a ticket with claims would be longer; the cookie holds a protected key");
        (await site.Database.Scalar<long>("SELECT count(*) FROM web_sessions WHERE subject = 'oidc:dev-dirk'")).Should().BeGreaterThan(0);
        var absolute = await site.Database.Scalar<double>("SELECT extract(epoch FROM max(ends_at - created_at)) / 3600 FROM web_sessions WHERE subject = 'oidc:dev-dirk'");
        absolute.Should().BeApproximately(3, 0.01);
        var idle = await site.Database.Scalar<double>("SELECT extract(epoch FROM max(expires_at - created_at)) / 60 FROM web_sessions WHERE subject = 'oidc:dev-dirk'");
        idle.Should().BeApproximately(15, 0.5);
    }

    [TestCase("expires_at", TestName = "A session idle longer than its idle lifetime is refused")]
    [TestCase("ends_at", TestName = "A session past its absolute lifetime is refused however busy it was")]
    public async Task A_session_past_a_lifetime_is_refused(string column)
    {
        var jar = new CookieContainer();
        using var bob = await site.SignedIn("bob", "/betalingen", jar);
        (await bob.GetAsync("/betalingen")).StatusCode.Should().Be(HttpStatusCode.OK);

        // The absolute end pulls the idle expiry with it (a row never expires after it ends).
        await site.Database.ExecuteAsOwner(column == "ends_at"
            ? "UPDATE web_sessions SET expires_at = now() - interval '1 second', ends_at = now() - interval '1 second' WHERE subject = 'oidc:dev-bob'"
            : "UPDATE web_sessions SET expires_at = now() - interval '1 second' WHERE subject = 'oidc:dev-bob'");

        using var refused = await bob.GetAsync("/betalingen");
        refused.StatusCode.Should().Be(HttpStatusCode.Redirect);
        refused.Headers.Location!.AbsolutePath.Should().Be("/aanmelden");
    }

    [Test]
    public async Task A_busy_session_is_kept_alive_only_until_its_absolute_end()
    {
        var rows = site.App.Services.GetRequiredService<SessionRows>();
        var now = NodaTime.SystemClock.Instance.GetCurrentInstant();
        var key = new string('k', 40);
        await rows.Store(key, "test", "oidc:someone", [1, 2, 3], now + NodaTime.Duration.FromMinutes(15), now + NodaTime.Duration.FromHours(3));

        (await rows.Renew(key, [4, 5, 6], now + NodaTime.Duration.FromDays(30))).Should().BeTrue();

        (await site.Database.Scalar<bool>($"SELECT expires_at = ends_at FROM web_sessions WHERE key = '{key}'")).Should().BeTrue("renewing never moves a session past its end");
        (await rows.Retrieve(key)).Should().Equal(4, 5, 6);
        await rows.Remove(key);
        (await rows.Retrieve(key)).Should().BeNull();
    }

    private static CookieContainer Copy(CookieContainer jar)
    {
        var copy = new CookieContainer();
        foreach (Cookie cookie in jar.GetAllCookies())
        {
            copy.Add(new Cookie(cookie.Name, cookie.Value, cookie.Path, cookie.Domain));
        }

        return copy;
    }

    /// <summary>Signs out with the page's token and follows the provider's sign-out back to the site, as a browser does.</summary>
    private static async Task SignOut(HttpClient client)
    {
        var page = await client.GetStringAsync("/");
        using var response = await client.PostAsync("/afmelden", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = RunningSite.Token(page) }));
        var location = response.Headers.Location?.ToString();
        for (var hop = 0; location is not null && hop < 6 && !location.Contains("afgemeld", StringComparison.Ordinal); hop++)
        {
            using var next = await client.GetAsync(location);
            location = next.Headers.Location?.ToString();
        }

        location.Should().Contain("/aanmelden?afgemeld=1");
    }
}
