using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Income;
using Ontzorging.Domain.Ledger;
using Ontzorging.Infrastructure.Database;
using Ontzorging.Infrastructure.Ledger;

namespace Ontzorging.Infrastructure.BankLedgers;

public sealed record IncomingReport(int Linked, int Booked, int Suggested);

public sealed record Suggestion(long Line, LocalDate BookingDate, Money Amount, string Counterparty, string Description, string? Household, string? Kind);

/// <summary>
/// Money that came in: a line naming exactly one household (by its reference) and one toeslag kind
/// is that household's receipt — linked to the receipt already recorded (same household, kind,
/// amount and day) or booked as a new one covering the default month. Anything less certain is kept
/// as a suggestion for a person to confirm, with what could be recognised.
/// </summary>
public sealed class IncomingMatcher(NpgsqlDataSource dataSource, DailyBookkeeping bookkeeping)
{
    private const string Candidates = """
        SELECT id, description FROM bank_lines WHERE status = 'unmatched' AND amount > 0
        """;

    private const string Classified = """
        CREATE TEMP TABLE incoming_classified (line_id bigint PRIMARY KEY, household_id bigint, kind text) ON COMMIT DROP
        """;

    private const string CopyClassified = "COPY incoming_classified (line_id, household_id, kind) FROM STDIN (FORMAT BINARY)";

    private const string MarkSuggestedAll = """
        UPDATE bank_lines b SET status = 'suggested', suggested_household = c.household_id, suggested_kind = c.kind
          FROM incoming_classified c
         WHERE b.id = c.line_id AND (c.household_id IS NULL OR c.kind IS NULL)
        """;

    // The k-th line and the k-th unlinked receipt of the same household, kind, amount and day belong together.
    private const string LinkExisting = """
        WITH lines AS (
            SELECT c.line_id, c.household_id, c.kind, b.amount, b.booking_date,
                   row_number() OVER (PARTITION BY c.household_id, c.kind, b.amount, b.booking_date ORDER BY c.line_id) AS k
              FROM incoming_classified c JOIN bank_lines b ON b.id = c.line_id
             WHERE c.household_id IS NOT NULL AND c.kind IS NOT NULL),
        open_receipts AS (
            SELECT r.id, r.household_id, r.kind, r.amount, r.received_on,
                   row_number() OVER (PARTITION BY r.household_id, r.kind, r.amount, r.received_on ORDER BY r.id) AS k
              FROM receipts r
             WHERE r.household_id IN (SELECT household_id FROM lines)
               AND NOT EXISTS (SELECT 1 FROM bank_lines x WHERE x.receipt_id = r.id))
        UPDATE bank_lines b SET status = 'matched', receipt_id = r.id
          FROM lines l JOIN open_receipts r ON r.household_id = l.household_id AND r.kind = l.kind AND r.amount = l.amount
                                           AND r.received_on = l.booking_date AND r.k = l.k
         WHERE b.id = l.line_id
        """;

    private const string InsertReceipt = """
        INSERT INTO receipts (household_id, kind, amount, received_on, covers_from, covers_to, reference, routed, source)
        VALUES (@Household, @Kind, @Amount, @Day, @From, @To, @Reference, true, 'bank')
        ON CONFLICT DO NOTHING
        RETURNING id
        """;

    private const string MarkBooked = "UPDATE bank_lines SET status = 'matched', receipt_id = @Receipt WHERE id = @Line";

    public async Task<IncomingReport> Match(LocalDate today, string user, CancellationToken ct = default)
    {
        var (linked, booked, suggested) = (0, 0, 0);
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            CommandDefinition Command(string sql, object? parameters = null) => new(sql, parameters, transaction, cancellationToken: ct);
            var households = (await connection.QueryAsync<(long Id, string Reference)>(Command("SELECT id, reference FROM households")))
                .ToDictionary(h => h.Reference, h => h.Id, StringComparer.OrdinalIgnoreCase);
            var lines = await connection.QueryAsync<(long Id, string Description)>(Command(Candidates));
            await connection.ExecuteAsync(Command(Classified));
            await BinaryCopy.Write(connection, CopyClassified, lines.Select(l => Classify(l.Id, l.Description, households)), (row, c) =>
            {
                row.Write(c.Line, NpgsqlTypes.NpgsqlDbType.Bigint);
                row.WriteNullable(c.Household, NpgsqlTypes.NpgsqlDbType.Bigint);
                row.WriteNullable(c.Kind, NpgsqlTypes.NpgsqlDbType.Text);
            }, ct);

            suggested = await connection.ExecuteAsync(Command(MarkSuggestedAll));
            linked = await connection.ExecuteAsync(Command(LinkExisting));
            var toBook = (await connection.QueryAsync<(long Line, long Household, string Kind, decimal Amount, LocalDate Day)>(Command("""
                SELECT b.id AS Line, c.household_id AS Household, c.kind, b.amount, b.booking_date AS Day
                  FROM incoming_classified c JOIN bank_lines b ON b.id = c.line_id
                 WHERE b.status = 'unmatched' AND c.household_id IS NOT NULL AND c.kind IS NOT NULL
                """))).ToList();
            var receipts = (await connection.QueryAsync<(long Id, long Line)>(Command("""
                INSERT INTO receipts (household_id, kind, amount, received_on, covers_from, covers_to, reference, routed, source)
                SELECT household, kind, amount, day, covers, covers, 'bank line ' || line, true, 'bank'
                  FROM unnest(@Lines::bigint[], @Households::bigint[], @Kinds::text[], @Amounts::numeric[], @Days::date[], @Covers::date[])
                       AS n(line, household, kind, amount, day, covers)
                ON CONFLICT DO NOTHING
                RETURNING id, substr(reference, 11)::bigint
                """, new
            {
                Lines = toBook.Select(n => n.Line).ToArray(),
                Households = toBook.Select(n => n.Household).ToArray(),
                Kinds = toBook.Select(n => n.Kind).ToArray(),
                Amounts = toBook.Select(n => n.Amount).ToArray(),
                Days = toBook.Select(n => n.Day).ToArray(),
                Covers = toBook.Select(n => Receipt.DefaultCoverage(n.Day).OnDayOfMonth(1)).ToArray(),
            }))).ToList();
            booked = await connection.ExecuteAsync(Command("""
                UPDATE bank_lines b SET status = 'matched', receipt_id = n.receipt
                  FROM unnest(@Receipts::bigint[], @Lines::bigint[]) AS n(receipt, line) WHERE b.id = n.line
                """, new { Receipts = receipts.Select(r => r.Id).ToArray(), Lines = receipts.Select(r => r.Line).ToArray() }));

            // A line whose receipt is already recorded under another reference is for a person to look at.
            suggested += await connection.ExecuteAsync(Command("""
                UPDATE bank_lines b SET status = 'suggested', suggested_household = c.household_id, suggested_kind = c.kind
                  FROM incoming_classified c WHERE b.id = c.line_id AND b.status = 'unmatched'
                """));
            await transaction.CommitAsync(ct);
        }

