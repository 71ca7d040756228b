using Ontzorging.Domain;

namespace Ontzorging.Cli;

/// <summary>What every command returns: scripts rely on these three values.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
}

/// <summary>Thrown by a command for input the user must fix; reported without a stack trace, exit 2.</summary>
public sealed class BadInputException(string message, Refusal? refusal = null) : Exception(message)
{
    /// <summary>The rule's refusal behind it, when a use case refused.</summary>
    public Refusal? Refusal { get; } = refusal;
}
