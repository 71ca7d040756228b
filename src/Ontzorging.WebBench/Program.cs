using System.CommandLine;
using System.Globalization;
using Ontzorging.Cli;
using Ontzorging.Cli.Commands;
using Ontzorging.WebBench;

// Written like the CLI's own output (invariant); the hosted site picks each request's culture itself.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

await using var env = CliEnvironment.FromProcess();
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

// The same words as the CLI's: `ontzorging bench web --households N` (scripts/ontzorging sends `bench web` here).
var root = new RootCommand("Ontzorging's site benchmark: the household page and the worklist, served in-process.")
{
    new Command("bench", "Benchmarks on a fresh database.") { WebBenchCommand.Create(env, BenchCommands.KeepDatabase()) },
};
return await OntzorgingCli.RunAsync(root, args, env, cancellation.Token);
