using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Ledger;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Ledger;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>Outgoing lines that settled a payment by EndToEndId or by creditor, amount and day, and that linked one an officer had settled.</summary>
public sealed record OutgoingMatches(int ByEndToEndId, int ByAccountAmountDate, int AlreadySettled, BatchBookingReport Batches);

/// <summary>What matching did with a statement's new lines; <see cref="Batches"/>: the lines that booked a whole batch (docs/rules.md §9).</summary>
public sealed record MatchReport(int ByEndToEndId, int ByAccountAmountDate, int AlreadySettled, int Unmatched, int Returned, int BijstandTransfers, int CreditFunding,
    BatchBookingReport Batches);

/// <summary>
/// Matches the new lines of a statement (the import's staging tables, see
/// <see cref="BankStatementImporter"/>) to what we sent and what the municipality transfers, inside
/// the import's transaction, before the lines are stored:
/// <list type="bullet">
/// <item>money that left the managed account settles an exported payment, by the EndToEndId the
/// bank echoes, else by creditor IBAN + amount + execution date when exactly one payment and one
/// line fit (in transit → bank on the booking day; the batch moves to partially settled or settled).
/// A payment an officer settled before the statement came is linked, and nothing is booked again;</item>
/// <item>money that came back for a settled payment (its EndToEndId, or a line marked as a return
/// from the creditor's IBAN with the same amount) is a storno: the payment is returned, the money
/// is the household's again (bank → household), and an installment is an arrear again, to be
/// re-sent with the next attempt number;</item>
/// <item>money from the municipality's own account is its bijstand transfer (bank →
/// bijstand receivable) or its funding of bridging credit (bank → credit fund).</item>
/// </list>
/// Each match is a row of <c>line_matches</c>; ambiguous lines get none and stay for a person.
/// </summary>
public static class BankMatcher
{
    // The payments a line may settle (exported, waiting for the statement) or link to (settled by
    // an officer before the statement came, and not yet on a statement line). Composed at compile
    // time: every statement stays one constant.
    private const string Open = "p.status = 'open' AND EXISTS (SELECT 1 FROM batches bt WHERE bt.id = p.batch_id AND bt.status IN ('exported', 'partially_settled'))";

    // A payment the bank rejected (pain.002) never left: a line naming it is left for a person.
    private const string SettledUnlinked = "p.status IN ('settled', 'returned') AND p.return_source IS DISTINCT FROM 'status_report' AND NOT EXISTS (SELECT 1 FROM bank_lines m WHERE m.payment_id = p.id) AND NOT EXISTS (SELECT 1 FROM bank_line_payments lp WHERE lp.payment_id = p.id)";

    // An EndToEndId names one payment: settled when open, linked when an officer settled it already.
    private const string ByEndToEndId = $"""
        INSERT INTO line_matches (line_no, booking_date, amount, payment_id, settles)
        SELECT DISTINCT ON (p.id) s.line_no, s.booking_date, s.amount, p.id, p.status = 'open'
          FROM bank_lines_staging s
          JOIN payments p ON p.end_to_end_id = s.reference AND p.amount = -s.amount
         WHERE s.amount < 0 AND (({Open}) OR ({SettledUnlinked}))
         ORDER BY p.id, s.line_no
        """;

