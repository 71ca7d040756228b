using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Time;

namespace Ontzorging.Infrastructure.Ledger;

public sealed record LedgerVerification(int Entries, int Accounts, IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;
}

/// <summary>
/// The auditor's checks and export: every journal entry balances, every account's kept balance
/// equals the sum of its lines, and no household or credit balance is negative or credit above its
/// cap; the export writes one CSV row per journal line.
/// </summary>
public sealed class LedgerAudit(WriteDoor door, NpgsqlDataSource dataSource, IClock clock)
{
    private const string Unbalanced = """
        SELECT e.id, coalesce(sum(l.debit), 0) - coalesce(sum(l.credit), 0) AS Difference, count(l.id)::int AS Lines
          FROM journal_entries e LEFT JOIN journal_lines l ON l.entry_id = e.id
         GROUP BY e.id HAVING coalesce(sum(l.debit), 0) <> coalesce(sum(l.credit), 0) OR count(l.id) < 2
         ORDER BY e.id LIMIT 100
        """;

    private const string Drifted = """
        SELECT a.code, a.balance AS Kept,
               coalesce(sum(CASE WHEN a.type IN ('asset', 'expense') THEN l.debit - l.credit ELSE l.credit - l.debit END), 0) AS Summed
          FROM ledger_accounts a LEFT JOIN journal_lines l ON l.account = a.code
         GROUP BY a.code, a.balance HAVING a.balance <> coalesce(sum(CASE WHEN a.type IN ('asset', 'expense') THEN l.debit - l.credit ELSE l.credit - l.debit END), 0)
         ORDER BY a.code LIMIT 100
        """;

    private const string OutOfBounds = """
        SELECT code, balance, cap FROM ledger_accounts
         WHERE ((code LIKE 'household:%' OR code LIKE 'credit:%') AND balance < 0) OR (cap IS NOT NULL AND balance > cap)
         ORDER BY code LIMIT 100
        """;

    // Receipts received by today that no bookkeeping took: money that landed and is nobody's yet.
    private const string Unbooked = """
        SELECT count(*)::int AS Count, coalesce(sum(amount), 0) AS Amount, min(received_on) AS Earliest
          FROM receipts WHERE booked_on IS NULL AND received_on <= @Today
        """;

    private const string LinesSql = """
        SELECT e.id AS EntryId, e.entry_date AS Date, l.account, l.debit, l.credit, e.description, e.recorded_by AS RecordedBy
          FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id
         WHERE (@HouseholdId IS NULL OR e.household_id = @HouseholdId) AND e.entry_date BETWEEN @From AND @To
         ORDER BY e.entry_date, e.id, l.id
        """;

    public async Task<LedgerVerification> Verify(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        CommandDefinition Command(string sql) => new(sql, cancellationToken: ct);
        var problems = new List<string>();
        problems.AddRange((await connection.QueryAsync<(long Id, decimal Difference, int Lines)>(Command(Unbalanced)))
            .Select(e => $"entry {e.Id} does not balance: debits − credits = {Money.FromEuros(e.Difference)} over {e.Lines} line(s)"));
        problems.AddRange((await connection.QueryAsync<(string Code, decimal Kept, decimal Summed)>(Command(Drifted)))
            .Select(a => $"account {a.Code} keeps {Money.FromEuros(a.Kept)} but its lines sum to {Money.FromEuros(a.Summed)}"));
        problems.AddRange((await connection.QueryAsync<(string Code, decimal Balance, decimal? Cap)>(Command(OutOfBounds)))
            .Select(a => a.Balance < 0 ? $"account {a.Code} is negative: {Money.FromEuros(a.Balance)}" : $"account {a.Code} is {Money.FromEuros(a.Balance)}, above its cap {Money.FromEuros(a.Cap ?? 0)}"));
        var unbooked = await connection.QuerySingleAsync<(int Count, decimal Amount, LocalDate? Earliest)>(new CommandDefinition(Unbooked, new { Today = clock.Today() }, cancellationToken: ct));
        if (unbooked.Count > 0)
        {
            problems.Add($"{unbooked.Count} receipt(s) received by today ({Money.FromEuros(unbooked.Amount)}, the first on {unbooked.Earliest:yyyy-MM-dd}) were never booked; the daily bookkeeping (or the next batch preparation) books them");
        }

        var entries = await connection.ExecuteScalarAsync<int>(Command("SELECT count(*)::int FROM journal_entries"));
        var accounts = await connection.ExecuteScalarAsync<int>(Command("SELECT count(*)::int FROM ledger_accounts"));
        return new LedgerVerification(entries, accounts, problems);
    }

    /// <summary>What an export wrote.</summary>
    public sealed record LedgerExport(string File, int JournalLines);

    /// <summary>
    /// Use case: writes one row per journal line (entry id, date, account, debit, credit,
    /// description, who) for one household or all; free text that a spreadsheet would run is
    /// neutralised. The file holds personal data, so the export is recorded, and the file is put in
    /// place only together with its record.
    /// </summary>
    public Task<Result<LedgerExport>> Export(Actor actor, string path, string? householdReference, LocalDate from, LocalDate to, CancellationToken ct = default) =>
        door.Run(actor, AuditActions.LedgerExport, householdReference is null ? "ledger" : $"household {householdReference}", async (scope, token) =>
        {
            long? householdId = null;
            if (householdReference is not null)
            {
                var household = await scope.Connection.QuerySingleOrDefaultAsync<(long Id, string Municipality)?>(new CommandDefinition(
                    "SELECT id, municipality FROM households WHERE reference = @Reference", new { Reference = householdReference }, scope.Transaction, cancellationToken: token))
                    ?? throw new RefusedException(Refusal.Of(RefusalCode.HouseholdUnknown, "household", ("household", householdReference)));
                (householdId, scope.Municipality) = (household.Id, household.Municipality);
            }

            var rows = (await scope.Connection.QueryAsync<LineRow>(new CommandDefinition(LinesSql, new { HouseholdId = householdId, From = from, To = to }, scope.Transaction, cancellationToken: token))).ToList();
            var temporary = path + ".partial";
            var moved = false;
            scope.OnFailure(() => File.Delete(moved ? path : temporary));
            await CsvFiles.Write(temporary, ["entry_id", "date", "account", "debit", "credit", "description", "recorded_by"],
                rows.Select(r => new[]
                {
                    r.EntryId.ToString(System.Globalization.CultureInfo.InvariantCulture), Formats.Text(r.Date), r.Account,
                    Money.FromEuros(r.Debit).ToString(), Money.FromEuros(r.Credit).ToString(), r.Description, r.RecordedBy,
                }),
                CsvFiles.FormulaStartsWithMinus);
            scope.After = new { File = Path.GetFileName(path), JournalLines = rows.Count, From = from, To = to };
            scope.BeforeCommit(() =>
            {
                File.Move(temporary, path, overwrite: true);
                moved = true;
                return Task.CompletedTask;
            });
            return new LedgerExport(path, rows.Count);
        }, ct);

    private sealed class LineRow
    {
        public long EntryId { get; set; }

        public LocalDate Date { get; set; }

        public string Account { get; set; } = "";

        public decimal Debit { get; set; }

        public decimal Credit { get; set; }

        public string Description { get; set; } = "";

        public string RecordedBy { get; set; } = "";
    }
}
