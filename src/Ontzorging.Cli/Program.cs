using System.Globalization;
using Ontzorging.Cli;

// The CLI writes for scripts and people alike in one invariant form, whatever the login's locale
// (the process has culture data for normalising text, never for formatting it).
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
return await OntzorgingCli.RunAsync(args, env, cancellation.Token);
