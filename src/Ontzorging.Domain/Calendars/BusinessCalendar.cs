using NodaTime;

namespace Ontzorging.Domain.Calendars;

/// <summary>
/// A calendar of open days, computed (no tables to maintain) for the years
/// <see cref="FirstYear"/>..<see cref="LastYear"/>.
/// </summary>
public abstract class BusinessCalendar
{
    public const int FirstYear = 2000;
    public const int LastYear = 2100;

    public bool IsOpen(LocalDate date)
    {
        if (date.Year is < FirstYear or > LastYear)
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, $"Calendars cover the years {FirstYear} to {LastYear}");
        }

        return date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday) && !IsHoliday(date);
    }

    public LocalDate OpenOnOrAfter(LocalDate date)
    {
        while (!IsOpen(date))
        {
            date = date.PlusDays(1);
        }

        return date;
    }

    public LocalDate OpenAfter(LocalDate date) => OpenOnOrAfter(date.PlusDays(1));

    public LocalDate OpenBefore(LocalDate date)
    {
        do
        {
            date = date.PlusDays(-1);
        }
        while (!IsOpen(date));
        return date;
    }

    /// <summary>The n-th open day after <paramref name="date"/> (n ≥ 1).</summary>
    public LocalDate AddOpenDays(LocalDate date, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        for (var i = 0; i < n; i++)
        {
            date = OpenAfter(date);
        }

        return date;
    }

    protected abstract bool IsHoliday(LocalDate day);
}
