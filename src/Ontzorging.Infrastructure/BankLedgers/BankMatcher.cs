using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Ledger;
using Ontzorging.Infrastructure.Batches;

namespace Ontzorging.Infrastructure.BankLedgers;

public sealed record MatchReport(int ByEndToEndId, int ByAccountAmountDate, int Unmatched);

/// <summary>
/// Matches money that left the managed account to the payments we exported: first by the
/// EndToEndId the bank echoes, else by creditor IBAN + amount + execution date when exactly one
/// payment and one line fit. A matched payment is settled (in transit → bank, dated the booking
/// day) and its batch moves to partially settled or settled. Ambiguous lines stay unmatched.
/// </summary>
public sealed class BankMatcher(NpgsqlDataSource dataSource, IClock clock)
{
    private const string ByEndToEndId = """
        UPDATE bank_lines b SET status = 'matched', payment_id = p.id
          FROM payments p JOIN batches bt ON bt.id = p.batch_id
         WHERE b.status = 'unmatched' AND b.amount < 0 AND b.reference = p.end_to_end_id AND -b.amount = p.amount
           AND p.status = 'open' AND bt.status IN ('exported', 'partially_settled')
        RETURNING b.id
        """;

    private const string ByAccountAmountDate = """
        WITH candidates AS (
            SELECT b.id AS line_id, p.id AS payment_id,
                   count(*) OVER (PARTITION BY b.id) AS payments_for_line,
                   count(*) OVER (PARTITION BY p.id) AS lines_for_payment
              FROM bank_lines b
              JOIN payments p ON p.payee_iban = b.counterparty_iban AND p.amount = -b.amount AND p.execution_date = b.booking_date
              JOIN batches bt ON bt.id = p.batch_id
             WHERE b.status = 'unmatched' AND b.amount < 0 AND p.status = 'open' AND bt.status IN ('exported', 'partially_settled')
               AND NOT EXISTS (SELECT 1 FROM bank_lines m WHERE m.payment_id = p.id))
        UPDATE bank_lines b SET status = 'matched', payment_id = c.payment_id
          FROM candidates c
         WHERE b.id = c.line_id AND c.payments_for_line = 1 AND c.lines_for_payment = 1
        RETURNING b.id
        """;

    private const string Settle = """
        UPDATE payments p SET status = 'settled', settled_on = b.booking_date
          FROM bank_lines b
         WHERE b.payment_id = p.id AND p.status = 'open'
        RETURNING p.household_id AS HouseholdId, p.batch_id AS BatchId, p.end_to_end_id AS EndToEndId, p.kind, p.amount, p.settled_on AS SettledOn
        """;

    public async Task<MatchReport> MatchOutgoing(string user, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        CommandDefinition Command(string sql, object? parameters = null) => new(sql, parameters, transaction, cancellationToken: ct);

        var byKey = (await connection.QueryAsync<long>(Command(ByEndToEndId))).Count();
        var byFields = (await connection.QueryAsync<long>(Command(ByAccountAmountDate))).Count();
        var settled = (await connection.QueryAsync<SettledPayment>(Command(Settle))).ToList();
        await PaymentSettlement.Book(connection, transaction, settled, user, clock.GetCurrentInstant(), ct);
        var unmatched = await connection.ExecuteScalarAsync<int>(Command("SELECT count(*)::int FROM bank_lines WHERE status = 'unmatched' AND amount < 0"));
        await transaction.CommitAsync(ct);
        return new MatchReport(byKey, byFields, unmatched);
    }
}
