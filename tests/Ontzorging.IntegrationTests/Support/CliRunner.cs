using Microsoft.Extensions.Configuration;
using NodaTime;
using Ontzorging.Cli;
using Ontzorging.Domain;

namespace Ontzorging.IntegrationTests.Support;

/// <summary>Runs the real command tree in-process and captures what a user would see.</summary>
public static class CliRunner
{
    public static async Task<CliResult> Run(IConfiguration configuration, params string[] args) =>
        await Run(configuration, null, args);

    public static async Task<CliResult> Run(IConfiguration configuration, IClock? clock, params string[] args) =>
        await Run(configuration, clock, null, args);

    /// <summary>Runs a command as another operating-system login would (the CLI's only actor).</summary>
    public static async Task<CliResult> RunAs(string login, IConfiguration configuration, params string[] args) =>
        await Run(configuration, null, Actor.OperatingSystemUser(login), args);

    public static async Task<CliResult> RunAs(string login, IConfiguration configuration, IClock? clock, params string[] args) =>
        await Run(configuration, clock, Actor.OperatingSystemUser(login), args);

    private static async Task<CliResult> Run(IConfiguration configuration, IClock? clock, Actor? actor, string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        await using var env = new CliEnvironment(configuration, stdout, stderr, clock, plain: true, actor);
        var exitCode = await OntzorgingCli.RunAsync(args, env);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }
}

public sealed record CliResult(int ExitCode, string Out, string Error);
