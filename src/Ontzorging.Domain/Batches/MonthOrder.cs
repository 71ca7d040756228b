using NodaTime;

namespace Ontzorging.Domain.Batches;

/// <summary>A batch that counts (not rejected or cancelled): its month and whether it is still a draft.</summary>
public sealed record LiveBatch(YearMonth Month, bool Draft);

/// <summary>
/// One month at a time (rules §6): the batch for M is prepared from the outcome of the batch for
/// M−1. So M is refused while an earlier month's batch is still a draft (its outcome can still
/// change), when a later month is already prepared (it already paid the balances M would pay), and
/// when a month between the last prepared one and M was never prepared, unless the officer states
/// why (the reason is kept with the batch).
/// </summary>
public static class MonthOrder
{
    /// <summary>Why <paramref name="month"/> may not be prepared now, or null when it may.</summary>
    public static Refusal? Refusal(YearMonth month, IReadOnlyCollection<LiveBatch> live, string? reason)
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

        if (Skips(month, live) && TextRules.ReasonRefusal(reason!, TextRules.MaxReasonLength) is { } unfit)
        {
            return unfit;
        }

        return null;
    }

    /// <summary>Whether preparing <paramref name="month"/> skips a month, so the batch keeps the officer's reason.</summary>
    public static bool Skips(YearMonth month, IReadOnlyCollection<LiveBatch> live) =>
        LastBefore(month, live) is { } previous && previous.PlusMonths(1) < month;

    /// <summary>The last month before <paramref name="month"/> that has a live batch, if any.</summary>
    private static YearMonth? LastBefore(YearMonth month, IReadOnlyCollection<LiveBatch> live) =>
        live.Where(b => b.Month < month).Select(b => (YearMonth?)b.Month).Max();
}
