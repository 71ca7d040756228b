using Ontzorging.Cli;

await using var env = CliEnvironment.FromProcess();
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
return await OntzorgingCli.RunAsync(args, env, cancellation.Token);
