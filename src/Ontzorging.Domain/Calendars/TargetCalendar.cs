using NodaTime;

namespace Ontzorging.Domain.Calendars;

/// <summary>
/// TARGET2 (SEPA settlement) business days: closed on weekends, 1 January, Good Friday, Easter
/// Monday, 1 May, 25 and 26 December. Payment execution dates follow this calendar.
/// </summary>
public sealed class TargetCalendar : BusinessCalendar
{
    public static readonly TargetCalendar Instance = new();

    protected override bool IsHoliday(LocalDate day)
    {
        var easter = Easter.Sunday(day.Year);
        return (day.Month, day.Day) is (1, 1) or (5, 1) or (12, 25) or (12, 26)
            || day == easter.PlusDays(-2)
            || day == easter.PlusDays(1);
    }
}