    // Creditor IBAN + amount + execution date, only where exactly one payment and one line fit:
    // first among the payments waiting for the statement, then among those already settled. Lines
    // and payments matched before are set aside first: a line that settled a landlord's rent shares
    // IBAN, amount and day with every other rent paid to that landlord that day.
    private const string ByAccountAmountDate = $"""
        INSERT INTO line_matches (line_no, booking_date, amount, payment_id, settles)
        WITH candidates AS MATERIALIZED (
            SELECT p.id, p.payee_iban, p.amount, p.execution_date
              FROM payments p
             WHERE CASE WHEN @AlreadySettled THEN {SettledUnlinked} ELSE {Open} END
               AND NOT EXISTS (SELECT 1 FROM line_matches m WHERE m.payment_id = p.id)),
        lines AS MATERIALIZED (
            SELECT s.line_no, s.booking_date, s.amount, s.counterparty_iban
              FROM bank_lines_staging s
             WHERE EXISTS (SELECT 1 FROM candidates) -- no payment left to match: no line read
               AND s.amount < 0 AND NOT EXISTS (SELECT 1 FROM line_matches m WHERE m.line_no = s.line_no)),
        pairs AS (
            SELECT l.line_no, l.booking_date, l.amount, p.id AS payment_id,
                   count(*) OVER (PARTITION BY l.line_no) AS payments_for_line,
                   count(*) OVER (PARTITION BY p.id) AS lines_for_payment
              FROM lines l JOIN candidates p ON p.payee_iban = l.counterparty_iban AND p.amount = -l.amount AND p.execution_date = l.booking_date)
        SELECT line_no, booking_date, amount, payment_id, NOT @AlreadySettled
          FROM pairs WHERE payments_for_line = 1 AND lines_for_payment = 1
        """;

    private const string Settle = """
        UPDATE payments p SET status = 'settled', settled_on = m.booking_date
          FROM line_matches m
         WHERE m.payment_id = p.id AND m.settles AND p.status = 'open'
        RETURNING p.household_id AS HouseholdId, p.batch_id AS BatchId, p.end_to_end_id AS EndToEndId, p.kind, p.amount, p.settled_on AS SettledOn
        """;

    // The payments of the batch bookings that settle, on the booking day of their line.
    private const string SettleBatches = """
        UPDATE payments p SET status = 'settled', settled_on = m.booking_date
          FROM batch_line_matches bm JOIN line_matches m ON m.line_no = bm.line_no
         WHERE bm.payment_id = p.id AND bm.settles AND p.status = 'open'
        RETURNING p.household_id AS HouseholdId, p.batch_id AS BatchId, p.end_to_end_id AS EndToEndId, p.kind, p.amount, p.settled_on AS SettledOn
        """;

    // A line that gives back a settled payment (settled before, or by this statement) names its
    // EndToEndId, or is marked as a return and comes from the creditor's IBAN with the same amount
    // within the storno window (Policy.StornoWindowDays, 90 by default) of the execution.
    private const string ReturnByEndToEndId = """
        INSERT INTO line_matches (line_no, line_id, booking_date, amount, returned_payment_id)
        SELECT DISTINCT ON (p.id) i.line_no, i.line_id, i.booking_date, i.amount, p.id
          FROM incoming_lines i
          JOIN payments p ON p.end_to_end_id = i.reference AND p.amount = i.amount
         WHERE p.status = 'settled' AND p.settled_on <= i.booking_date
         ORDER BY p.id, i.line_no
        """;

    private const string ReturnByAccountAmount = """
        INSERT INTO line_matches (line_no, line_id, booking_date, amount, returned_payment_id)
        SELECT c.line_no, c.line_id, c.booking_date, c.amount, c.payment_id
          FROM (SELECT i.line_no, i.line_id, i.booking_date, i.amount, p.id AS payment_id,
                       count(*) OVER (PARTITION BY i.line_no) AS payments_for_line,
                       count(*) OVER (PARTITION BY p.id) AS lines_for_payment
                  FROM incoming_lines i
                  JOIN payments p ON p.payee_iban = i.counterparty_iban AND p.amount = i.amount
                                 AND p.settled_on <= i.booking_date AND p.execution_date >= i.booking_date - @StornoWindowDays
                 WHERE i.return_marked AND p.status = 'settled'
                   AND NOT EXISTS (SELECT 1 FROM line_matches m WHERE m.line_no = i.line_no)
                   AND NOT EXISTS (SELECT 1 FROM line_matches m WHERE m.returned_payment_id = p.id)
                   AND NOT EXISTS (SELECT 1 FROM bank_lines m WHERE m.returned_payment_id = p.id)) c
         WHERE c.payments_for_line = 1 AND c.lines_for_payment = 1
        """;

