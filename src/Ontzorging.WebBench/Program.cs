using System.CommandLine;
using Ontzorging.Cli;
using Ontzorging.Cli.Commands;
using Ontzorging.WebBench;

// The same words as the CLI's: `ontzorging bench web --households N` (scripts/ontzorging sends `bench web` here);
// written invariant like the CLI's output, while the hosted site picks each request's culture itself.
return await OntzorgingCli.RunProcess(args, env => new RootCommand("Ontzorging's site benchmark: the household page and the worklist, served in-process.")
{
    new Command("bench", "Benchmarks on a fresh database.") { WebBenchCommand.Create(env, BenchCommands.KeepDatabase()), StatementBenchCommand.Create(env, BenchCommands.KeepDatabase()) },
});
