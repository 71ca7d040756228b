using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Infrastructure.Simulation;
using Ontzorging.Infrastructure.Time;
using Ontzorging.IntegrationTests.Support;
using Ontzorging.Web.Hosting;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// The real site on a free loopback port, over its own migrated database in which worked example A
/// (docs/examples/A, household HH-A of GM0344) was simulated from April to October 2026. People
/// sign in through the embedded OpenID Connect provider exactly as in production: the site's
/// handler fetches the provider's metadata, redirects, and redeems the code over HTTP.
/// </summary>
public sealed partial class RunningSite : IAsyncDisposable
{
    public const string Password = "ontzorging-dev";

    private RunningSite(ScratchDatabase database, WebApplication app, string address)
    {
        Database = database;
        App = app;
        Address = address;
    }

    public ScratchDatabase Database { get; }

    public WebApplication App { get; }

    public string Address { get; }

    public static async Task<RunningSite> Start(Action<IConfigurationBuilder>? configure = null)
    {
        var database = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0)));
        var output = Path.Combine(Path.GetTempPath(), $"ontzorging-site-{Guid.NewGuid():N}");
        try
        {
            await new SimulationRunner(database.Services).Run(Path.Combine(RepositoryPaths.Docs("examples"), "A", "input"), new YearMonth(2026, 4), new YearMonth(2026, 10), output);
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }

        var address = $"http://127.0.0.1:{FreePort()}";
        var app = WebApp.Build(["--environment", "Development", "--contentRoot", Path.Combine(RepositoryPaths.Root, "src", "Ontzorging.Web")], builder =>
        {
            builder.WebHost.UseUrls(address);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ontzorging:Database:ConnectionString"] = database.ConnectionString,
                ["Ontzorging:Database:OwnerConnectionString"] = TestServer.OwnerConnectionStringFor(database.Name),
                ["Ontzorging:Web:PublicUrl"] = address,
                ["Logging:LogLevel:Default"] = "Warning",
            });
            if (configure is not null)
            {
                configure(builder.Configuration);
            }
        });
        await app.StartAsync();
        return new RunningSite(database, app, address);
    }

    /// <summary>A client that keeps cookies and follows no redirect, so each answer can be looked at.</summary>
    public HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true })
    {
        BaseAddress = new Uri(Address),
    };

    /// <summary>
    /// Signs <paramref name="login"/> in over plain HTTP, as a browser would: the site sends the
    /// client to the provider, the provider's form is posted, and the code comes back to the site.
    /// </summary>
    public async Task<HttpClient> SignedIn(string login, string returnUrl = "/")
    {
        var client = Client();
        var next = await Follow(client, $"/aanmelden/start?returnUrl={Uri.EscapeDataString(returnUrl)}", untilPath: "/idp/login");
        using var formResponse = await client.GetAsync(next);
        if (formResponse.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"the provider's sign-in page {next} answered {(int)formResponse.StatusCode} {formResponse.Headers.Location}");
        }

        var form = await formResponse.Content.ReadAsStringAsync();
        var response = await client.PostAsync(next, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = login,
            ["Password"] = Password,
            ["ReturnUrl"] = WebUtility.HtmlDecode(ReturnUrlField().Match(form).Groups[1].Value),
            ["__RequestVerificationToken"] = Token(form),
        }));
        var location = response.Headers.Location?.ToString() ?? throw new InvalidOperationException($"sign-in of {login} failed: {(int)response.StatusCode}");
        await Follow(client, location, untilPath: returnUrl);
        return client;
    }

    /// <summary>The antiforgery token of a page's first form.</summary>
    public static string Token(string html) => WebUtility.HtmlDecode(TokenField().Match(html).Groups[1].Value);

    private static async Task<string> Follow(HttpClient client, string url, string untilPath)
    {
        for (var hops = 0; hops < 10; hops++)
        {
            var uri = new Uri(client.BaseAddress!, url);
            if (uri.AbsolutePath == untilPath.Split('?')[0] && hops > 0)
            {
                return uri.ToString();
            }

            using var response = await client.GetAsync(uri);
            if (response.Headers.Location is null)
            {
                return uri.ToString();
            }

            url = response.Headers.Location.ToString();
        }

        throw new InvalidOperationException("too many redirects");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("name=\"ReturnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }
}