    private const string Return = """
        UPDATE payments p SET status = 'returned', returned_on = m.booking_date, return_source = 'statement',
                              return_reason = coalesce(i.return_reason, left(i.description, 140))
          FROM line_matches m, incoming_lines i, households h
         WHERE m.returned_payment_id = p.id AND i.line_no = m.line_no AND p.status = 'settled' AND h.id = p.household_id
        RETURNING p.id, p.household_id AS HouseholdId, h.reference AS Household, p.batch_id AS BatchId, p.end_to_end_id AS EndToEndId,
                  p.kind, p.amount, p.returned_on AS ReturnedOn
        """;

    // A returned installment is an arrear again (docs/rules.md §9), sent again with the next attempt.
    internal const string ReopenArrears = """
        INSERT INTO arrears (household_id, contract_id, kind, creditor_name, creditor_iban, amount, due_date, reference, attempt, raised_in_batch_id)
        SELECT p.household_id, p.contract_id, p.kind, p.payee_name, p.payee_iban, p.amount, p.due_date, p.reference, p.attempt + 1, p.batch_id
          FROM payments p WHERE p.id = ANY(@Ids) AND p.contract_id IS NOT NULL
        ON CONFLICT ON CONSTRAINT uq_arrears_natural DO UPDATE
           SET paid_in_batch_id = NULL, attempt = EXCLUDED.attempt, amount = EXCLUDED.amount, creditor_iban = EXCLUDED.creditor_iban
        """;

    // The classifier recognised the municipality's account and words while reading the file.
    private const string MatchTransfers = """
        INSERT INTO line_matches (line_no, line_id, booking_date, amount, transfer)
        SELECT i.line_no, i.line_id, i.booking_date, i.amount, i.transfer
          FROM incoming_lines i
         WHERE i.transfer IS NOT NULL AND NOT EXISTS (SELECT 1 FROM line_matches m WHERE m.line_no = i.line_no)
        RETURNING line_id AS Id, booking_date AS BookingDate, amount, transfer
        """;

    // Every payment an outgoing line may settle or link to, by either way of matching.
    private const string PayableNow = $"""
        SELECT p.end_to_end_id AS EndToEndId, p.payee_iban AS Iban, p.amount, p.execution_date AS ExecutionDate
          FROM payments p
         WHERE ({Open}) OR ({SettledUnlinked})
        """;

    /// <summary>
    /// What the payments that outgoing lines may settle or link to look like, so that the importer
    /// hands matching only the outgoing lines that could match one; the rest of a statement's
    /// traffic (suppliers, other payees) is stored unmatched without being matched first.
    /// </summary>
    public static async Task<PayableLines> Payable(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var payments = await connection.QueryAsync<(string EndToEndId, string Iban, decimal Amount, LocalDate ExecutionDate)>(
            new CommandDefinition(PayableNow, transaction: transaction, cancellationToken: ct));
        return new PayableLines(payments.Select(p => (p.EndToEndId, p.Iban, Money.FromEuros(p.Amount), p.ExecutionDate)));
    }

    /// <summary>
    /// Settles and links payments for the staged outgoing lines (money out). Reads only
    /// <c>bank_lines_staging</c>'s outgoing lines, which need no line id: the importer may run it
    /// while it is still working out the ids of the new lines.
    /// </summary>
    public static async Task<OutgoingMatches> SettleAndLink(NpgsqlConnection connection, NpgsqlTransaction transaction, string user, Instant now, CancellationToken ct)
    {
        CommandDefinition Command(string sql, object? parameters = null) => new(sql, parameters, transaction, cancellationToken: ct);

        await connection.ExecuteAsync(Command(ByEndToEndId));
        var (byKey, linkedByKey) = await connection.QuerySingleAsync<(int, int)>(Command("SELECT count(*) FILTER (WHERE settles)::int, count(*) FILTER (WHERE NOT settles)::int FROM line_matches"));
        var byFields = await connection.ExecuteAsync(Command(ByAccountAmountDate, new { AlreadySettled = false }));
        var linked = linkedByKey + await connection.ExecuteAsync(Command(ByAccountAmountDate, new { AlreadySettled = true }));
        var batches = await BatchBookingMatcher.Match(connection, transaction, ct);
        var settled = (await connection.QueryAsync<SettledPayment>(Command(Settle))).ToList();
        if (batches.Lines > 0)
        {
            settled.AddRange(await connection.QueryAsync<SettledPayment>(Command(SettleBatches)));
        }

        await PaymentSettlement.Book(connection, transaction, settled, user, now, ct);
        return new OutgoingMatches(byKey, byFields, linked, batches);
    }

