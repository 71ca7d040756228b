using Dapper;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Income;
using Ontzorging.Domain.Ledger;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Ledger;
using Ontzorging.Infrastructure.Sepa;

namespace Ontzorging.Infrastructure.BankLedgers;

public sealed record IncomingReport(int Linked, int Booked, int Suggested);

public sealed record Suggestion(long Line, LocalDate BookingDate, Money Amount, string Counterparty, string Description, string? Household, string? Kind);

/// <summary>
/// Money that came in: a line naming exactly one household (by its reference) and one toeslag kind
/// is that household's receipt — linked to the receipt already recorded (same household, kind,
/// amount and day) or booked as a new one covering the default month. Anything less certain is kept
/// as a suggestion for a person to confirm, with what could be recognised.
/// </summary>
public sealed class IncomingMatcher(WriteDoor door, NpgsqlDataSource dataSource, IOptions<ManagedAccountOptions> account)
{
    // The k-th line and the k-th unlinked receipt of the same household, kind, amount and day belong together.
    private const string LinkExisting = """
        INSERT INTO line_matches (line_no, line_id, booking_date, amount, receipt_id)
        WITH lines AS (
            SELECT i.line_no, i.line_id, i.household_id, i.toeslag_kind, i.amount, i.booking_date,
                   row_number() OVER (PARTITION BY i.household_id, i.toeslag_kind, i.amount, i.booking_date ORDER BY i.line_no) AS k
              FROM incoming_lines i
             WHERE i.household_id IS NOT NULL AND i.toeslag_kind IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM line_matches m WHERE m.line_no = i.line_no)),
        open_receipts AS (
            SELECT r.id, r.household_id, r.kind, r.amount, r.received_on,
                   row_number() OVER (PARTITION BY r.household_id, r.kind, r.amount, r.received_on ORDER BY r.id) AS k
              FROM receipts r
             WHERE r.household_id IN (SELECT household_id FROM lines)
               AND NOT EXISTS (SELECT 1 FROM bank_lines x WHERE x.receipt_id = r.id))
        SELECT l.line_no, l.line_id, l.booking_date, l.amount, r.id
          FROM lines l JOIN open_receipts r ON r.household_id = l.household_id AND r.kind = l.toeslag_kind AND r.amount = l.amount
                                           AND r.received_on = l.booking_date AND r.k = l.k
        """;

    // The rest that names one household and one toeslag is a new receipt for the default month,
    // referring to the line it came from; a receipt already recorded so stays for a person.
    private const string BookNew = """
        WITH booked AS (
            INSERT INTO receipts (household_id, kind, amount, received_on, covers_from, covers_to, reference, routed, source)
            SELECT i.household_id, i.toeslag_kind, i.amount, i.booking_date, i.covers, i.covers, 'bank line ' || i.line_id, true, 'bank'
              FROM incoming_lines i
             WHERE i.household_id IS NOT NULL AND i.toeslag_kind IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM line_matches m WHERE m.line_no = i.line_no)
            ON CONFLICT DO NOTHING
            RETURNING id, substr(reference, 11)::bigint AS line_id)
        INSERT INTO line_matches (line_no, line_id, booking_date, amount, receipt_id)
        SELECT i.line_no, i.line_id, i.booking_date, i.amount, b.id FROM booked b JOIN incoming_lines i ON i.line_id = b.line_id
        """;

    private const string Unmatched = """
        SELECT count(*)::int FROM incoming_lines i WHERE NOT EXISTS (SELECT 1 FROM line_matches m WHERE m.line_no = i.line_no)
        """;

    private const string InsertReceipt = """
        INSERT INTO receipts (household_id, kind, amount, received_on, covers_from, covers_to, reference, routed, source)
        VALUES (@Household, @Kind, @Amount, @Day, @From, @To, @Reference, true, 'bank')
        ON CONFLICT DO NOTHING
        RETURNING id
        """;

    private const string MarkBooked = "UPDATE bank_lines SET status = 'matched', receipt_id = @Receipt WHERE id = @Line";

