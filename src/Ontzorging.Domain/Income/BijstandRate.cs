using NodaTime;
using Ontzorging.Domain.Households;

namespace Ontzorging.Domain.Income;

/// <summary>The monthly bijstand amount, effective-dated by month (from..to inclusive; open-ended when To is null).</summary>
public sealed record BijstandRate(Money MonthlyAmount, YearMonth From, YearMonth? To)
{
    public bool Covers(YearMonth month) => month >= From && (To is null || month <= To);
}

public static class Bijstand
{
    /// <summary>
    /// bijstand(M) = monthly amount(M) × (days of M inside the period) / (days in M), rounded once.
    /// The municipality pre-finances: M's bijstand pays M's costs.
    /// </summary>
    public static Money For(YearMonth month, OntzorgingPeriod period, IEnumerable<BijstandRate> rates)
    {
        var rate = rates.Where(r => r.Covers(month)).OrderByDescending(r => r.From).FirstOrDefault();
        if (rate is null)
        {
            return Money.Zero;
        }

        var daysInside = period.DaysInside(month);
        var daysInMonth = month.Calendar.GetDaysInMonth(month.Year, month.Month);
        return rate.MonthlyAmount.Prorate(daysInside, daysInMonth);
    }
}
