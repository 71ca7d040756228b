using Dapper;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Ledger;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Ledger;
using Ontzorging.Infrastructure.Sepa;

namespace Ontzorging.Infrastructure.BankLedgers;

public sealed record MatchReport(int ByEndToEndId, int ByAccountAmountDate, int AlreadySettled, int Unmatched, int Returned, int BijstandTransfers, int CreditFunding);

/// <summary>
/// Matches the statement to what we sent and what the municipality transfers, in one transaction:
/// <list type="bullet">
/// <item>money that left the managed account settles an exported payment, by the EndToEndId the
/// bank echoes, else by creditor IBAN + amount + execution date when exactly one payment and one
/// line fit (in transit → bank on the booking day; the batch moves to partially settled or settled);</item>
/// <item>money that came back for a settled payment (its EndToEndId, or a line marked as a return
/// from the creditor's IBAN with the same amount) is a storno: the payment is returned, the money
/// is the household's again (bank → household), and an installment is an arrear again, to be
/// re-sent with the next attempt number;</item>
/// <item>money from the municipality's own account is its bijstand transfer (bank →
/// bijstand receivable) or its funding of bridging credit (bank → credit fund).</item>
/// </list>
/// Ambiguous lines stay unmatched for a person to look at.
/// </summary>
public sealed class BankMatcher(NpgsqlDataSource dataSource, IClock clock, IOptions<ManagedAccountOptions> account)
{
    // The payments a line may match: exported and waiting for the statement (matching settles them),
    // or, with @AlreadySettled, settled by an officer before the statement came (matching links the
    // line, and books nothing again). Composed at compile time: every statement stays one constant.
    private const string PaymentMayMatch = """
        CASE WHEN @AlreadySettled
             THEN p.status IN ('settled', 'returned') AND NOT EXISTS (SELECT 1 FROM bank_lines m WHERE m.payment_id = p.id)
             ELSE p.status = 'open' AND EXISTS (SELECT 1 FROM batches bt WHERE bt.id = p.batch_id AND bt.status IN ('exported', 'partially_settled')) END
        """;

    private const string ByEndToEndId = $"""
        UPDATE bank_lines b SET status = 'matched', payment_id = p.id
          FROM payments p
         WHERE b.status = 'unmatched' AND b.amount < 0 AND b.reference = p.end_to_end_id AND -b.amount = p.amount
           AND {PaymentMayMatch}
        """;

    // Creditor IBAN + amount + execution date, only where exactly one payment and one line fit.
    private const string ByAccountAmountDate = $"""
        WITH candidates AS (
            SELECT b.id AS line_id, p.id AS payment_id,
                   count(*) OVER (PARTITION BY b.id) AS payments_for_line,
                   count(*) OVER (PARTITION BY p.id) AS lines_for_payment
              FROM bank_lines b
              JOIN payments p ON p.payee_iban = b.counterparty_iban AND p.amount = -b.amount AND p.execution_date = b.booking_date
             WHERE b.status = 'unmatched' AND b.amount < 0
               AND {PaymentMayMatch})
        UPDATE bank_lines b SET status = 'matched', payment_id = c.payment_id
          FROM candidates c
         WHERE b.id = c.line_id AND c.payments_for_line = 1 AND c.lines_for_payment = 1
        """;

    private const string Settle = """
        UPDATE payments p SET status = 'settled', settled_on = b.booking_date
          FROM bank_lines b
         WHERE b.payment_id = p.id AND p.status = 'open'
        RETURNING p.household_id AS HouseholdId, p.batch_id AS BatchId, p.end_to_end_id AS EndToEndId, p.kind, p.amount, p.settled_on AS SettledOn
        """;

    // A line that gives back a settled payment names its EndToEndId, or is marked as a return and
    // comes from the creditor's IBAN with the same amount within 90 days of the execution.
    private const string ReturnByEndToEndId = """
        UPDATE bank_lines b SET status = 'matched', returned_payment_id = p.id
          FROM payments p
         WHERE b.status = 'unmatched' AND b.amount > 0 AND b.reference = p.end_to_end_id AND b.amount = p.amount
           AND p.status = 'settled' AND p.settled_on <= b.booking_date
        """;

    private const string ReturnByAccountAmount = """
        WITH candidates AS (
            SELECT b.id AS line_id, p.id AS payment_id,
                   count(*) OVER (PARTITION BY b.id) AS payments_for_line,
                   count(*) OVER (PARTITION BY p.id) AS lines_for_payment
              FROM bank_lines b
              JOIN payments p ON p.payee_iban = b.counterparty_iban AND p.amount = b.amount
                             AND p.settled_on <= b.booking_date AND p.execution_date >= b.booking_date - 90
             WHERE b.status = 'unmatched' AND b.amount > 0 AND p.status = 'settled'
               AND (b.return_reason IS NOT NULL OR b.description ~* @ReturnWords)
               AND NOT EXISTS (SELECT 1 FROM bank_lines m WHERE m.returned_payment_id = p.id))
        UPDATE bank_lines b SET status = 'matched', returned_payment_id = c.payment_id
          FROM candidates c
         WHERE b.id = c.line_id AND c.payments_for_line = 1 AND c.lines_for_payment = 1
        """;

