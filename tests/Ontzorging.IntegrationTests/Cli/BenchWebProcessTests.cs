using System.Diagnostics;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Cli;

/// <summary>
/// `bench web` hosts the site in a program of its own (src/Ontzorging.WebBench), which must run with
/// the culture data the site needs: run as the built executable, as a person would, not inside the
/// tests. The CLI itself no longer ships the site.
/// </summary>
public sealed class BenchWebProcessTests
{
    [Test]
    public async Task Bench_web_runs_as_its_own_executable_and_reports_both_pages()
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        var dll = Path.Combine(RepositoryPaths.Root, "src", "Ontzorging.WebBench", "bin", configuration, "net10.0", "ontzorging-webbench.dll");
        File.Exists(dll).Should().BeTrue($"the benchmark is built with the solution ({dll})");
        var info = new ProcessStartInfo("dotnet", [dll, "bench", "web", "--households", "20", "--requests", "10"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["Ontzorging__Database__ConnectionString"] = TestServer.ApplicationConnectionString;
        info.Environment["Ontzorging__Database__OwnerConnectionString"] = TestServer.OwnerConnectionStringFor(TestServer.TemplateDatabase);

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(0, output + await error);
        output.Should().Contain("household page").And.Contain("worklist page").And.Contain("batch page");
    }

    [Test]
    public void The_cli_does_not_ship_the_site()
    {
        typeof(Ontzorging.Cli.OntzorgingCli).Assembly.GetReferencedAssemblies().Select(a => a.Name).Should().NotContain("Ontzorging.Web");
        File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Ontzorging.Cli", "Ontzorging.Cli.csproj")).Should().NotContain("Ontzorging.Web");
    }
}