    /// <summary>
    /// Links or books the staged incoming lines (the import's <c>incoming_lines</c>, inside its
    /// transaction) that returns and transfers did not take; the rest will be stored as suggestions.
    /// The importer runs <see cref="DailyBookkeeping"/> in the same transaction, so new receipts reach
    /// the households' balances the way every receipt does, and commit with the lines or not at all.
    /// </summary>
    internal static async Task<IncomingReport> Match(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        CommandDefinition Command(string sql) => new(sql, transaction: transaction, cancellationToken: ct);
        var linked = await connection.ExecuteAsync(Command(LinkExisting));
        var booked = await connection.ExecuteAsync(Command(BookNew));
        var suggested = await connection.ExecuteScalarAsync<int>(Command(Unmatched));
        return new IncomingReport(linked, booked, suggested);
    }

    /// <summary>
    /// A person confirms a suggested (or unmatched) incoming line as a household's receipt, stating
    /// the months it covers for a back-payment (default: the month the received date implies).
    /// </summary>
    /// <summary>What a confirmation booked: the receipt made of the line.</summary>
    public sealed record Confirmed(long LineId, string Household, IncomeKind Kind, Money Amount, YearMonth CoversFrom, YearMonth CoversTo);

    public Task<Result<Confirmed>> Confirm(Actor actor, long lineId, string householdReference, IncomeKind kind, YearMonth? coversFrom, YearMonth? coversTo, LocalDate today, CancellationToken ct = default)
    {
        var target = $"household {householdReference}";
        if (kind == IncomeKind.Bijstand)
        {
            return door.Refuse<Confirmed>(actor, AuditActions.LedgerConfirm, target, Refusal.Of(RefusalCode.BijstandIsNoReceipt, "kind"));
        }

        return door.Run(actor, AuditActions.LedgerConfirm, target, async (scope, token) =>
        {
            var (connection, transaction) = (scope.Connection, scope.Transaction);
            var line = await connection.QuerySingleOrDefaultAsync<LineRow>(new CommandDefinition(
                "SELECT booking_date AS BookingDate, amount, account, status FROM bank_lines WHERE id = @Id AND status IN ('suggested', 'unmatched') AND amount > 0 FOR UPDATE",
                new { Id = lineId }, transaction, cancellationToken: token))
                ?? throw new RefusedException(Refusal.Of(RefusalCode.LineNotWaiting, "line", ("line", lineId)));
            scope.Before = new { Line = lineId, line.Status };
            if (!account.Value.Holds(line.Account))
            {
                throw new RefusedException(Refusal.Of(RefusalCode.LineOfOtherAccount, "line", ("line", lineId), ("account", line.Account)));
            }

            var household = await connection.QuerySingleOrDefaultAsync<(long Id, string Municipality)?>(new CommandDefinition(
                "SELECT id, municipality FROM households WHERE reference = @Reference", new { Reference = householdReference }, transaction, cancellationToken: token))
                ?? throw new RefusedException(Refusal.Of(RefusalCode.HouseholdUnknown, "household", ("household", householdReference)));
            scope.Municipality = household.Municipality;
            var from = coversFrom ?? Receipt.DefaultCoverage(line.BookingDate);
            var to = coversTo ?? from;
            if (to < from)
            {
                throw new RefusedException(Refusal.Of(RefusalCode.CoverageBackwards, "covers"));
            }

            var receipt = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(InsertReceipt, new { Household = household.Id, Kind = kind.Code(), line.Amount, Day = line.BookingDate, From = from.OnDayOfMonth(1), To = to.OnDayOfMonth(1), Reference = $"bank line {lineId} confirmed by {actor.Subject}" },
                transaction, cancellationToken: token)) ?? throw new RefusedException(Refusal.Of(RefusalCode.ReceiptAlreadyRecorded, "line"));
            await connection.ExecuteAsync(new CommandDefinition(MarkBooked, new { Line = lineId, Receipt = receipt }, transaction, cancellationToken: token));
            await DailyBookkeeping.Book(connection, transaction, today, actor.Subject, scope.Now, token);
            var confirmed = new Confirmed(lineId, householdReference, kind, Money.FromEuros(line.Amount), from, to);
            scope.After = new { Line = lineId, Status = "booked", Receipt = receipt, Kind = kind.Code(), Amount = confirmed.Amount.ToString(), CoversFrom = $"{from:yyyy-MM}", CoversTo = $"{to:yyyy-MM}" };
            return confirmed;
        }, ct);
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

        public string Account { get; set; } = "";

        public string Status { get; set; } = "";
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
