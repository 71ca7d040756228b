namespace Ontzorging.Domain.Batches;

/// <summary>
/// docs/rules.md §7: a write-off takes, when it is booked, what is outstanding then (<c>all</c>) or at
/// most its amount; with nothing outstanding it takes nothing.
/// </summary>
public static class CreditWriteOff
{
    /// <param name="requested">The decision's amount; null for <c>all</c>.</param>
    public static Money Amount(Money? requested, Money outstanding) =>
        Money.Max(Money.Zero, Money.Min(requested ?? outstanding, outstanding));
}
