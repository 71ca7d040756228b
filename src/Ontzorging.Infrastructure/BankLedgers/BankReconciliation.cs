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

    // The matched lines that explain something: their movements are on another day, of another
    // amount, or missing. (A day of matched lines that agree comes back as nothing.) A batch booking
    // has one movement per payment it settled: they are summed.
    private const string Lines = """
        SELECT b.id, b.booking_date AS Date, b.amount, b.status, b.counterparty_name AS Counterparty, b.description,
               min(e.entry_date) AS LedgerDate, sum(jl.debit - jl.credit) AS LedgerAmount
          FROM bank_lines b
          LEFT JOIN bank_line_entries le ON le.line_id = b.id
          LEFT JOIN journal_entries e ON e.id = le.entry_id
          LEFT JOIN journal_lines jl ON jl.entry_id = e.id AND jl.account = 'bank'
         WHERE ltrim(b.account, '0') = ANY(@Ours) AND b.booking_date BETWEEN @From AND @To AND b.status = 'matched'
         GROUP BY b.id
        HAVING min(e.entry_date) IS DISTINCT FROM b.booking_date OR max(e.entry_date) IS DISTINCT FROM b.booking_date
            OR sum(jl.debit - jl.credit) IS DISTINCT FROM b.amount
         ORDER BY b.booking_date, b.id
        """;

    // Lines not booked: summed per day in full, listed up to @Listed (all when null).
    private const string NotBookedTotals = """
        SELECT booking_date AS Date, sum(amount) AS Amount, count(*)::int AS Count FROM bank_lines
         WHERE ltrim(account, '0') = ANY(@Ours) AND booking_date BETWEEN @From AND @To AND status <> 'matched' GROUP BY booking_date
        """;

    private const string NotBooked = """
        SELECT b.id, b.booking_date AS Date, b.amount, b.status, b.counterparty_name AS Counterparty, b.description,
               NULL::date AS LedgerDate, NULL::numeric AS LedgerAmount
          FROM bank_lines b
         WHERE ltrim(b.account, '0') = ANY(@Ours) AND b.booking_date BETWEEN @From AND @To AND b.status <> 'matched'
         ORDER BY b.booking_date, b.id LIMIT @Listed
        """;

    // Movements on a statement of another day: all. Movements on no statement: summed per day in
    // full, listed up to @Listed.
    private const string Movements = """
        SELECT e.id AS EntryId, e.entry_date AS Date, jl.debit - jl.credit AS Amount, e.description, le.line_id AS LineId, le.booking_date AS LineDate
          FROM journal_lines jl
          JOIN journal_entries e ON e.id = jl.entry_id
          JOIN bank_line_entries le ON le.entry_id = e.id AND ltrim(le.account, '0') = ANY(@Ours)
         WHERE jl.account = 'bank' AND e.entry_date BETWEEN @From AND @To AND le.booking_date <> e.entry_date
         ORDER BY e.entry_date, e.id
        """;

    // Planned whole (MATERIALIZED), so that a LIMIT on the list cannot turn the anti join into a
    // nested loop over the view for every entry (35 s for a month of 100,000 lines instead of 0.2 s).
    private const string OffStatement = """
        WITH off_statement AS MATERIALIZED (
            SELECT e.id AS entry_id, e.entry_date, e.description, jl.debit - jl.credit AS amount
              FROM journal_lines jl
              JOIN journal_entries e ON e.id = jl.entry_id
             WHERE jl.account = 'bank' AND e.entry_date BETWEEN @From AND @To
               AND NOT EXISTS (SELECT 1 FROM bank_line_entries le WHERE le.entry_id = e.id AND ltrim(le.account, '0') = ANY(@Ours)))
        """;

    // One pass over the movements on no statement gives both their sums per day (EntryId null) and
    // the first @Listed of them: the anti join over the view is the costliest step, made once.
    private const string NotOnStatement = OffStatement + """
         SELECT NULL::bigint AS EntryId, entry_date AS Date, -sum(amount) AS Amount, NULL::text AS Description, count(*)::int AS Count
           FROM off_statement GROUP BY entry_date
         UNION ALL
         (SELECT entry_id, entry_date, amount, description, 0 FROM off_statement ORDER BY entry_date, entry_id LIMIT @Listed)
        """;

    private const string OtherAccounts = """
        SELECT count(*)::int FROM bank_lines b WHERE NOT ltrim(b.account, '0') = ANY(@Ours) AND b.booking_date BETWEEN @From AND @To
        """;

    private const string Balances = """
        SELECT account, booking_date AS Date, opening, closing, import_id AS Import FROM bank_day_balances
         WHERE booking_date BETWEEN @From AND @To AND ltrim(account, '0') = ANY(@Ours) ORDER BY booking_date, account
        """;

    // The ledger's bank account at the close of the day before the period: its balance now, less
    // what moved since (for a recent period, few rows).
    private const string LedgerBefore = """
        SELECT (SELECT coalesce(sum(balance), 0) FROM ledger_accounts WHERE code = 'bank')
             - coalesce((SELECT sum(jl.debit - jl.credit) FROM journal_entries e JOIN journal_lines jl ON jl.entry_id = e.id AND jl.account = 'bank'
                          WHERE e.entry_date >= @From), 0)
        """;

    public Task<Reconciliation> Reconcile(LocalDate from, LocalDate to, CancellationToken ct = default) => Reconcile(from, to, null, ct);

    /// <param name="listed">How many lines not booked and movements not on a statement to list each (all when null); their sums are always whole.</param>
    public async Task<Reconciliation> Reconcile(LocalDate from, LocalDate to, int? listed, CancellationToken ct = default)
    {
        var parameters = new { From = from, To = to, Ours = account.Value.StatementNames(), Listed = listed };
        CommandDefinition Command(string sql) => new(sql, parameters, cancellationToken: ct);

        // Four connections at once: the matched lines, the movements, the movements on no statement
        // and the sums each pass over the month on their own (each statement sees the ledger as
        // committed when it starts, as on one connection).
        async Task<T> On<T>(Func<NpgsqlConnection, Task<T>> read)
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            return await read(connection);
        }

        var linesRead = On(async c => (await c.QueryAsync<(long Id, LocalDate Date, decimal Amount, string Status, string Counterparty, string Description, LocalDate? LedgerDate, decimal? LedgerAmount)>(
            Command(Lines))).Concat(await c.QueryAsync<(long Id, LocalDate Date, decimal Amount, string Status, string Counterparty, string Description, LocalDate? LedgerDate, decimal? LedgerAmount)>(
            Command(NotBooked))).ToList());
        var offStatementRead = On(async c => (await c.QueryAsync<(long? EntryId, LocalDate Date, decimal Amount, string? Description, int Count)>(Command(NotOnStatement))).ToList());
        var movementsRead = On(async c => (await c.QueryAsync<(long EntryId, LocalDate Date, decimal Amount, string Description, long? LineId, LocalDate? LineDate)>(Command(Movements)))
            .Select(m => new BankMovement(m.EntryId, m.Date, Money.FromEuros(m.Amount), m.Description, m.LineId, m.LineDate)).ToList());
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var totals = await connection.QueryAsync<(LocalDate Date, decimal Statement, decimal Ledger)>(Command(Totals));
        var reasons = (await connection.QueryAsync<(LocalDate Date, decimal Amount, int Count)>(Command(NotBookedTotals)))
            .Select(t => new ReasonTotal(t.Date, ReconciliationReason.NotBooked, Money.FromEuros(t.Amount), t.Count))
            .ToList();
        var others = await connection.ExecuteScalarAsync<int>(Command(OtherAccounts));
        var balances = (await connection.QueryAsync<(string Account, LocalDate Date, decimal Opening, decimal Closing, long Import)>(Command(Balances)))
            .Select(b => new DayBalance(b.Account, b.Date, Money.FromEuros(b.Opening), Money.FromEuros(b.Closing)) { Statement = b.Import }).ToList();
        var lines = await linesRead;
        var offStatement = await offStatementRead;
        reasons.AddRange(offStatement.Where(o => o.EntryId is null)
            .Select(t => new ReasonTotal(t.Date, ReconciliationReason.NotOnStatement, Money.FromEuros(t.Amount), t.Count)));
        var movements = (await movementsRead).Concat(offStatement.Where(o => o.EntryId is not null)
            .Select(m => new BankMovement(m.EntryId!.Value, m.Date, Money.FromEuros(m.Amount), m.Description ?? "", null, null))).ToList();
        Money? before = balances.Count == 0 ? null : Money.FromEuros(await connection.ExecuteScalarAsync<decimal>(Command(LedgerBefore)));
        return Reconciliation.Explain(from, to, account.Value.Iban,
            totals.Select(t => new DayTotals(t.Date, Money.FromEuros(t.Statement), Money.FromEuros(t.Ledger))).ToList(),
            lines.Select(l => new StatementLine(l.Id, l.Date, Money.FromEuros(l.Amount), l.Status, $"{l.Counterparty}, {l.Description}", l.LedgerDate,
                l.LedgerAmount is { } booked ? Money.FromEuros(booked) : null) { Counterparty = l.Counterparty, Description = l.Description }).ToList(),
            movements, others, balances, before, reasons);
    }
}
