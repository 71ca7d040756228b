namespace Ontzorging.Domain.Batches;

/// <summary>
/// The exceptions of a batch are a worklist for its approver (issue 22): each is acknowledged, by a
/// person other than the one who prepared the batch (the same four eyes as the approval), before
/// the batch may be approved. Acknowledging is done on a draft only, and once per exception.
/// </summary>
public static class ExceptionAcknowledgements
{
    /// <summary>Why batch <paramref name="batch"/> may not be approved while <paramref name="unacknowledged"/> of its exceptions wait, or null.</summary>
    public static Refusal? ApprovalRefusal(long batch, int unacknowledged) =>
        unacknowledged > 0 ? Refusal.Of(RefusalCode.ExceptionsUnacknowledged, null, ("batch", batch), ("open", unacknowledged)) : null;

    /// <summary>Why the person <paramref name="actorPerson"/> may not acknowledge an exception of batch <paramref name="batch"/>, or null.</summary>
    public static Refusal? AcknowledgeRefusal(long batch, BatchStatus status, string preparedBy, string preparerPerson, string actorPerson)
    {
        if (status != BatchStatus.Draft)
        {
            return Refusal.Of(RefusalCode.BatchWrongState, null, ("action", "acknowledge the exceptions of"), ("batch", batch), ("status", status), ("allowed", new[] { BatchStatus.Draft }));
        }

        return string.Equals(preparerPerson, actorPerson, StringComparison.Ordinal)
            ? Refusal.Of(RefusalCode.AcknowledgedByPreparer, null, ("batch", batch), ("preparer", preparedBy))
            : null;
    }
}
