using NodaTime;
using Ontzorging.Domain.Calendars;

namespace Ontzorging.Domain.Income;

public enum ToeslagStatus
{
    NotApplied,
    Applied,
    Awarded,
    Overdue,
    DecisionOverdue,
}

public static class ToeslagWatch
{
    private static readonly DutchWorkingDays WorkingDays = DutchWorkingDays.Instance;

    public static string Code(this ToeslagStatus status) => status switch
    {
        ToeslagStatus.NotApplied => "not_applied",
        ToeslagStatus.Applied => "applied",
        ToeslagStatus.Awarded => "awarded",
        ToeslagStatus.Overdue => "overdue",
        ToeslagStatus.DecisionOverdue => "decision_overdue",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>
    /// When the payment for <paramref name="month"/> should land: a toeslag advance on the 20th of
    /// M−1 (or the next Dutch working day); kinderbijslag quarterly in arrears, on the first working
    /// day of January, April, July or October after M's quarter.
    /// </summary>
    public static LocalDate ExpectedArrival(IncomeKind kind, YearMonth month, Policy policy)
    {
        if (kind == IncomeKind.Kinderbijslag)
        {
            var quarterEnd = new YearMonth(month.Year, (month.Month - 1) / 3 * 3 + 3);
            return WorkingDays.OpenOnOrAfter(quarterEnd.PlusMonths(1).OnDayOfMonth(1));
        }

        return WorkingDays.OpenOnOrAfter(month.PlusMonths(-1).OnDayOfMonth(policy.ToeslagAdvanceDay));
    }

    /// <summary>
    /// not_applied → applied (an application date) → awarded (a first receipt). Before the award,
    /// decision_overdue once 13 weeks passed since the application without any payment. After it,
    /// overdue when a month of the stream is still not covered 5 working days after its expected
    /// arrival (the regular flow stopped).
    /// </summary>
    public static ToeslagStatus Status(IncomeStream stream, IEnumerable<Receipt> receipts, LocalDate today, Policy policy)
    {
        var received = receipts.Where(r => r.Kind == stream.Kind && r.ReceivedOn <= today).ToList();
        if (received.Count == 0)
        {
            if (stream.AppliedOn is not { } applied)
            {
                return ToeslagStatus.NotApplied;
            }

            return today >= applied.PlusWeeks(policy.ToeslagDecisionOverdueWeeks) ? ToeslagStatus.DecisionOverdue : ToeslagStatus.Applied;
        }

        for (var month = stream.From; stream.To is null || month <= stream.To; month = month.PlusMonths(1))
        {
            var deadline = WorkingDays.AddOpenDays(ExpectedArrival(stream.Kind, month, policy), policy.ToeslagOverdueWorkingDays);
            if (deadline > today)
            {
                break;
            }

            if (!received.Any(r => r.Covers(month)))
            {
                return ToeslagStatus.Overdue;
            }
        }

        return ToeslagStatus.Awarded;
    }
}
