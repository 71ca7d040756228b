using NodaTime;
using Ontzorging.Domain.Households;

namespace Ontzorging.Domain.Batches;

/// <summary>
/// The floor a household must live on: (€40 + €10 per member beyond the first) per week × 52 / 12,
/// in a month only partly inside the period × (days inside) / (days in M); nothing after the end.
/// Single, whole month: €173.33; five persons: €346.67.
/// </summary>
public static class MinimumLeefgeld
{
    public static Money For(int householdSize, YearMonth month, OntzorgingPeriod period, Policy policy)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(householdSize);
        var weekly = Money.FromEuros(policy.MinimumLeefgeldPerWeek + policy.MinimumLeefgeldPerExtraMemberPerWeek * (householdSize - 1));
        var daysInside = period.DaysInside(month);
        var daysInMonth = month.Calendar.GetDaysInMonth(month.Year, month.Month);
        return new Money(Money.RoundHalfAwayFromZero(
            (Int128)weekly.Cents * policy.WeeksPerYear * daysInside,
            (Int128)12 * daysInMonth));
    }
}
