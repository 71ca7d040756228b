namespace Ontzorging.Cli;

/// <summary>What every command returns: scripts rely on these three values.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
}

/// <summary>Thrown by a command for input the user must fix; reported without a stack trace, exit 2.</summary>
public sealed class BadInputException(string message) : Exception(message);
