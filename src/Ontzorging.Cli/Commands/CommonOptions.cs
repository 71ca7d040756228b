using System.CommandLine;

namespace Ontzorging.Cli.Commands;

/// <summary>Options several command groups share.</summary>
public static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Write JSON instead of a table (for scripts)" };
}
