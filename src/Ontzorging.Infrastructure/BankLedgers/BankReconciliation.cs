using Dapper;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Sepa;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>One day: what the statement moved, what the ledger's bank account moved, and how much of the difference is explained.</summary>
public sealed record ReconciliationDay(LocalDate Date, Money Statement, Money Ledger, Money Explained)
{
    public Money Difference => Statement - Ledger;

    public Money Unexplained => Difference - Explained;
}

public enum ReconciliationReason
{
    /// <summary>On the statement, not booked: an unmatched line or one waiting for confirmation.</summary>
    NotBooked,

    /// <summary>In the ledger, not (yet) on an imported statement: a payment an officer settled, a receipt recorded by a caseworker.</summary>
    NotOnStatement,

    /// <summary>The same money on both sides, on different days.</summary>
    Timing,

    /// <summary>A matched line whose ledger movement is missing or differs: nothing explains it.</summary>
    Mismatch,
}

/// <summary>One item of a day's difference; <see cref="Amount"/> is its effect on statement − ledger.</summary>
public sealed record ReconciliationItem(LocalDate Date, Money Amount, ReconciliationReason Reason, string What);

public sealed record Reconciliation(
    LocalDate From,
    LocalDate To,
    string Account,
    IReadOnlyList<ReconciliationDay> Days,
    IReadOnlyList<ReconciliationItem> Items,
    int LinesOnOtherAccounts)
{
    public Money Statement => Money.Sum(Days.Select(d => d.Statement));

    public Money Ledger => Money.Sum(Days.Select(d => d.Ledger));

    public Money Explained => Money.Sum(Days.Select(d => d.Explained));

    public Money Unexplained => Money.Sum(Days.Select(d => d.Unexplained));

    /// <summary>Reconciled when no day has an unexplained difference and no matched line disagrees with the ledger.</summary>
    public bool Reconciled => Days.All(d => d.Unexplained.IsZero) && Items.All(i => i.Reason != ReconciliationReason.Mismatch);
}

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
        var iban = account.Value.Iban;
        var parameters = new { From = from, To = to, Ours = new[] { iban, iban[^10..].TrimStart('0') } };
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var lines = (await connection.QueryAsync<LineRow>(new CommandDefinition(Lines, parameters, cancellationToken: ct))).ToList();
        var movements = (await connection.QueryAsync<MovementRow>(new CommandDefinition(Movements, parameters, cancellationToken: ct))).ToList();
        var others = await connection.ExecuteScalarAsync<int>(new CommandDefinition(OtherAccounts, parameters, cancellationToken: ct));

        var items = new List<ReconciliationItem>();
        foreach (var line in lines)
        {
            var amount = Money.FromEuros(line.Amount);
            var what = $"bank line {line.Id}: {line.Counterparty}, {line.Description}".Trim();
            if (line.Status != "matched")
            {
                items.Add(new(line.Date, amount, ReconciliationReason.NotBooked, $"{what} ({line.Status})"));
            }
            else if (line.LedgerAmount is not { } booked)
            {
                items.Add(new(line.Date, amount, ReconciliationReason.Mismatch, $"{what}: matched, but the ledger's bank account has no movement for it"));
            }
            else
            {
                var ledgerAmount = Money.FromEuros(booked);
                if (ledgerAmount != amount)
                {
                    items.Add(new(line.Date, amount - ledgerAmount, ReconciliationReason.Mismatch, $"{what}: the ledger moved {ledgerAmount} for it"));
                }

                if (line.LedgerDate != line.Date)
                {
                    items.Add(new(line.Date, ledgerAmount, ReconciliationReason.Timing, $"{what}: booked in the ledger on {line.LedgerDate:yyyy-MM-dd}"));
                }
            }
        }

        foreach (var movement in movements)
        {
            var amount = Money.FromEuros(movement.Amount);
            if (movement.LineId is null)
            {
                items.Add(new(movement.Date, -amount, ReconciliationReason.NotOnStatement, $"entry {movement.EntryId}: {movement.Description}"));
            }
            else if (movement.LineDate != movement.Date)
            {
                items.Add(new(movement.Date, -amount, ReconciliationReason.Timing, $"entry {movement.EntryId}: {movement.Description}: on the statement on {movement.LineDate:yyyy-MM-dd}"));
            }
        }

        var statement = lines.GroupBy(l => l.Date).ToDictionary(g => g.Key, g => Money.Sum(g.Select(l => Money.FromEuros(l.Amount))));
        var ledger = movements.GroupBy(m => m.Date).ToDictionary(g => g.Key, g => Money.Sum(g.Select(m => Money.FromEuros(m.Amount))));
        var explained = items.Where(i => i.Reason != ReconciliationReason.Mismatch).GroupBy(i => i.Date).ToDictionary(g => g.Key, g => Money.Sum(g.Select(i => i.Amount)));
        var days = statement.Keys.Union(ledger.Keys).Order()
            .Select(d => new ReconciliationDay(d, statement.GetValueOrDefault(d), ledger.GetValueOrDefault(d), explained.GetValueOrDefault(d)))
            .ToList();
        return new Reconciliation(from, to, account.Value.Iban, days, items.OrderBy(i => i.Date).ThenBy(i => i.Reason).ToList(), others);
    }

    private sealed class LineRow
    {
        public long Id { get; set; }

        public LocalDate Date { get; set; }

        public decimal Amount { get; set; }

        public string Status { get; set; } = "";

        public string Counterparty { get; set; } = "";

        public string Description { get; set; } = "";

        public LocalDate? LedgerDate { get; set; }

        public decimal? LedgerAmount { get; set; }
    }

    private sealed class MovementRow
    {
        public long EntryId { get; set; }

        public LocalDate Date { get; set; }

        public decimal Amount { get; set; }

        public string Description { get; set; } = "";

        public long? LineId { get; set; }

        public LocalDate? LineDate { get; set; }
    }
}
