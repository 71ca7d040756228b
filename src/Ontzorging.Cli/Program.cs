using Ontzorging.Cli;

// The CLI writes for scripts and people alike in one invariant form, whatever the login's locale
// (the process has culture data for normalising text, never for formatting it).
return await OntzorgingCli.RunProcess(args, OntzorgingCli.BuildRoot);
