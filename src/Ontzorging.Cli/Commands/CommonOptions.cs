using System.CommandLine;

namespace Ontzorging.Cli.Commands;

/// <summary>Options several command groups share.</summary>
public static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Write JSON instead of a table (for scripts)" };

    public static Option<string> User(string role) => new("--as")
    {
        Description = $"Who is acting ({role}); recorded with what is written. Defaults to the login name.",
        DefaultValueFactory = _ => Environment.UserName,
    };
}
