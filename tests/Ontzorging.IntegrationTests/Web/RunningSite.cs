using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Infrastructure.Simulation;
using Ontzorging.Infrastructure.Time;
using Ontzorging.IntegrationTests.Support;
using Ontzorging.Web.DevIdentity;
using Ontzorging.Web.Hosting;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// The real site on a free loopback port, over its own migrated database in which worked example A
/// (docs/examples/A, household HH-A of GM0344) was simulated from April to October 2026. People
/// sign in through the embedded OpenID Connect provider exactly as in production: the site's
/// handler fetches the provider's metadata, redirects, and redeems the code over HTTP.
/// </summary>
public sealed class RunningSite : IAsyncDisposable
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

    // The content folders of other instances, removed with the site.
    private readonly List<string> homes = [];

    /// <param name="input">The municipality simulated (default: worked example A's input), from <paramref name="from"/> (default April 2026).</param>
    public static async Task<RunningSite> Start(Action<IConfigurationBuilder>? configure = null, YearMonth? through = null, string? input = null, YearMonth? from = null)
    {
        var database = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0)));
        var output = Path.Combine(Path.GetTempPath(), $"ontzorging-site-{Guid.NewGuid():N}");
        try
        {
            await new SimulationRunner(database.Services).Run(input ?? Path.Combine(RepositoryPaths.Docs("examples"), "A", "input"), from ?? new YearMonth(2026, 4), through ?? new YearMonth(2026, 10), output);
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }

        var (app, address) = await Host(database, configure);
        return new RunningSite(database, app, address);
    }

    /// <summary>
    /// A second instance of the site on the same database, as a municipality runs two behind one
    /// address: its own port, its own content folder (so nothing on disk is shared) and its own
    /// embedded provider; only the database is common.
    /// </summary>
    public async Task<(WebApplication App, string Address)> AnotherInstance(Action<IConfigurationBuilder>? configure = null)
    {
        var home = Path.Combine(Path.GetTempPath(), $"ontzorging-site-home-{Guid.NewGuid():N}");
        Directory.CreateDirectory(home);
        homes.Add(home);
        return await Host(Database, configure, home);
    }

    private static async Task<(WebApplication, string)> Host(ScratchDatabase database, Action<IConfigurationBuilder>? configure, string? contentRoot = null)
    {
        var address = $"http://127.0.0.1:{WebApp.FreeLoopbackPort()}";
        var app = WebApp.Build(["--environment", "Development", "--contentRoot", contentRoot ?? Path.Combine(RepositoryPaths.Root, "src", "Ontzorging.Web")], builder =>
        {
            builder.WebHost.UseUrls(address);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ontzorging:Database:ConnectionString"] = database.ConnectionString,
                ["Ontzorging:Database:OwnerConnectionString"] = TestServer.OwnerConnectionStringFor(database.Name),
                ["Ontzorging:Web:PublicUrl"] = address,
                ["Ontzorging:Identity:DevelopmentProvider"] = "true",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            if (configure is not null)
            {
                configure(builder.Configuration);
            }
        });
        await app.StartAsync();
        await app.Services.GetRequiredService<Ontzorging.Infrastructure.Households.WorklistChanges>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
        return (app, address);
    }

    /// <summary>A client that keeps cookies and follows no redirect, so each answer can be looked at.</summary>
    public HttpClient Client(System.Net.CookieContainer? cookies = null) => DevSignInClient.Client(Address, cookies);

    /// <summary>Signs <paramref name="login"/> in through the provider over plain HTTP (<see cref="DevSignInClient"/>).</summary>
    public Task<HttpClient> SignedIn(string login, string returnUrl = "/", System.Net.CookieContainer? cookies = null) =>
        DevSignInClient.SignIn(Address, login, Password, returnUrl, cookies);

    /// <summary>The antiforgery token of a page's first form.</summary>
    public static string Token(string html) => DevSignInClient.Token(html);



    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Database.DisposeAsync();
        foreach (var home in homes.Where(Directory.Exists))
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