    /// <summary>
    /// After <see cref="SettleAndLink"/>, once <c>incoming_lines</c> holds the new lines that brought
    /// money in (with their ids): returns payments and books municipal transfers.
    /// <paramref name="outgoing"/> is how many new lines took money out, for the count left unmatched.
    /// </summary>
    public static async Task<MatchReport> ReturnsAndTransfers(NpgsqlConnection connection, NpgsqlTransaction transaction, OutgoingMatches matched, int outgoing, string user, Instant now,
        int stornoWindowDays, CancellationToken ct)
    {
        CommandDefinition Command(string sql, object? parameters = null) => new(sql, parameters, transaction, cancellationToken: ct);

        await connection.ExecuteAsync(Command(ReturnByEndToEndId));
        await connection.ExecuteAsync(Command(ReturnByAccountAmount, new { StornoWindowDays = stornoWindowDays }));
        var returned = (await connection.QueryAsync<(long Id, long HouseholdId, string Household, long BatchId, string EndToEndId, string Kind, decimal Amount, LocalDate ReturnedOn)>(Command(Return))).ToList();
        await connection.ExecuteAsync(Command(ReopenArrears, new { Ids = returned.Select(r => r.Id).ToArray() }));
        await BulkLedgerWriter.PostMany(connection, transaction, returned.Select(r => (
            Postings.PaymentReturned(r.Household, r.ReturnedOn, Money.FromEuros(r.Amount), $"{r.Kind} {r.EndToEndId}"),
            new Posting($"return:{r.EndToEndId}", user, now, r.HouseholdId, r.BatchId))).ToList(), ct);

        var transfers = (await connection.QueryAsync<(long Id, LocalDate BookingDate, decimal Amount, string Transfer)>(Command(MatchTransfers))).ToList();
        await BulkLedgerWriter.PostMany(connection, transaction, transfers.Select(t => (
            t.Transfer == "bijstand" ? Postings.BijstandTransferred(t.BookingDate, Money.FromEuros(t.Amount)) : Postings.CreditFunded(t.BookingDate, Money.FromEuros(t.Amount)),
            new Posting($"bank_line:{t.Id}", user, now))).ToList(), ct);

        var (byKey, byFields, linked, batches) = matched;
        return new MatchReport(byKey, byFields, linked, outgoing - byKey - byFields - linked - batches.Lines, returned.Count,
            transfers.Count(t => t.Transfer == "bijstand"), transfers.Count(t => t.Transfer != "bijstand"), batches);
    }
}

/// <summary>
/// The EndToEndIds and (creditor IBAN, amount, execution date) of payments that lines may settle
/// or link to. <see cref="MayPay"/> holds for every line that <see cref="BankMatcher"/> could match
/// to one of them (and for some it will not, when the amount or uniqueness rules out a match).
/// </summary>
public sealed class PayableLines
{
    private readonly HashSet<string> endToEndIds = new(StringComparer.Ordinal);
    private readonly HashSet<(string Iban, Money Amount, LocalDate Date)> payees = [];

    public PayableLines(IEnumerable<(string EndToEndId, string Iban, Money Amount, LocalDate ExecutionDate)> payments)
    {
        foreach (var (endToEndId, iban, amount, date) in payments)
        {
            endToEndIds.Add(endToEndId);
            payees.Add((iban, amount, date));
        }
    }

    /// <summary>Whether <paramref name="line"/> took money out and names a payment's EndToEndId, or its creditor, amount and day.</summary>
    public bool MayPay(BankLine line) =>
        line.Amount.IsNegative
        && ((line.Reference is { } reference && endToEndIds.Contains(reference))
            || (line.CounterpartyIban is { } iban && payees.Contains((iban, -line.Amount, line.BookingDate))));
}
