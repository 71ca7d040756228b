using System.Text.RegularExpressions;
using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Income;
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
public sealed partial class IncomingMatcher(NpgsqlDataSource dataSource, DailyBookkeeping bookkeeping)
{
    private const string Candidates = """
        SELECT id, booking_date AS BookingDate, amount, counterparty_name AS Counterparty, description
          FROM bank_lines WHERE status = 'unmatched' AND amount > 0 ORDER BY booking_date, id
        """;

    private const string LinkExisting = """
        UPDATE bank_lines b SET status = 'matched', receipt_id = r.id
          FROM receipts r
         WHERE b.id = @Line AND r.id = (
               SELECT r2.id FROM receipts r2
                WHERE r2.household_id = @Household AND r2.kind = @Kind AND r2.amount = @Amount AND r2.received_on = @Day
                  AND NOT EXISTS (SELECT 1 FROM bank_lines l WHERE l.receipt_id = r2.id)
                ORDER BY r2.id LIMIT 1)
        """;

    private const string InsertReceipt = """
        INSERT INTO receipts (household_id, kind, amount, received_on, covers_from, covers_to, reference, routed, source)
        VALUES (@Household, @Kind, @Amount, @Day, @From, @To, @Reference, true, 'bank')
        ON CONFLICT DO NOTHING
        RETURNING id
        """;

    private const string MarkBooked = "UPDATE bank_lines SET status = 'matched', receipt_id = @Receipt WHERE id = @Line";

    private const string MarkSuggested = "UPDATE bank_lines SET status = 'suggested', suggested_household = @Household, suggested_kind = @Kind WHERE id = @Line";

    public async Task<IncomingReport> Match(LocalDate today, string user, CancellationToken ct = default)
    {
        var (linked, booked, suggested) = (0, 0, 0);
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            var households = (await connection.QueryAsync<(long Id, string Reference)>(new CommandDefinition("SELECT id, reference FROM households", transaction: transaction, cancellationToken: ct)))
                .ToDictionary(h => h.Reference, h => h.Id, StringComparer.OrdinalIgnoreCase);
            foreach (var line in await connection.QueryAsync<LineRow>(new CommandDefinition(Candidates, transaction: transaction, cancellationToken: ct)))
            {
                var named = Tokens().Matches(line.Description).Select(m => m.Value).Where(households.ContainsKey).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                var kinds = KindsIn(line.Description);
                long? household = named.Count == 1 ? households[named[0]] : null;
                var kind = kinds.Count == 1 ? kinds[0].Code() : null;
                var parameters = new { Line = line.Id, Household = household, Kind = kind, line.Amount, Day = line.BookingDate };
                if (household is null || kind is null)
                {
                    await connection.ExecuteAsync(new CommandDefinition(MarkSuggested, parameters, transaction, cancellationToken: ct));
                    suggested++;
                }
                else if (await connection.ExecuteAsync(new CommandDefinition(LinkExisting, parameters, transaction, cancellationToken: ct)) > 0)
                {
                    linked++;
                }
                else
                {
                    var covers = Receipt.DefaultCoverage(line.BookingDate).OnDayOfMonth(1);
                    var receipt = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(InsertReceipt,
                        new { Household = household, Kind = kind, line.Amount, Day = line.BookingDate, From = covers, To = covers, Reference = $"bank line {line.Id}" }, transaction, cancellationToken: ct));
                    await connection.ExecuteAsync(new CommandDefinition(receipt is null ? MarkSuggested : MarkBooked,
                        new { Line = line.Id, Receipt = receipt, Household = household, Kind = kind }, transaction, cancellationToken: ct));
                    (booked, suggested) = receipt is null ? (booked, suggested + 1) : (booked + 1, suggested);
                }
            }

            await transaction.CommitAsync(ct);
        }

        // New receipts are booked into the household's balance the way every receipt is.
        await bookkeeping.Run(today, user, ct);
        return new IncomingReport(linked, booked, suggested);
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
                "SELECT id, booking_date AS BookingDate, amount, counterparty_name AS Counterparty, description FROM bank_lines WHERE id = @Id AND status IN ('suggested', 'unmatched') AND amount > 0 FOR UPDATE",
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

            var receipt = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(InsertReceipt, new { Household = household, Kind = kind.Code(), line.Amount, Day = line.BookingDate, From = from.OnDayOfMonth(1), To = to.OnDayOfMonth(1), Reference = $"bank line {line.Id} confirmed by {user}" },
                transaction, cancellationToken: ct)) ?? throw new ArgumentException("the same receipt is already recorded", nameof(lineId));
            await connection.ExecuteAsync(new CommandDefinition(MarkBooked, new { Line = line.Id, Receipt = receipt }, transaction, cancellationToken: ct));
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

    private static List<IncomeKind> KindsIn(string description)
    {
        var text = description.ToLowerInvariant();
        var found = new List<IncomeKind>();
        if (text.Contains("huurtoeslag", StringComparison.Ordinal))
        {
            found.Add(IncomeKind.Huurtoeslag);
        }

        if (text.Contains("zorgtoeslag", StringComparison.Ordinal))
        {
            found.Add(IncomeKind.Zorgtoeslag);
        }

        if (text.Contains("kindgebonden", StringComparison.Ordinal))
        {
            found.Add(IncomeKind.KindgebondenBudget);
        }

        if (text.Contains("kinderbijslag", StringComparison.Ordinal))
        {
            found.Add(IncomeKind.Kinderbijslag);
        }

        return found;
    }

    [GeneratedRegex("[A-Za-z0-9][A-Za-z0-9-]{0,15}", RegexOptions.CultureInvariant)]
    private static partial Regex Tokens();

    private sealed class LineRow
    {
        public long Id { get; set; }

        public LocalDate BookingDate { get; set; }

        public decimal Amount { get; set; }

        public string Counterparty { get; set; } = "";

        public string Description { get; set; } = "";
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
