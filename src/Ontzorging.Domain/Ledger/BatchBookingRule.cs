namespace Ontzorging.Domain.Ledger;

/// <summary>
/// When one statement entry that books a whole pain.001 batch settles that batch's payments
/// (docs/rules.md §9, "Batch bookings"): every payment it names (or, without details, every payment
/// of the batch block it names or whose control sum and execution date it has) is known and still
/// waiting for the statement, the number of transactions is the bank's, each amount the bank gives
/// is the payment's, and the entry's amount is their sum to the cent. Otherwise nothing is settled
/// and the entry stays a difference in the reconciliation, with the reason.
/// </summary>
public static class BatchBookingRule
{
    /// <summary>One payment the entry points at: what it pays, what the bank says it paid (when it says), and whether it still waits for a statement.</summary>
    public readonly record struct Candidate(string EndToEndId, Money? Amount, Money? Stated, bool Waiting);

    /// <summary>Why the entry of <paramref name="booked"/> (money out, positive) does not settle <paramref name="payments"/>, or null when it does.</summary>
    /// <param name="transactions">The number of transactions the bank states, when it states one.</param>
    /// <param name="blocksThatFit">Without references or details: how many batch blocks have this control sum and execution date.</param>
    public static string? Difference(Money booked, int? transactions, IReadOnlyList<Candidate> payments, int blocksThatFit = 1)
    {
        if (blocksThatFit > 1)
        {
            return $"{blocksThatFit} exported batch blocks have this control sum and execution date; a person decides";
        }

        if (payments.Count == 0)
        {
            return "names no exported batch of ours, and no exported batch block has this control sum and execution date";
        }

        foreach (var payment in payments)
        {
            if (payment.Amount is not { } amount)
            {
                return $"names payment {payment.EndToEndId}, which is not an exported payment of ours";
            }

            if (payment.Stated is { } stated && stated != amount)
            {
                return $"gives payment {payment.EndToEndId} as {stated} where we sent {amount}";
            }

            if (!payment.Waiting)
            {
                return $"payment {payment.EndToEndId} is not waiting for a statement (already on another line, returned or cancelled)";
            }
        }

        if (transactions is { } count && count != payments.Count)
        {
            return $"states {count} transactions where the batch has {payments.Count}";
        }

        var sum = Money.Sum(payments.Select(p => p.Amount!.Value));
        return sum == booked ? null : $"books {booked} where the batch's payments sum to {sum}";
    }
}
