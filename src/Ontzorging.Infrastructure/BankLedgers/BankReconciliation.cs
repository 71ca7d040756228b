using Dapper;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Ledger;
using Ontzorging.Infrastructure.Sepa;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>
/// <c>ledger reconcile --from --to</c>: for every day, the managed account's statement lines
/// against the ledger's bank account. Each difference is explained by items — a statement line not
/// booked, a ledger movement not (yet) on a statement, the same money on different days — and
/// whatever remains is unexplained. A matched line is traced to the entry it produced through the
/// <c>bank_line_entries</c> view.
/// </summary>
public sealed class BankReconciliation(NpgsqlDataSource dataSource, IOptions<ManagedAccountOptions> account)
{
    // @Ours: the managed IBAN and its account number without leading zeros, which is how ABN AMRO
    // exports name the account.
    private const string Lines = """
        SELECT b.id, b.booking_date AS Date, b.amount, b.status, b.counterparty_name AS Counterparty, b.description,
               e.entry_date AS LedgerDate, jl.debit - jl.credit AS LedgerAmount
          FROM bank_lines b
          LEFT JOIN bank_line_entries le ON le.line_id = b.id
          LEFT JOIN journal_entries e ON e.id = le.entry_id
          LEFT JOIN journal_lines jl ON jl.entry_id = e.id AND jl.account = 'bank'
         WHERE ltrim(b.account, '0') = ANY(@Ours) AND b.booking_date BETWEEN @From AND @To
        """;

    private const string Movements = """
        SELECT e.id AS EntryId, e.entry_date AS Date, jl.debit - jl.credit AS Amount, e.description, le.line_id AS LineId, le.booking_date AS LineDate
          FROM journal_lines jl
          JOIN journal_entries e ON e.id = jl.entry_id
          LEFT JOIN bank_line_entries le ON le.entry_id = e.id AND ltrim(le.account, '0') = ANY(@Ours)
         WHERE jl.account = 'bank' AND e.entry_date BETWEEN @From AND @To
        """;

    private const string OtherAccounts = """
        SELECT count(*)::int FROM bank_lines b WHERE NOT ltrim(b.account, '0') = ANY(@Ours) AND b.booking_date BETWEEN @From AND @To
        """;

    public async Task<Reconciliation> Reconcile(LocalDate from, LocalDate to, CancellationToken ct = default)
    {
        var parameters = new { From = from, To = to, Ours = account.Value.StatementNames() };
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var lines = await connection.QueryAsync<(long Id, LocalDate Date, decimal Amount, string Status, string Counterparty, string Description, LocalDate? LedgerDate, decimal? LedgerAmount)>(
            new CommandDefinition(Lines, parameters, cancellationToken: ct));
        var movements = await connection.QueryAsync<(long EntryId, LocalDate Date, decimal Amount, string Description, long? LineId, LocalDate? LineDate)>(
            new CommandDefinition(Movements, parameters, cancellationToken: ct));
        var others = await connection.ExecuteScalarAsync<int>(new CommandDefinition(OtherAccounts, parameters, cancellationToken: ct));
        return Reconciliation.Explain(from, to, account.Value.Iban,
            lines.Select(l => new StatementLine(l.Id, l.Date, Money.FromEuros(l.Amount), l.Status, $"{l.Counterparty}, {l.Description}", l.LedgerDate,
                l.LedgerAmount is { } booked ? Money.FromEuros(booked) : null)).ToList(),
            movements.Select(m => new BankMovement(m.EntryId, m.Date, Money.FromEuros(m.Amount), m.Description, m.LineId, m.LineDate)).ToList(),
            others);
    }
}
