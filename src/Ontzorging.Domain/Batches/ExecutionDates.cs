using NodaTime;
using Ontzorging.Domain.Calendars;
using Ontzorging.Domain.Households;

namespace Ontzorging.Domain.Batches;

/// <summary>When each payment leaves the managed account (docs/rules.md §6), on the TARGET calendar.</summary>
public static class ExecutionDates
{
    private static readonly TargetCalendar Target = TargetCalendar.Instance;

    /// <summary>
    /// The last business day strictly before the due date, but not before the first business day
    /// after the preparation day. Later than the due date only when the due date is that close.
    /// </summary>
    public static LocalDate ForInstallment(LocalDate dueDate, LocalDate preparationDay)
    {
        var beforeDue = Target.OpenBefore(dueDate);
        var earliest = Target.OpenAfter(preparationDay);
        return beforeDue >= earliest ? beforeDue : earliest;
    }

    /// <summary>Monthly leefgeld: the first business day on or after max(1st of M, period start).</summary>
    public static LocalDate ForMonthlyLeefgeld(YearMonth month, OntzorgingPeriod period)
    {
        var first = month.OnDayOfMonth(1);
        return Target.OpenOnOrAfter(period.Start > first ? period.Start : first);
    }

    /// <summary>
    /// Weekly leefgeld: every Monday of M on or after the start and before the end; a closed Monday
    /// moves to the next business day within M, else the previous one. Empty when there is no such Monday.
    /// </summary>
    public static IReadOnlyList<LocalDate> ForWeeklyLeefgeld(YearMonth month, OntzorgingPeriod period)
    {
        var dates = new List<LocalDate>();
        var last = month.OnDayOfMonth(month.Calendar.GetDaysInMonth(month.Year, month.Month));
        for (var day = month.OnDayOfMonth(1); day <= last; day = day.PlusDays(1))
        {
            if (day.DayOfWeek != IsoDayOfWeek.Monday || !period.Contains(day))
            {
                continue;
            }

            var moved = Target.OpenOnOrAfter(day);
            dates.Add(moved <= last ? moved : Target.OpenBefore(day));
        }

        return dates;
    }

    /// <summary>
    /// The month's leefgeld as payments: weekly households get floor(total / n) on each date and the
    /// last date the rest; monthly households (or weekly ones without a Monday) one payment.
    /// Never a payment of zero.
    /// </summary>
    public static IReadOnlyList<(LocalDate Date, Money Amount)> SplitLeefgeld(Money total, YearMonth month, OntzorgingPeriod period, LeefgeldFrequency frequency)
    {
        if (!total.IsPositive)
        {
            return [];
        }

        var weekly = frequency == LeefgeldFrequency.Weekly ? ForWeeklyLeefgeld(month, period) : [];
        if (weekly.Count == 0)
        {
            return [(ForMonthlyLeefgeld(month, period), total)];
        }

        var share = new Money(total.Cents / weekly.Count);
        var payments = weekly.Select(date => (date, share)).ToList();
        payments[^1] = (weekly[^1], total - new Money(share.Cents * (weekly.Count - 1)));
        return payments.Where(p => p.Item2.IsPositive).ToList();
    }
}