        // New receipts are booked into the household's balance the way every receipt is.
        await bookkeeping.Run(today, user, ct);
        return new IncomingReport(linked, booked, suggested);
    }

    /// <summary>What a line names: exactly one household (by its reference) and exactly one toeslag kind, or null for each that is not certain.</summary>
    private static (long Line, long? Household, string? Kind) Classify(long line, string description, Dictionary<string, long> households)
    {
        long? household = null;
        var count = 0;
        foreach (var token in StatementText.ReferenceCandidates(description))
        {
            if (households.TryGetValue(token, out var id) && household != id)
            {
                household = id;
                count++;
            }
        }

        var kinds = StatementText.ToeslagKindsIn(description);
        return (line, count == 1 ? household : null, kinds.Count == 1 ? kinds[0].Code() : null);
    }

    /// <summary>
    /// A person confirms a suggested (or unmatched) incoming line as a household's receipt, stating
    /// the months it covers for a back-payment (default: the month the received date implies).
    /// </summary>
    public async Task Confirm(long lineId, string householdReference, IncomeKind kind, YearMonth? coversFrom, YearMonth? coversTo, LocalDate today, string user, CancellationToken ct = default)
    {
        if (kind == IncomeKind.Bijstand)
        {
            throw new ArgumentException("bijstand is never a receipt: the batch books it", nameof(kind));
        }

        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            var line = await connection.QuerySingleOrDefaultAsync<LineRow>(new CommandDefinition(
                "SELECT booking_date AS BookingDate, amount FROM bank_lines WHERE id = @Id AND status IN ('suggested', 'unmatched') AND amount > 0 FOR UPDATE",
                new { Id = lineId }, transaction, cancellationToken: ct))
                ?? throw new ArgumentException($"bank line {lineId} is not an incoming line waiting for confirmation", nameof(lineId));
            var household = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT id FROM households WHERE reference = @Reference", new { Reference = householdReference }, transaction, cancellationToken: ct))
                ?? throw new ArgumentException($"unknown household '{householdReference}'", nameof(householdReference));
            var from = coversFrom ?? Receipt.DefaultCoverage(line.BookingDate);
            var to = coversTo ?? from;
            if (to < from)
            {
                throw new ArgumentException("the covered months end before they start", nameof(coversTo));
            }

            var receipt = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(InsertReceipt, new { Household = household, Kind = kind.Code(), line.Amount, Day = line.BookingDate, From = from.OnDayOfMonth(1), To = to.OnDayOfMonth(1), Reference = $"bank line {lineId} confirmed by {user}" },
                transaction, cancellationToken: ct)) ?? throw new ArgumentException("the same receipt is already recorded", nameof(lineId));
            await connection.ExecuteAsync(new CommandDefinition(MarkBooked, new { Line = lineId, Receipt = receipt }, transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
        }

        await bookkeeping.Run(today, user, ct);
    }

    public async Task<IReadOnlyList<Suggestion>> Suggestions(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<SuggestionRow>(new CommandDefinition("""
            SELECT b.id, b.booking_date AS BookingDate, b.amount, b.counterparty_name AS Counterparty, b.description, h.reference AS Household, b.suggested_kind AS Kind
              FROM bank_lines b LEFT JOIN households h ON h.id = b.suggested_household
             WHERE b.status = 'suggested' ORDER BY b.booking_date, b.id
            """, cancellationToken: ct)))
            .Select(s => new Suggestion(s.Id, s.BookingDate, Money.FromEuros(s.Amount), s.Counterparty, s.Description, s.Household, s.Kind)).ToList();
    }

    private sealed class LineRow
    {
        public LocalDate BookingDate { get; set; }

        public decimal Amount { get; set; }
    }

    private sealed class SuggestionRow
    {
        public long Id { get; set; }

        public LocalDate BookingDate { get; set; }

        public decimal Amount { get; set; }

        public string Counterparty { get; set; } = "";

        public string Description { get; set; } = "";

        public string? Household { get; set; }

        public string? Kind { get; set; }
    }
}
