using System.Diagnostics;

namespace Ontzorging.IntegrationTests.Support;

/// <summary>What a script run printed and how it ended.</summary>
public sealed record ScriptResult(int ExitCode, string Out, string Error);

/// <summary>Runs one of the project's bash scripts as a person would, and waits for it.</summary>
public static class BashScript
{
    /// <param name="script">The script's path.</param>
    /// <param name="workingDirectory">Where it runs (default: the checkout).</param>
    /// <param name="unset">Environment variables the run must not see.</param>
    public static ScriptResult Run(string script, IEnumerable<string> arguments, string? workingDirectory = null, params string[] unset)
    {
        var info = new ProcessStartInfo("bash", [script, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        foreach (var name in unset)
        {
            info.Environment.Remove(name);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("bash could not be started");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new ScriptResult(process.ExitCode, output, error.Result);
    }
}
