namespace Ontzorging.Domain.Batches;

/// <summary>Where a batch stands (docs/rules.md §6, §9). Rejected and cancelled batches are undone; all others are live.</summary>
public enum BatchStatus
{
    Draft,
    Approved,
    Exported,
    PartiallySettled,
    Settled,
    Rejected,
    Cancelled,
}

/// <summary>What a finance officer (or the statement) does to a batch.</summary>
public enum BatchAction
{
    Approve,
    Reject,
    Cancel,
    Export,
    Settle,
}

/// <summary>
/// The batch's state machine and the four-eyes rule, in one place: Draft → Approved → Exported →
/// Partially settled → Settled, or Draft → Rejected, Draft/Approved → Cancelled. Exporting again
/// (the same payments under a new MsgId) and settling again are allowed once exported. The database
/// keeps the same rules (migration 0016); this is where the engine asks them.
/// </summary>
public static class BatchStates
{
    private static readonly (BatchStatus Status, string Code)[] Codes =
    [
        (BatchStatus.Draft, "draft"), (BatchStatus.Approved, "approved"), (BatchStatus.Exported, "exported"),
        (BatchStatus.PartiallySettled, "partially_settled"), (BatchStatus.Settled, "settled"),
        (BatchStatus.Rejected, "rejected"), (BatchStatus.Cancelled, "cancelled"),
    ];

    public static string Code(this BatchStatus status) => Codes.First(c => c.Status == status).Code;

    public static BatchStatus Parse(string code) =>
        Codes.FirstOrDefault(c => c.Code == code) is { Code: not null } found ? found.Status : throw new ArgumentException($"'{code}' is not a batch status", nameof(code));

    /// <summary>A batch that counts: not rejected or cancelled (its month is taken, its payments stand).</summary>
    public static bool IsLive(this BatchStatus status) => status is not (BatchStatus.Rejected or BatchStatus.Cancelled);

    /// <summary>The statuses from which <paramref name="action"/> may be taken.</summary>
    public static IReadOnlyList<BatchStatus> AllowedFrom(BatchAction action) => action switch
    {
        BatchAction.Approve or BatchAction.Reject => [BatchStatus.Draft],
        BatchAction.Cancel => [BatchStatus.Draft, BatchStatus.Approved],
        BatchAction.Export => [BatchStatus.Approved, BatchStatus.Exported, BatchStatus.PartiallySettled, BatchStatus.Settled],
        BatchAction.Settle => [BatchStatus.Exported, BatchStatus.PartiallySettled, BatchStatus.Settled],
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    /// <summary>Why <paramref name="action"/> may not be taken on batch <paramref name="id"/> in <paramref name="status"/>, or null.</summary>
    public static Refusal? Refusal(BatchAction action, long id, BatchStatus status) =>
        AllowedFrom(action).Contains(status)
            ? null
            : Domain.Refusal.Of(RefusalCode.BatchWrongState, null, ("action", Verb(action)), ("batch", id), ("status", status), ("allowed", AllowedFrom(action)));

    /// <summary>
    /// Four eyes: the person who prepared a batch never approves it, under whichever of their
    /// subjects they act (a CLI login and a provider subject linked to one person are one person).
    /// </summary>
    public static Refusal? ApprovalRefusal(long id, string preparedBy, string preparerPerson, string approverPerson) =>
        string.Equals(preparerPerson, approverPerson, StringComparison.Ordinal)
            ? Domain.Refusal.Of(RefusalCode.FourEyes, null, ("batch", id), ("preparer", preparedBy))
            : null;

    /// <summary>What a step makes the batch: approving approves, exporting (the first time) exports, rejecting and cancelling undo.</summary>
    public static BatchStatus After(BatchAction action) => action switch
    {
        BatchAction.Approve => BatchStatus.Approved,
        BatchAction.Export => BatchStatus.Exported,
        BatchAction.Reject => BatchStatus.Rejected,
        BatchAction.Cancel => BatchStatus.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(action), "settling depends on the payments: see Settled"),
    };

    /// <summary>What settling makes an exported batch: settled once no payment is open, partially settled before.</summary>
    public static BatchStatus Settled(bool paymentsStillOpen) => paymentsStillOpen ? BatchStatus.PartiallySettled : BatchStatus.Settled;

    /// <summary>What undoing a batch makes it.</summary>
    public static BatchStatus Undone(BatchAction action) => action is BatchAction.Reject or BatchAction.Cancel
        ? After(action)
        : throw new ArgumentOutOfRangeException(nameof(action), "only rejecting and cancelling undo a batch");

    private static string Verb(BatchAction action) => action.ToString().ToLowerInvariant();
}
