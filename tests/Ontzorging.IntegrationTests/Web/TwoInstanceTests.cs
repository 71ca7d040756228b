using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Builder;
using Ontzorging.Cli;
using Ontzorging.IntegrationTests.Support;
using Ontzorging.Web.DevIdentity;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// Two instances of the site behind one address (issue 21): two in-process hosts, each with its own
/// port, content folder and provider, on one database. A session and an antiforgery token made by one
/// are read by the other (the key ring and the sessions are in the database), and a write by either,
/// or by the CLI, shows at once on both worklists (the database announces it).
/// </summary>
[NonParallelizable]
public sealed class TwoInstanceTests
{
    private RunningSite first = null!;
    private WebApplication second = null!;
    private string secondAddress = "";

    [OneTimeSetUp]
    public async Task StartBoth()
    {
        first = await RunningSite.Start();
        (second, secondAddress) = await first.AnotherInstance();
    }

    [OneTimeTearDown]
    public async Task StopBoth()
    {
        await second.StopAsync();
        await second.DisposeAsync();
        await first.DisposeAsync();
    }

    [Test]
    public async Task A_person_signed_in_on_the_first_records_a_decision_on_the_second_and_the_first_worklist_shows_it_at_once()
    {
        var jar = new CookieContainer();
        using var onFirst = await first.SignedIn("carla", "/huishoudens", jar);
        var before = Row(await onFirst.GetStringAsync("/huishoudens"));
        using var onSecond = DevSignInClient.Client(secondAddress, jar);

        var form = await onSecond.GetAsync("/huishoudens/HH-A/besluit");
        form.StatusCode.Should().Be(HttpStatusCode.OK, "the second instance reads the session the first one made");
        using var recorded = await onSecond.PostAsync("/huishoudens/HH-A/besluit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Kind"] = "extension", ["On"] = "2026-10-01", ["Months"] = "3", ["Reason"] = "art. 57 Pw, second instance",
            ["__RequestVerificationToken"] = RunningSite.Token(await form.Content.ReadAsStringAsync()),
        }));

        recorded.StatusCode.Should().Be(HttpStatusCode.Redirect, "the antiforgery token of one instance holds on the other");
        (await first.Database.Scalar<string>("SELECT recorded_by FROM decisions WHERE reason = 'art. 57 Pw, second instance'")).Should().Be("oidc:dev-carla");
        (await Eventually(async () => Row(await onFirst.GetStringAsync("/huishoudens")), after => after != before))
            .Should().NotBe(before, "the first instance's worklist is computed afresh when the second writes");
    }

    [Test]
    public async Task A_decision_from_the_CLI_shows_on_both_instances()
    {
        using var onFirst = await first.SignedIn("carla", "/huishoudens");
        using var onSecond = await DevSignInClient.SignIn(secondAddress, "carla", RunningSite.Password, "/huishoudens");
        var before = (First: Row(await onFirst.GetStringAsync("/huishoudens")), Second: Row(await onSecond.GetStringAsync("/huishoudens")));
        before.First.Should().Be(before.Second);

        var cli = await CliRunner.RunAs("carla", first.Database.Configuration, "household", "decide", "HH-A", "extension", "--on", "2026-10-02", "--months", "2", "--reason", "from the CLI");
        cli.ExitCode.Should().Be(ExitCodes.Ok, cli.Error);

        (await Eventually(async () => Row(await onFirst.GetStringAsync("/huishoudens")), after => after != before.First)).Should().NotBe(before.First);
        (await Eventually(async () => Row(await onSecond.GetStringAsync("/huishoudens")), after => after != before.Second)).Should().NotBe(before.Second);
    }

    [Test]
    public async Task Signing_out_on_one_instance_ends_the_session_on_both()
    {
        var jar = new CookieContainer();
        using var onFirst = await first.SignedIn("dirk", "/", jar);
        using var onSecond = DevSignInClient.Client(secondAddress, jar);
        (await onSecond.GetAsync("/logboek")).StatusCode.Should().Be(HttpStatusCode.OK);

        var page = await onSecond.GetStringAsync("/");
        using var signOut = await onSecond.PostAsync("/afmelden", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = RunningSite.Token(page) }));
        signOut.StatusCode.Should().Be(HttpStatusCode.Redirect);

        using var after = await onFirst.GetAsync("/logboek");
        after.StatusCode.Should().Be(HttpStatusCode.Redirect);
        after.Headers.Location!.AbsolutePath.Should().Be("/aanmelden");
    }

    [Test]
    public async Task A_second_site_process_with_another_home_folder_accepts_the_first_one_s_session()
    {
        var jar = new CookieContainer();
        using var onFirst = await first.SignedIn("carla", "/huishoudens", jar);
        var home = Directory.CreateTempSubdirectory("ontzorging-other-home-").FullName;
        var address = $"http://127.0.0.1:{Ontzorging.Web.Hosting.WebApp.FreeLoopbackPort()}";
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        var project = Path.Combine(RepositoryPaths.Root, "src", "Ontzorging.Web");
        var info = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(project, "bin", configuration, "net10.0", "Ontzorging.Web.dll")])
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["HOME"] = home;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_URLS"] = address;
        info.Environment["Ontzorging__Identity__DevelopmentProvider"] = "true";
        info.Environment["Ontzorging__Web__PublicUrl"] = address;
        info.Environment["Ontzorging__Database__ConnectionString"] = first.Database.ConnectionString;
        using var process = System.Diagnostics.Process.Start(info)!;
        try
        {
            using var other = DevSignInClient.Client(address, jar);
            for (var i = 0; i < 150 && !process.HasExited; i++)
            {
                try
                {
                    if ((await other.GetAsync("/health")).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(200);
                }
            }

            using var list = await other.GetAsync("/huishoudens");

            list.StatusCode.Should().Be(HttpStatusCode.OK, "the other process reads the session with the key ring from the database, not from its own home folder");
            (await list.Content.ReadAsStringAsync()).Should().Contain("HH-A");
            Directory.Exists(Path.Combine(home, ".aspnet", "DataProtection-Keys")).Should().BeFalse("no key is kept in the home folder");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>HH-A's row on the worklist, as its cells' text.</summary>
    private static string Row(string html) =>
        string.Join(" | ", new HtmlParser().ParseDocument(html).QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains("HH-A", StringComparison.Ordinal))
            .QuerySelectorAll("td, th").Select(c => c.TextContent.Trim()));

    /// <summary>
    /// The announcement travels from the database to the other instance in milliseconds, after the
    /// writer's commit: asked again for up to five seconds, never longer than the list's freshness.
    /// </summary>
    private static async Task<string> Eventually(Func<Task<string>> read, Func<string, bool> done)
    {
        var value = await read();
        for (var i = 0; i < 50 && !done(value); i++)
        {
            await Task.Delay(100);
            value = await read();
        }

        return value;
    }
}
