using NodaTime;

namespace Ontzorging.Domain.Households;

/// <summary>
/// The date range [Start, End) in which the municipality pays the fixed costs. End =
/// min(start + (base + extensions) months, last bijstand day + 1, opt-out date). Extensions are
/// added from the start (31 Mar + 7 months = 31 Oct), so the order of decisions never matters,
/// except an extension whose first month was already prepared when it was dated: it counts from
/// the next month not yet prepared, and the days between, [<see cref="GapFrom"/>, <see cref="GapTo"/>),
/// lie outside the period (rules §3).
/// </summary>
public sealed record OntzorgingPeriod(LocalDate Start, LocalDate End, int ExtensionMonths, LocalDate? BijstandLastDay, LocalDate? OptOutOn,
    LocalDate? GapFrom = null, LocalDate? GapTo = null)
{
    /// <summary>The period as known on <paramref name="asOf"/>: only decisions dated on or before it count.</summary>
    public static OntzorgingPeriod Derive(LocalDate start, IEnumerable<Decision> decisions, LocalDate asOf, Policy policy)
    {
        var known = decisions.Where(d => d.Date <= asOf).ToList();
        var extension = known.Where(d => d.Kind == DecisionKind.Extension).Sum(d => d.Months ?? 0);
        // A start the engine does not accept (rules §10; data from before intake refused it) has no
        // period it can compute: the period is empty, so no batch pays it and no report breaks on it.
        var (end, gap) = SaneDates.Contains(start) ? Extended(start, known, policy) : (start, null);
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

        // A gap that the end now lies in or before is no gap.
        return gap is { } between && between.To < end
            ? new OntzorgingPeriod(start, end, extension, lastDay, optOut, between.From, between.To)
            : new OntzorgingPeriod(start, end, extension, lastDay, optOut);
    }

    /// <summary>
    /// start + base months + the extensions, each added from the start, so their order never
    /// matters; but an extension dated when a whole month after the end was already prepared (the
    /// end lies on or before the first day of the month before the next month not yet prepared: the
    /// month whose preparation day is on or after the extension's date) counts from the first day of
    /// that next month, and the days before it since the end are a gap: prepared as after the end,
    /// never recomputed (rules §3). The latest gap is kept; an earlier one lies in months long prepared.
    /// </summary>
    private static (LocalDate End, (LocalDate From, LocalDate To)? Gap) Extended(LocalDate start, List<Decision> known, Policy policy)
    {
        var from = start;
        var months = policy.BaseMonths;
        (LocalDate, LocalDate)? gap = null;
        foreach (var extension in known.Where(d => d.Kind == DecisionKind.Extension && d.Months is > 0).OrderBy(d => d.Date))
        {
            var end = from.PlusMonths(months);
            var next = extension.Date.ToYearMonth().PlusMonths(1);
            if (policy.PreparationDayOf(next) < extension.Date)
            {
                next = next.PlusMonths(1);
            }

            // A whole month prepared after the end (the end lies on or before the first day of the
            // last month prepared) is lost to it; the sliver of a month prepared in part is not.
            var unprepared = next.OnDayOfMonth(1);
            if (end <= next.PlusMonths(-1).OnDayOfMonth(1))
            {
                gap = (end, unprepared);
                from = unprepared;
                months = 0;
            }

            months += extension.Months!.Value;
        }

        return (from.PlusMonths(months), gap);
    }

    public bool Contains(LocalDate date) => date >= Start && date < End && !(GapFrom is { } from && GapTo is { } to && date >= from && date < to);

    /// <summary>Days of <paramref name="month"/> inside the period (a gap's days not counted).</summary>
    public int DaysInside(YearMonth month)
    {
        var days = Overlap(month, Start, End);
        return GapFrom is { } from && GapTo is { } to ? days - Overlap(month, from, to) : days;
    }

    private static int Overlap(YearMonth month, LocalDate from, LocalDate to)
    {
        var first = Max(month.OnDayOfMonth(1), from);
        var endExclusive = Min(month.OnDayOfMonth(1).PlusMonths(1), to);
        return first < endExclusive ? Period.Between(first, endExclusive, PeriodUnits.Days).Days : 0;
    }

    public bool Touches(YearMonth month) => DaysInside(month) > 0;

    /// <summary>A month is after the end when its first day is on or after the end.</summary>
    public bool IsAfterEnd(YearMonth month) => month.OnDayOfMonth(1) >= End;

    public bool HasStarted(LocalDate date) => date >= Start;

    private static LocalDate Max(LocalDate a, LocalDate b) => a >= b ? a : b;

    private static LocalDate Min(LocalDate a, LocalDate b) => a <= b ? a : b;
}
