using System.Diagnostics;
using System.Text.Json.Nodes;
using Ontzorging.Domain;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Architecture;

/// <summary>
/// Text is stored in NFC and searched without accents (docs/rules.md §10), which needs ICU's Unicode
/// data: under invariant globalization string.Normalize does nothing. Every host that writes text is
/// built with it, and a host started without it stops instead of storing text as it came.
/// </summary>
public sealed class UnicodeDataTests
{
    private static readonly string Configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;

    [TestCase("src/Ontzorging.Cli", "ontzorging", TestName = "The CLI runs with Unicode data")]
    [TestCase("src/Ontzorging.Web", "Ontzorging.Web", TestName = "The site runs with Unicode data")]
    [TestCase("src/Ontzorging.Worker", "Ontzorging.Worker", TestName = "The worker runs with Unicode data")]
    [TestCase("tests/Ontzorging.IntegrationTests", "Ontzorging.IntegrationTests", TestName = "The integration tests run with Unicode data")]
    [TestCase("tests/Ontzorging.Domain.Tests", "Ontzorging.Domain.Tests", TestName = "The domain tests run with Unicode data")]
    public void Every_host_that_writes_text_is_built_with_unicode_data(string project, string assembly)
    {
        var path = Path.Combine(RepositoryPaths.Root, project, "bin", Configuration, "net10.0", assembly + ".runtimeconfig.json");
        File.Exists(path).Should().BeTrue($"the project is built beside the tests ({path})");

        var invariant = JsonNode.Parse(File.ReadAllText(path))!["runtimeOptions"]?["configProperties"]?["System.Globalization.Invariant"];

        invariant?.GetValue<bool>().Should().BeFalse($"{assembly} must normalise text, which invariant globalization cannot");
    }

    [Test]
    public void Text_is_normalised_in_this_process()
    {
        TextRules.Nfc("Rene\u0301").Should().Be("Ren\u00E9");
        TextRules.RequireUnicodeData();
    }

    [Test]
    public async Task A_host_started_with_invariant_globalization_stops_instead_of_storing_text_as_it_came()
    {
        var folder = Path.Combine(RepositoryPaths.Root, "src", "Ontzorging.Cli", "bin", Configuration, "net10.0");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "ontzorging.runtimeconfig.json")))!;
        config["runtimeOptions"]!["configProperties"]!["System.Globalization.Invariant"] = true;
        var invariantConfig = Path.Combine(Path.GetTempPath(), $"ozt-invariant-{Environment.ProcessId}.runtimeconfig.json");
        await File.WriteAllTextAsync(invariantConfig, config.ToJsonString());
        try
        {
            var info = new ProcessStartInfo("dotnet", ["exec", "--runtimeconfig", invariantConfig, Path.Combine(folder, "ontzorging.dll"), "household", "list"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            info.Environment["Ontzorging__Database__ConnectionString"] = TestServer.ApplicationConnectionString;

            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            process.ExitCode.Should().NotBe(0);
            (await output + error).Should().Contain("invariant globalization").And.Contain("cannot normalise text");
        }
        finally
        {
            File.Delete(invariantConfig);
        }
    }
}
