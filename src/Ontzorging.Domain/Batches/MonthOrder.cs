using NodaTime;

namespace Ontzorging.Domain.Batches;

/// <summary>A batch that counts (not rejected or cancelled): its month and whether it is still a draft.</summary>
public sealed record LiveBatch(YearMonth Month, bool Draft);

/// <summary>
/// One month at a time (rules §6): the batch for M is prepared from the outcome of the batch for
/// M−1. So M is refused while an earlier month's batch is still a draft (its outcome can still
/// change), when a later month is already prepared (it already paid the balances M would pay), and
/// when a month between the last prepared one and M was never prepared, unless the officer states
/// why (the reason is kept with the batch). A month prepared more than
/// <see cref="Policy.LatePreparationDays"/> days after its preparation day (the
/// <see cref="Policy.PreparationDay"/> of M−1) also needs the officer's reason: its payments go out
/// late, and nobody should do that without a word (issue 22).
/// </summary>
public static class MonthOrder
{
    /// <summary>Why <paramref name="month"/> may not be prepared now, or null when it may.</summary>
    public static Refusal? Refusal(YearMonth month, IReadOnlyCollection<LiveBatch> live, string? reason) => Refusal(month, live, reason, null, null);

    /// <summary>
    /// Why <paramref name="month"/> may not be prepared on <paramref name="preparedOn"/>, or null when
    /// it may: the order of months, and a reason when it comes late or after a skipped month.
    /// </summary>
    public static Refusal? Refusal(YearMonth month, IReadOnlyCollection<LiveBatch> live, string? reason, LocalDate? preparedOn, Policy? policy)
    {
        if (live.Where(b => b.Month < month && b.Draft).OrderBy(b => b.Month).FirstOrDefault() is { } draft)
        {
            return Domain.Refusal.Of(RefusalCode.EarlierBatchIsDraft, "month", ("month", month), ("draft", draft.Month));
        }

        if (live.Where(b => b.Month > month).OrderByDescending(b => b.Month).FirstOrDefault() is { } later)
        {
            return Domain.Refusal.Of(RefusalCode.LaterMonthPrepared, "month", ("month", month), ("later", later.Month));
        }

        if (Skips(month, live) && string.IsNullOrWhiteSpace(reason))
        {
            var previous = LastBefore(month, live)!.Value;
            var (from, through) = (previous.PlusMonths(1), month.PlusMonths(-1));
            return Domain.Refusal.Of(from == through ? RefusalCode.MonthSkipped : RefusalCode.MonthsSkipped, "reason", ("month", month), ("from", from), ("through", through));
        }

        if (preparedOn is { } day && policy is not null && Late(month, day, policy) && string.IsNullOrWhiteSpace(reason))
        {
            return Domain.Refusal.Of(RefusalCode.PreparationLate, "reason", ("month", month), ("scheduled", ScheduledDay(month, policy)),
                ("days", DaysLate(month, day, policy)), ("allowed", policy.LatePreparationDays));
        }

        if (NeedsReason(month, live, preparedOn, policy) && TextRules.ReasonRefusal(reason!, TextRules.MaxReasonLength) is { } unfit)
        {
            return unfit;
        }

        return null;
    }

    /// <summary>Whether preparing <paramref name="month"/> now needs the officer's reason (kept with the batch): it skips a month, or comes late.</summary>
    public static bool NeedsReason(YearMonth month, IReadOnlyCollection<LiveBatch> live, LocalDate? preparedOn, Policy? policy) =>
        Skips(month, live) || (preparedOn is { } day && policy is not null && Late(month, day, policy));

    /// <summary>The day the batch for <paramref name="month"/> is meant to be prepared: the policy's day of the month before (the last day of a shorter month).</summary>
    public static LocalDate ScheduledDay(YearMonth month, Policy policy)
    {
        var before = month.PlusMonths(-1);
        return before.OnDayOfMonth(Math.Min(Math.Max(policy.PreparationDay, 1), before.ToDateInterval().End.Day));
    }

    /// <summary>How many days after its preparation day <paramref name="month"/> is prepared on <paramref name="preparedOn"/> (negative when early).</summary>
    public static int DaysLate(YearMonth month, LocalDate preparedOn, Policy policy) => Period.Between(ScheduledDay(month, policy), preparedOn, PeriodUnits.Days).Days;

    /// <summary>Whether <paramref name="month"/> prepared on <paramref name="preparedOn"/> lies more than the policy's days after its preparation day.</summary>
    public static bool Late(YearMonth month, LocalDate preparedOn, Policy policy) => DaysLate(month, preparedOn, policy) > policy.LatePreparationDays;

    /// <summary>Whether preparing <paramref name="month"/> skips a month, so the batch keeps the officer's reason.</summary>
    public static bool Skips(YearMonth month, IReadOnlyCollection<LiveBatch> live) =>
        LastBefore(month, live) is { } previous && previous.PlusMonths(1) < month;

    /// <summary>The last month before <paramref name="month"/> that has a live batch, if any.</summary>
    private static YearMonth? LastBefore(YearMonth month, IReadOnlyCollection<LiveBatch> live) =>
        live.Where(b => b.Month < month).Select(b => (YearMonth?)b.Month).Max();
}
