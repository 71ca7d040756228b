using NodaTime;

namespace Ontzorging.Domain.Households;

/// <summary>
/// The date range [Start, End) in which the municipality pays the fixed costs. End =
/// min(start + (base + extensions) months, last bijstand day + 1, opt-out date). Extensions are
/// added from the start (31 Mar + 7 months = 31 Oct), so the order of decisions never matters.
/// </summary>
public sealed record OntzorgingPeriod(LocalDate Start, LocalDate End, int ExtensionMonths, LocalDate? BijstandLastDay, LocalDate? OptOutOn)
{
    /// <summary>The period as known on <paramref name="asOf"/>: only decisions dated on or before it count.</summary>
    public static OntzorgingPeriod Derive(LocalDate start, IEnumerable<Decision> decisions, LocalDate asOf, Policy policy)
    {
        var known = decisions.Where(d => d.Date <= asOf).ToList();
        var extension = known.Where(d => d.Kind == DecisionKind.Extension).Sum(d => d.Months ?? 0);
        // A start the engine does not accept (rules §10; data from before intake refused it) has no
        // period it can compute: the period is empty, so no batch pays it and no report breaks on it.
        var end = SaneDates.Contains(start) ? Extended(start, known, policy) : start;
        var lastDay = known.Where(d => d.Kind == DecisionKind.BijstandEnd).Select(d => d.LastDay).Min();
        var optOut = known.Where(d => d.Kind == DecisionKind.OptOut).Select(d => (LocalDate?)d.Date).Min();
        if (lastDay is { } last && last.PlusDays(1) < end)
        {
            end = last.PlusDays(1);
        }

        if (optOut is { } opted && opted < end)
        {
            end = opted;
        }

        if (end < start)
        {
            end = start;
        }

        return new OntzorgingPeriod(start, end, extension, lastDay, optOut);
    }

    /// <summary>
    /// start + base months + the extensions, each added from the start, so their order never
    /// matters; but an extension dated on or after the end it extends (recorded once the period was
    /// over) counts from the first day of the next month not yet prepared, the month whose
    /// preparation day is on or after its date (rules §3): the months between were prepared as after
    /// the end and are never recomputed.
    /// </summary>
    private static LocalDate Extended(LocalDate start, List<Decision> known, Policy policy)
    {
        var months = policy.BaseMonths;
        LocalDate? restart = null;
        foreach (var extension in known.Where(d => d.Kind == DecisionKind.Extension && d.Months is > 0).OrderBy(d => d.Date))
        {
            var end = restart is { } from ? from.PlusMonths(months) : start.PlusMonths(months);
            if (extension.Date >= end)
            {
                var next = extension.Date.ToYearMonth().PlusMonths(1);
                if (policy.PreparationDayOf(next) < extension.Date)
                {
                    next = next.PlusMonths(1);
                }

                restart = next.OnDayOfMonth(1);
                months = 0;
            }

            months += extension.Months!.Value;
        }

        return restart is { } restarted ? restarted.PlusMonths(months) : start.PlusMonths(months);
    }

    public bool Contains(LocalDate date) => date >= Start && date < End;

    /// <summary>Days of <paramref name="month"/> inside the period.</summary>
    public int DaysInside(YearMonth month)
    {
        var first = Max(month.OnDayOfMonth(1), Start);
        var endExclusive = Min(month.OnDayOfMonth(1).PlusMonths(1), End);
        return first < endExclusive ? Period.Between(first, endExclusive, PeriodUnits.Days).Days : 0;
    }

    public bool Touches(YearMonth month) => DaysInside(month) > 0;

    /// <summary>A month is after the end when its first day is on or after the end.</summary>
    public bool IsAfterEnd(YearMonth month) => month.OnDayOfMonth(1) >= End;

    public bool HasStarted(LocalDate date) => date >= Start;

    private static LocalDate Max(LocalDate a, LocalDate b) => a >= b ? a : b;

    private static LocalDate Min(LocalDate a, LocalDate b) => a <= b ? a : b;
}
