namespace Ontzorging.Domain.Signals;

/// <summary>
/// How far reality may stray from what was expected before a money signal is raised (docs/rules.md
/// §18): policy values, with a municipality's own override (<see cref="Policy.SignalTolerancesFor"/>).
/// </summary>
public sealed class SignalTolerances
{
    /// <summary>Working days after its expected date that a receipt is missing; unset: <see cref="Policy.ToeslagOverdueWorkingDays"/> (the same grace as an overdue toeslag).</summary>
    public int? MissingWorkingDays { get; init; }

    /// <summary>An amount differs when it is more than this many euros off …</summary>
    public decimal AmountEuros { get; init; } = 1.00m;

    /// <summary>… and more than this percentage of the expected amount off (the larger of the two is the tolerance).</summary>
    public decimal Percent { get; init; } = 2m;

    public int MissingDays(Policy policy) => MissingWorkingDays ?? policy.ToeslagOverdueWorkingDays;

    /// <summary>The tolerance for <paramref name="expected"/>: the larger of <see cref="AmountEuros"/> and <see cref="Percent"/> of it, in whole cents.</summary>
    public Money For(Money expected)
    {
        var share = new Money(Math.Abs(expected.Cents)).Prorate((long)Math.Round(Percent * 100m), 10_000);
        return Money.Max(Money.FromEuros(AmountEuros), share);
    }

    /// <summary>Whether <paramref name="actual"/> differs from <paramref name="expected"/> by more than the tolerance.</summary>
    public bool Differs(Money expected, Money actual) => Math.Abs(checked(actual.Cents - expected.Cents)) > For(expected).Cents;

    /// <summary>Why these values cannot be used, or null.</summary>
    public string? Problem() =>
        MissingWorkingDays is < 0 or > 60 ? "MissingWorkingDays must lie between 0 and 60"
        : AmountEuros is < 0 or > 10_000 ? "AmountEuros must lie between 0 and 10000"
        : Percent is < 0 or > 100 ? "Percent must lie between 0 and 100"
        : null;
}
