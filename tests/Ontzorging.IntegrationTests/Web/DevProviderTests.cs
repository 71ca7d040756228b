using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Ontzorging.IntegrationTests.Support;
using Ontzorging.Web.DevIdentity;
using Ontzorging.Web.Hosting;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// The development provider only where it is asked for, and strict where it runs (issue 21): codes
/// are single use, only S256 proof keys are accepted, a silent sign-in without a session is told
/// <c>login_required</c>, and a site outside Development, or with no provider, refuses to start.
/// </summary>
[NonParallelizable]
public sealed class DevProviderTests
{
    private RunningSite site = null!;

    [OneTimeSetUp]
    public async Task StartSite() => site = await RunningSite.Start();

    [OneTimeTearDown]
    public async Task StopSite() => await site.DisposeAsync();

    [Test]
    public async Task An_authorization_code_is_redeemed_once()
    {
        var jar = new CookieContainer();
        using var signedIn = await site.SignedIn("carla", cookies: jar);
        var (verifier, challenge) = ProofKey();
        using var client = site.Client(jar);

        using var authorize = await client.GetAsync(Authorize(challenge, "S256"));
        var query = QueryHelpers.ParseQuery(authorize.Headers.Location!.Query);
        query.Should().ContainKey("code", "carla is signed in to the provider, so a code comes back");
        var redeem = () => client.PostAsync("/idp/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = query["code"]!, ["redirect_uri"] = site.Address + "/signin-oidc",
            ["client_id"] = "ontzorging-web", ["client_secret"] = DevIdentityProvider.ClientSecret, ["code_verifier"] = verifier,
        }));

        using var once = await redeem();
        using var twice = await redeem();
        using var thrice = await redeem();

        once.StatusCode.Should().Be(HttpStatusCode.OK, await once.Content.ReadAsStringAsync());
        twice.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await twice.Content.ReadAsStringAsync()).Should().Contain("invalid_grant");
        thrice.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task A_plain_proof_key_is_refused_and_only_S256_is_offered()
    {
        using var client = site.Client();
        var (_, challenge) = ProofKey();

        using var plain = await client.GetAsync(Authorize(challenge, "plain"));
        var metadata = await client.GetStringAsync("/.well-known/openid-configuration");

        plain.StatusCode.Should().Be(HttpStatusCode.BadRequest, "no sign-in form is shown for it");
        (await plain.Content.ReadAsStringAsync()).Should().Contain("invalid_request").And.Contain("code_challenge_method");
        System.Text.Json.JsonDocument.Parse(metadata).RootElement.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString())
            .Should().Equal("S256");
    }

    [Test]
    public async Task A_silent_sign_in_without_a_session_answers_login_required_instead_of_a_form()
    {
        using var client = site.Client();
        var (_, challenge) = ProofKey();

        using var silent = await client.GetAsync(Authorize(challenge, "S256") + "&prompt=none");

        silent.StatusCode.Should().Be(HttpStatusCode.Redirect);
        silent.Headers.Location!.ToString().Should().StartWith(site.Address + "/signin-oidc").And.Contain("error=login_required");
    }

    [TestCase("Staging")]
    [TestCase("Production")]
    public void Outside_Development_a_site_without_a_provider_refuses_to_start_and_says_what_to_configure(string environment)
    {
        var start = () => WebApp.Build(["--environment", environment, "--contentRoot", Path.Combine(RepositoryPaths.Root, "src", "Ontzorging.Web")], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Ontzorging:Database:ConnectionString"] = site.Database.ConnectionString }));

        start.Should().Throw<SiteConfigurationException>().WithMessage("*No identity provider is configured*Ontzorging:Identity:Authority*").WithMessage("*KeyCertificate*");
    }

    [TestCase("Staging")]
    [TestCase("Production")]
    public void The_development_provider_switched_on_outside_Development_refuses_to_start(string environment)
    {
        var start = () => WebApp.Build(["--environment", environment, "--contentRoot", Path.Combine(RepositoryPaths.Root, "src", "Ontzorging.Web")], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ontzorging:Identity:DevelopmentProvider"] = "true",
                ["Ontzorging:Database:ConnectionString"] = site.Database.ConnectionString,
            }));

        start.Should().Throw<SiteConfigurationException>().WithMessage($"*runs only in the Development environment, not in {environment}*");
    }

    [Test]
    public void In_Development_without_the_switch_the_site_refuses_to_start_too()
    {
        var start = () => WebApp.Build(["--environment", "Development", "--contentRoot", Path.Combine(RepositoryPaths.Root, "src", "Ontzorging.Web")], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Ontzorging:Database:ConnectionString"] = site.Database.ConnectionString }));

        start.Should().Throw<SiteConfigurationException>().WithMessage("*DevelopmentProvider=true*");
    }

    [Test]
    public async Task With_a_real_provider_configured_the_development_provider_is_not_there()
    {
        using var certificate = SiteCertificates.SelfSigned(out var file, out var password);
        var address = $"http://127.0.0.1:{WebApp.FreeLoopbackPort()}";
        await using var app = WebApp.Build(["--environment", "Staging", "--contentRoot", Path.Combine(RepositoryPaths.Root, "src", "Ontzorging.Web")], builder =>
        {
            builder.WebHost.UseUrls(address);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ontzorging:Identity:Authority"] = "https://login.example.org/tenant/v2.0",
                ["Ontzorging:Identity:ClientSecret"] = "secret",
                ["Ontzorging:Web:KeyCertificate"] = file,
                ["Ontzorging:Web:KeyCertificatePassword"] = password,
                ["Ontzorging:Database:ConnectionString"] = site.Database.ConnectionString,
                ["Logging:LogLevel:Default"] = "Warning",
            });
        });
        await app.StartAsync();
        using var client = DevSignInClient.Client(address);

        foreach (var path in new[] { "/idp/authorize", "/idp/login", "/idp/token", "/.well-known/openid-configuration" })
        {
            using var response = await client.GetAsync(path);
            ((int)response.StatusCode).Should().BeOneOf([302, 307, 308, 404], $"{path} is not the provider's: it is not mapped (HTTPS redirect or not found)");
            (response.Headers.Location?.AbsolutePath ?? "").Should().NotStartWith("/idp/login");
        }

        await app.StopAsync();
    }

    private string Authorize(string challenge, string method) =>
        $"/idp/authorize?client_id=ontzorging-web&redirect_uri={Uri.EscapeDataString(site.Address + "/signin-oidc")}&response_type=code&scope=openid&state=s1&nonce=n1"
        + $"&code_challenge={challenge}&code_challenge_method={method}";

    private static (string Verifier, string Challenge) ProofKey()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
