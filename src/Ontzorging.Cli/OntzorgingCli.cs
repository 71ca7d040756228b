using System.CommandLine;
using Ontzorging.Cli.Commands;
using Spectre.Console;

namespace Ontzorging.Cli;

/// <summary>The command tree and the mapping of parse errors to exit code 2.</summary>
public static class OntzorgingCli
{
    public static RootCommand BuildRoot(CliEnvironment env) =>
        new("""
            Ontzorging — financial unburdening of statushouders: the municipality pays the fixed costs out of
            bijstand, pays the rest as leefgeld, and bridges late toeslagen with interest-free credit.
            Exit codes: 0 ok, 1 failed, 2 bad input.
            """)
        {
            DbCommands.Create(env),
            ImportCommand.Create(env),
            HouseholdCommands.Create(env),
            BatchCommands.Create(env),
            LedgerCommands.Create(env),
            ReportCommands.Create(env),
            AuditCommands.Create(env),
            PeopleCommands.Create(env),
            ForecastCommand.Create(env),
            SignalCommands.Create(env),
            StatementCommands.Create(env),
            SimulateCommand.Create(env),
            BenchCommands.Create(env),
        };

    /// <summary>
    /// A program's whole run: invariant output whatever the login's locale, Ctrl+C as cancellation,
    /// and the command tree <paramref name="root"/> builds (this CLI's, or bench web's).
    /// </summary>
    public static async Task<int> RunProcess(string[] args, Func<CliEnvironment, RootCommand> root)
    {
        System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        System.Globalization.CultureInfo.DefaultThreadCurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;
        await using var env = CliEnvironment.FromProcess();
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        return await RunAsync(root(env), args, env, cancellation.Token);
    }

    public static Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken cancellationToken = default) =>
        RunAsync(BuildRoot(env), args, env, cancellationToken);

    /// <summary>Runs a command tree: this one, or another program's built the same way (bench web).</summary>
    public static async Task<int> RunAsync(RootCommand root, string[] args, CliEnvironment env, CancellationToken cancellationToken = default)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                env.Error.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
            }

            env.Error.MarkupLine("Run 'ontzorging --help' (or add --help to a command) for usage.");
            return ExitCodes.BadInput;
        }

        var invocation = new InvocationConfiguration { Output = env.OutWriter, Error = env.ErrorWriter };
        return await parse.InvokeAsync(invocation, cancellationToken);
    }
}
