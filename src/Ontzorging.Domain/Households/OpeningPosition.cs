using NodaTime;
using Ontzorging.Domain.Batches;

namespace Ontzorging.Domain.Households;

/// <summary>
/// Where a household unburdened outside the engine stands on its cut-over date (docs/rules.md §20):
/// the last month the old system prepared for it, the balance held for it and the bridging credit it
/// owes. Its open arrears and the receipts already received come with it as lines of their own.
/// </summary>
public sealed record OpeningPosition(LocalDate CutoverOn, YearMonth UnburdenedThrough, Money Balance, Money CreditOutstanding)
{
    /// <summary>The first month the engine prepares for the household.</summary>
    public YearMonth FirstMonth => UnburdenedThrough.PlusMonths(1);
}

/// <summary>The rules an opening position must meet; each returns what is wrong, or null.</summary>
public static class OpeningRules
{
    /// <summary>
    /// The months go by the timetable (§6): on its cut-over date the old system has prepared every
    /// month whose preparation day has come, and no later one. So the cut-over lies on or after the
    /// preparation day of <c>unburdened_through</c> and before that of the month after it, and the
    /// first batch after it continues where the old system stopped.
    /// </summary>
    public static string? MonthProblem(LocalDate cutoverOn, YearMonth unburdenedThrough, Policy policy)
    {
        var expected = LastPreparedBy(cutoverOn, policy);
        return expected == unburdenedThrough
            ? null
            : $"a cut-over on {cutoverOn:yyyy-MM-dd} comes after the preparation day of {expected:yyyy-MM} ({HouseholdMonth.PreparationDay(expected, policy):yyyy-MM-dd}) and before that of {expected.PlusMonths(1):yyyy-MM}, so the months unburdened outside the engine run through {expected:yyyy-MM}, not {unburdenedThrough:yyyy-MM}";
    }

    /// <summary>The last month whose preparation day is on or before <paramref name="day"/>.</summary>
    public static YearMonth LastPreparedBy(LocalDate day, Policy policy)
    {
        var month = day.ToYearMonth().PlusMonths(1);
        while (HouseholdMonth.PreparationDay(month, policy) > day)
        {
            month = month.PlusMonths(-1);
        }

        return month;
    }

    /// <summary>A position is a fact as of a day that has come.</summary>
    public static string? CutoverProblem(LocalDate cutoverOn, LocalDate today) =>
        cutoverOn > today ? $"lies after today ({today:yyyy-MM-dd}): an opening position is the state on a day that has passed" : null;

    /// <summary>The engine must not have prepared a month after those done outside it: the household would miss it.</summary>
    public static string? PreparedLaterProblem(YearMonth latestPrepared, long batch, YearMonth unburdenedThrough) =>
        latestPrepared > unburdenedThrough
            ? $"the engine already prepared {latestPrepared:yyyy-MM} (batch {batch}), after the months unburdened outside it (through {unburdenedThrough:yyyy-MM}); cancel or reject that batch, or cut over later"
            : null;

    /// <summary>The credit is the engine's from now on, so it stays within the household's cap (§7).</summary>
    public static string? CreditProblem(Money credit, int householdSize, Policy policy) =>
        credit > policy.CreditCap(householdSize)
            ? $"{credit} is above the credit cap of {policy.CreditCap(householdSize)} for a household of {householdSize}"
            : null;

    /// <summary>An arrear is an installment of a month the old system prepared; a later one the engine pays itself.</summary>
    public static string? ArrearDueProblem(LocalDate dueDate, YearMonth unburdenedThrough) =>
        dueDate.ToYearMonth() > unburdenedThrough
            ? $"{dueDate:yyyy-MM-dd} lies after the months unburdened outside the engine (through {unburdenedThrough:yyyy-MM}): the engine pays that installment itself"
            : null;

    /// <summary>A receipt already in the position was received by the cut-over.</summary>
    public static string? ReceivedProblem(LocalDate receivedOn, LocalDate cutoverOn) =>
        receivedOn > cutoverOn ? $"{receivedOn:yyyy-MM-dd} lies after the cut-over on {cutoverOn:yyyy-MM-dd}; list a later receipt in receipts.csv" : null;
}
