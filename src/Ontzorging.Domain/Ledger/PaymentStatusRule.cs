namespace Ontzorging.Domain.Ledger;

/// <summary>What a pain.002 status report does to one payment (docs/rules.md §9, "pain.002").</summary>
public enum StatusOutcome
{
    /// <summary>Rejected while it waited for the bank: it never left; re-opened like a storno (in transit → household).</summary>
    Reopened,

    /// <summary>Rejected after an officer (or the simulation) settled it without a statement line: the settlement was wrong; re-opened (bank → household).</summary>
    ReopenedAfterSettlement,

    /// <summary>Accepted by the bank: recorded on the batch.</summary>
    Accepted,

    /// <summary>Rejected, but returned or rejected before: nothing more to do.</summary>
    AlreadyReopened,

    /// <summary>Rejected, but a bank statement line shows it left the account: left for a person.</summary>
    AlreadySettled,

    /// <summary>A status that changes nothing (pending, received, cancelled payment).</summary>
    NotOpen,
}

public static class PaymentStatusRule
{
    /// <summary>The bank refused the file, block or payment.</summary>
    public static bool Rejects(string? status) => status == "RJCT";

    /// <summary>The bank accepted it (ACCP, ACSC, ACTC, ACSP, ACWC, …: every accepted status starts with AC).</summary>
    public static bool Accepts(string? status) => status is { Length: 4 } && status.StartsWith("AC", StringComparison.Ordinal);

    /// <summary>
    /// Whether a rejection only says the file or payment was sent twice (DUPL, AM05): the first one
    /// stands, so nothing is re-opened. (Exporting a batch again writes the same payments under a new
    /// MsgId, which a bank refuses so.)
    /// </summary>
    public static bool OnlyADuplicate(string? reasonCode) => reasonCode is "DUPL" or "AM05";

    /// <summary>What a status does to a payment that is <paramref name="paymentStatus"/> (open, settled, returned, cancelled), <paramref name="onStatement"/> when a statement line shows it left.</summary>
    public static StatusOutcome Outcome(string status, string paymentStatus, bool onStatement) => (Rejects(status), paymentStatus) switch
    {
        (true, "open") => StatusOutcome.Reopened,
        (true, "settled") when !onStatement => StatusOutcome.ReopenedAfterSettlement,
        (true, "settled") => StatusOutcome.AlreadySettled,
        (true, "returned") => StatusOutcome.AlreadyReopened,
        (false, not "cancelled") when Accepts(status) => StatusOutcome.Accepted,
        _ => StatusOutcome.NotOpen,
    };

    /// <summary>
    /// What a status with its reason does to a payment, given whether the report answers the batch's
    /// latest export: a rejection for a duplicate, or of a file the bank has since had anew
    /// (<paramref name="superseded"/>), re-opens nothing; otherwise <see cref="Outcome"/>.
    /// </summary>
    public static StatusOutcome Decide(string status, string? reasonCode, string paymentStatus, bool onStatement, bool superseded) =>
        Rejects(status) && (superseded || OnlyADuplicate(reasonCode)) ? StatusOutcome.NotOpen : Outcome(status, paymentStatus, onStatement);

    /// <summary>The code kept for an outcome (payment_status_report_lines.outcome).</summary>
    public static string Code(this StatusOutcome outcome) => outcome switch
    {
        StatusOutcome.Reopened or StatusOutcome.ReopenedAfterSettlement => "reopened",
        StatusOutcome.Accepted => "accepted",
        StatusOutcome.AlreadyReopened => "already_reopened",
        StatusOutcome.AlreadySettled => "already_settled",
        _ => "not_open",
    };
}
