using System.Diagnostics;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Cli;

/// <summary>
/// `bench web` hosts the site inside the CLI's own process, so the CLI must run with the culture
/// data the site needs: run as the built executable, as a person would, not inside the tests.
/// </summary>
public sealed class BenchWebProcessTests
{
    [Test]
    public async Task Bench_web_runs_as_the_cli_executable_and_reports_both_pages()
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        var dll = Path.Combine(RepositoryPaths.Root, "src", "Ontzorging.Cli", "bin", configuration, "net10.0", "ontzorging.dll");
        File.Exists(dll).Should().BeTrue($"the CLI is built beside the tests ({dll})");
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
        output.Should().Contain("household page").And.Contain("worklist page");
    }
}
