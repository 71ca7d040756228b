using NodaTime;

namespace Ontzorging.Domain.Calendars;

/// <summary>
/// The days on which a statutory term may end (Algemene termijnenwet, art. 1 and 3): not a Saturday,
/// Sunday or generally recognised holiday. The holidays are New Year's Day, Good Friday (art. 3(2)),
/// Easter Monday, King's Day, 5 May, Ascension Day, Whit Monday, Christmas Day and Boxing Day. A term
/// that would end on such a day runs through the next day that is none of them. The bridge days the
/// Crown adds every three years (art. 3(3)) are left out: without them a term ends at most a few days
/// early, never late (docs/rules.md §19).
/// </summary>
public sealed class TermCalendar : BusinessCalendar
{
    public static readonly TermCalendar Instance = new();

    /// <summary>The day a term that ends on <paramref name="day"/> by count really ends (Atw art. 1).</summary>
    public LocalDate TermEnd(LocalDate day) => OpenOnOrAfter(day);

    protected override bool IsHoliday(LocalDate day)
    {
        var easter = Easter.Sunday(day.Year);
        return (day.Month, day.Day) is (1, 1) or (5, 5) or (12, 25) or (12, 26)
            || day == easter.PlusDays(-2)
            || day == easter.PlusDays(1)
            || day == easter.PlusDays(39)
            || day == easter.PlusDays(50)
            || day == DutchWorkingDays.NationalDay(day.Year);
    }
}
