namespace Ontzorging.Domain.Signals;

/// <summary>What a money signal says (docs/rules.md §18).</summary>
public enum SignalKind
{
    /// <summary>An expected receipt has not arrived within the tolerance of working days.</summary>
    Missing,

    /// <summary>A receipt, or a bank line settling a payment, differs from what was expected by more than the tolerance.</summary>
    UnexpectedAmount,

    /// <summary>More than one receipt of a stream for one month, or a payment settled twice.</summary>
    Several,

    /// <summary>Leefgeld under the minimum, credit at its cap, or an arrear: the facts behind the worklist's reasons, dated.</summary>
    Shortage,

    /// <summary>A payment came back (storno), with the reason the bank gave.</summary>
    Returned,
}

/// <summary>Whether a signal still asks for attention.</summary>
public enum SignalStatus
{
    Open,
    Suppressed,
    Resolved,
}

public static class SignalKinds
{
    public static string Code(this SignalKind kind) => kind switch
    {
        SignalKind.Missing => "missing",
        SignalKind.UnexpectedAmount => "unexpected_amount",
        SignalKind.Several => "several",
        SignalKind.Shortage => "short",
        SignalKind.Returned => "returned",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static SignalKind ParseKind(string code) => Enum.GetValues<SignalKind>().First(k => k.Code() == code);

    public static string Code(this SignalStatus status) => status switch
    {
        SignalStatus.Open => "open",
        SignalStatus.Suppressed => "suppressed",
        SignalStatus.Resolved => "resolved",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static SignalStatus ParseStatus(string code) => Enum.GetValues<SignalStatus>().First(s => s.Code() == code);
}