    private const string Return = """
        UPDATE payments p SET status = 'returned', returned_on = b.booking_date,
                              return_reason = coalesce(b.return_reason, left(b.description, 140))
          FROM bank_lines b, households h
         WHERE b.returned_payment_id = p.id AND p.status = 'settled' AND h.id = p.household_id
        RETURNING p.id, p.household_id AS HouseholdId, h.reference AS Household, p.batch_id AS BatchId, p.end_to_end_id AS EndToEndId,
                  p.kind, p.amount, p.returned_on AS ReturnedOn
        """;

    // A returned installment is an arrear again (DOMAIN.md §9), sent again with the next attempt.
    private const string ReopenArrears = """
        INSERT INTO arrears (household_id, contract_id, kind, creditor_name, creditor_iban, amount, due_date, reference, attempt, raised_in_batch_id)
        SELECT p.household_id, p.contract_id, p.kind, p.payee_name, p.payee_iban, p.amount, p.due_date, p.reference, p.attempt + 1, p.batch_id
          FROM payments p WHERE p.id = ANY(@Ids) AND p.contract_id IS NOT NULL
        ON CONFLICT ON CONSTRAINT uq_arrears_natural DO UPDATE
           SET paid_in_batch_id = NULL, attempt = EXCLUDED.attempt, amount = EXCLUDED.amount, creditor_iban = EXCLUDED.creditor_iban
        """;

    private const string MatchTransfers = """
        UPDATE bank_lines SET status = 'matched',
               transfer = CASE WHEN description ~* @CreditFundingWords THEN 'credit_funding' ELSE 'bijstand' END
         WHERE status = 'unmatched' AND amount > 0 AND counterparty_iban = @MunicipalityIban
           AND (description ~* @BijstandWords OR description ~* @CreditFundingWords)
        RETURNING id, booking_date AS BookingDate, amount, transfer
        """;

    public async Task<MatchReport> Match(string user, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        CommandDefinition Command(string sql, object? parameters = null) => new(sql, parameters, transaction, cancellationToken: ct);
        var now = clock.GetCurrentInstant();

        // Every step joins all unmatched lines with a set of payments, and each step changes the
        // statuses the next one filters on: on statistics that cannot know that, the planner may
        // pick a nested loop over every pair (a minute for 100,000 lines). Hash joins stay linear.
        await connection.ExecuteAsync(Command("SET LOCAL enable_nestloop = off"));
        var open = new { AlreadySettled = false };
        var byKey = await connection.ExecuteAsync(Command(ByEndToEndId, open));
        var byFields = await connection.ExecuteAsync(Command(ByAccountAmountDate, open));
        var settled = (await connection.QueryAsync<SettledPayment>(Command(Settle))).ToList();
        await PaymentSettlement.Book(connection, transaction, settled, user, now, ct);
        var alreadySettled = new { AlreadySettled = true };
        var linked = await connection.ExecuteAsync(Command(ByEndToEndId, alreadySettled)) + await connection.ExecuteAsync(Command(ByAccountAmountDate, alreadySettled));

        await connection.ExecuteAsync(Command(ReturnByEndToEndId));
        await connection.ExecuteAsync(Command(ReturnByAccountAmount, new { StatementText.ReturnWords }));
        var returned = (await connection.QueryAsync<(long Id, long HouseholdId, string Household, long BatchId, string EndToEndId, string Kind, decimal Amount, LocalDate ReturnedOn)>(Command(Return))).ToList();
        await connection.ExecuteAsync(Command(ReopenArrears, new { Ids = returned.Select(r => r.Id).ToArray() }));
        await BulkLedgerWriter.PostMany(connection, transaction, returned.Select(r => (
            Postings.PaymentReturned(r.Household, r.ReturnedOn, Money.FromEuros(r.Amount), $"{r.Kind} {r.EndToEndId}"),
            new Posting($"return:{r.EndToEndId}", user, now, r.HouseholdId, r.BatchId))).ToList(), ct);

        var transfers = (await connection.QueryAsync<(long Id, LocalDate BookingDate, decimal Amount, string Transfer)>(Command(MatchTransfers, new { account.Value.MunicipalityIban, StatementText.BijstandWords, StatementText.CreditFundingWords }))).ToList();
        await BulkLedgerWriter.PostMany(connection, transaction, transfers.Select(t => (
            t.Transfer == "bijstand" ? Postings.BijstandTransferred(t.BookingDate, Money.FromEuros(t.Amount)) : Postings.CreditFunded(t.BookingDate, Money.FromEuros(t.Amount)),
            new Posting($"bank_line:{t.Id}", user, now))).ToList(), ct);

        var unmatched = await connection.ExecuteScalarAsync<int>(Command("SELECT count(*)::int FROM bank_lines WHERE status = 'unmatched' AND amount < 0"));
        await transaction.CommitAsync(ct);
        return new MatchReport(byKey, byFields, linked, unmatched, returned.Count,
            transfers.Count(t => t.Transfer == "bijstand"), transfers.Count(t => t.Transfer != "bijstand"));
    }
}
