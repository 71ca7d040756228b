using Dapper;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Ledger;
using Ontzorging.Infrastructure.Sepa;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>
/// <c>ledger reconcile --from --to</c> and the site's <c>/aansluiting</c>: for every day, the
/// managed account's statement lines against the ledger's bank account. Each difference is
/// explained by items — a statement line not booked, a ledger movement not (yet) on a statement, the
/// same money on different days — and whatever remains is unexplained. A matched line is traced to
/// the entry it produced through the <c>bank_line_entries</c> view. Where the bank's file carried
/// balances (<c>bank_day_balances</c>) the bank's closing balance is set against the ledger's.
/// </summary>
/// <remarks>
/// Set-based: the database sums each day's lines and movements, and hands over only the lines and
/// movements that can explain something (not booked; booked on another day or for another amount;
/// not on a statement), so a month of a hundred thousand matched lines comes back as thirty rows.
/// </remarks>
public sealed class BankReconciliation(NpgsqlDataSource dataSource, IOptions<ManagedAccountOptions> account)
{
    // @Ours: the managed IBAN and its account number without leading zeros, which is how ABN AMRO
    // exports name the account.
    private const string Totals = """
        WITH statement AS (
            SELECT booking_date AS day, sum(amount) AS amount FROM bank_lines
             WHERE booking_date BETWEEN @From AND @To AND ltrim(account, '0') = ANY(@Ours) GROUP BY booking_date),
        ledger AS (
            SELECT e.entry_date AS day, sum(jl.debit - jl.credit) AS amount
              FROM journal_entries e JOIN journal_lines jl ON jl.entry_id = e.id AND jl.account = 'bank'
             WHERE e.entry_date BETWEEN @From AND @To GROUP BY e.entry_date)
        SELECT coalesce(s.day, l.day) AS Date, coalesce(s.amount, 0) AS Statement, coalesce(l.amount, 0) AS Ledger
          FROM statement s FULL JOIN ledger l ON l.day = s.day
        """;

    // Only the lines that explain something: not matched, or matched with a movement on another day,
    // of another amount, or none.
    private const string Lines = """
        SELECT b.id, b.booking_date AS Date, b.amount, b.status, b.counterparty_name AS Counterparty, b.description,
               e.entry_date AS LedgerDate, jl.debit - jl.credit AS LedgerAmount
          FROM bank_lines b
          LEFT JOIN bank_line_entries le ON le.line_id = b.id
          LEFT JOIN journal_entries e ON e.id = le.entry_id
          LEFT JOIN journal_lines jl ON jl.entry_id = e.id AND jl.account = 'bank'
         WHERE ltrim(b.account, '0') = ANY(@Ours) AND b.booking_date BETWEEN @From AND @To
           AND (b.status <> 'matched' OR e.entry_date IS DISTINCT FROM b.booking_date OR jl.debit - jl.credit IS DISTINCT FROM b.amount)
         ORDER BY b.booking_date, b.id
        """;

    private const string Movements = """
        SELECT e.id AS EntryId, e.entry_date AS Date, jl.debit - jl.credit AS Amount, e.description, le.line_id AS LineId, le.booking_date AS LineDate
          FROM journal_lines jl
          JOIN journal_entries e ON e.id = jl.entry_id
          LEFT JOIN bank_line_entries le ON le.entry_id = e.id AND ltrim(le.account, '0') = ANY(@Ours)
         WHERE jl.account = 'bank' AND e.entry_date BETWEEN @From AND @To
           AND (le.line_id IS NULL OR le.booking_date <> e.entry_date)
         ORDER BY e.entry_date, e.id
        """;

    private const string OtherAccounts = """
        SELECT count(*)::int FROM bank_lines b WHERE NOT ltrim(b.account, '0') = ANY(@Ours) AND b.booking_date BETWEEN @From AND @To
        """;

    private const string Balances = """
        SELECT account, booking_date AS Date, opening, closing FROM bank_day_balances
         WHERE booking_date BETWEEN @From AND @To AND ltrim(account, '0') = ANY(@Ours) ORDER BY booking_date, account
        """;

    // The ledger's bank account at the close of the day before the period: its balance now, less
    // what moved since (for a recent period, few rows).
    private const string LedgerBefore = """
        SELECT (SELECT coalesce(sum(balance), 0) FROM ledger_accounts WHERE code = 'bank')
             - coalesce((SELECT sum(jl.debit - jl.credit) FROM journal_entries e JOIN journal_lines jl ON jl.entry_id = e.id AND jl.account = 'bank'
                          WHERE e.entry_date >= @From), 0)
        """;

    public async Task<Reconciliation> Reconcile(LocalDate from, LocalDate to, CancellationToken ct = default)
    {
        var parameters = new { From = from, To = to, Ours = account.Value.StatementNames() };
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        CommandDefinition Command(string sql) => new(sql, parameters, cancellationToken: ct);
        var totals = await connection.QueryAsync<(LocalDate Date, decimal Statement, decimal Ledger)>(Command(Totals));
        var lines = await connection.QueryAsync<(long Id, LocalDate Date, decimal Amount, string Status, string Counterparty, string Description, LocalDate? LedgerDate, decimal? LedgerAmount)>(
            Command(Lines));
        var movements = await connection.QueryAsync<(long EntryId, LocalDate Date, decimal Amount, string Description, long? LineId, LocalDate? LineDate)>(Command(Movements));
        var others = await connection.ExecuteScalarAsync<int>(Command(OtherAccounts));
        var balances = (await connection.QueryAsync<(string Account, LocalDate Date, decimal Opening, decimal Closing)>(Command(Balances)))
            .Select(b => new DayBalance(b.Account, b.Date, Money.FromEuros(b.Opening), Money.FromEuros(b.Closing))).ToList();
        Money? before = balances.Count == 0 ? null : Money.FromEuros(await connection.ExecuteScalarAsync<decimal>(Command(LedgerBefore)));
        return Reconciliation.Explain(from, to, account.Value.Iban,
            totals.Select(t => new DayTotals(t.Date, Money.FromEuros(t.Statement), Money.FromEuros(t.Ledger))).ToList(),
            lines.Select(l => new StatementLine(l.Id, l.Date, Money.FromEuros(l.Amount), l.Status, $"{l.Counterparty}, {l.Description}", l.LedgerDate,
                l.LedgerAmount is { } booked ? Money.FromEuros(booked) : null) { Counterparty = l.Counterparty, Description = l.Description }).ToList(),
            movements.Select(m => new BankMovement(m.EntryId, m.Date, Money.FromEuros(m.Amount), m.Description, m.LineId, m.LineDate)).ToList(),
            others, balances, before);
    }
}
