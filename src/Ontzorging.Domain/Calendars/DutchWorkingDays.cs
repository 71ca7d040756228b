using NodaTime;

namespace Ontzorging.Domain.Calendars;

/// <summary>
/// Dutch working days (for when toeslagen are expected): Monday–Friday except New Year's Day,
/// Easter Monday, King's Day, Ascension Day, Whit Monday, Christmas Day and Boxing Day. Good Friday
/// and 5 May are working days. King's Day is 27 April (26 April when the 27th is a Sunday) from 2014;
/// before that the national day was Queen's Day, 30 April (29 April when the 30th was a Sunday).
/// </summary>
public sealed class DutchWorkingDays : BusinessCalendar
{
    public static readonly DutchWorkingDays Instance = new();

    public static LocalDate NationalDay(int year)
    {
        var day = year >= 2014 ? new LocalDate(year, 4, 27) : new LocalDate(year, 4, 30);
        return day.DayOfWeek == IsoDayOfWeek.Sunday ? day.PlusDays(-1) : day;
    }

    protected override bool IsHoliday(LocalDate day)
    {
        var easter = Easter.Sunday(day.Year);
        return (day.Month, day.Day) is (1, 1) or (12, 25) or (12, 26)
            || day == easter.PlusDays(1)
            || day == easter.PlusDays(39)
            || day == easter.PlusDays(50)
            || day == NationalDay(day.Year);
    }
}
