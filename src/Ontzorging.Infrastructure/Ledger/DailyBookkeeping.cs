using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Ledger;
using Ontzorging.Infrastructure.Audit;

namespace Ontzorging.Infrastructure.Ledger;

/// <summary>
/// What becomes true on a day: receipts received by then are booked (routed ones into the
/// household's balance), and write-off decisions dated by then are posted. Idempotent: run it as
/// often as you like for the same day.
/// </summary>
public sealed class DailyBookkeeping(WriteDoor door)
{
    private const string DueReceipts = """
        SELECT r.id, r.household_id AS HouseholdId, h.reference AS Household, r.kind, r.amount, r.routed
          FROM receipts r JOIN households h ON h.id = r.household_id
         WHERE r.booked_on IS NULL AND r.received_on <= @Today
         ORDER BY r.received_on, r.id
        """;

    private const string MarkBooked = "UPDATE receipts SET booked_on = @Today WHERE id = ANY(@Ids)";

    private const string DueWriteOffs = """
        SELECT d.id, d.household_id AS HouseholdId, h.reference AS Household, d.decided_on AS DecidedOn, d.amount, d.reason, d.recorded_by AS RecordedBy,
               coalesce(a.balance, 0) AS Outstanding
          FROM decisions d
          JOIN households h ON h.id = d.household_id
          LEFT JOIN ledger_accounts a ON a.code = 'credit:' || h.reference
         WHERE d.kind = 'write_off' AND d.decided_on <= @Today
           AND NOT EXISTS (SELECT 1 FROM write_off_bookings w WHERE w.decision_id = d.id)
         ORDER BY d.decided_on, d.id
        """;

    private const string WriteOffBooked = "INSERT INTO write_off_bookings (decision_id, booked_on, amount) VALUES (@Id, @Today, @Amount)";

    // Bookkeeping runs from the importer, a decision, the jobs and the CLI, sometimes at once: one
    // at a time, so a receipt or a write-off is never taken by two of them.
    internal const long BookkeepingLock = 0x4f6e747a_426f6f6b; // "OntzBook"

    /// <summary>Use case: books what became true by <paramref name="today"/>, with its audit record (none when nothing was due).</summary>
    public async Task<(int Receipts, int WriteOffs)> Run(Actor actor, LocalDate today, CancellationToken ct = default)
    {
        var outcome = await door.Run(actor, AuditActions.Bookkeeping, $"day {today:yyyy-MM-dd}", async (scope, token) =>
        {
            var done = await Book(scope.Connection, scope.Transaction, today, actor.Subject, scope.Now, token);
            scope.NothingChanged = done is (0, 0, 0);
            scope.After = new { done.Receipts, done.WriteOffs, done.InOpening };
            return (done.Receipts, done.WriteOffs);
        }, ct);
        return outcome.Value;
    }

    /// <summary>The same, inside the caller's transaction: what an import or a decision books commits with it, or not at all.</summary>
    /// <returns>The receipts and write-offs booked, and those found already in an opening position (rules §20: recorded, not booked).</returns>
    internal static async Task<(int Receipts, int WriteOffs, int InOpening)> Book(NpgsqlConnection connection, NpgsqlTransaction transaction, LocalDate today, string user, Instant now, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@BookkeepingLock)", new { BookkeepingLock }, transaction, commandTimeout: 0, cancellationToken: ct));

        // What an opening position already holds is never booked again (rules §20).
        var inOpening = (await Intake.OpeningAbsorption.Run(connection, transaction, ct)).Total;

        var receipts = (await connection.QueryAsync<DueReceipt>(new CommandDefinition(DueReceipts, new { Today = today }, transaction, cancellationToken: ct))).ToList();
        await BulkLedgerWriter.PostMany(connection, transaction, receipts.Where(r => r.Routed && r.Amount > 0).Select(r => (
            Postings.ReceiptBooked(r.Household, today, Money.FromEuros(r.Amount), r.Kind),
            new Posting($"receipt:{r.Id}", user, now, r.HouseholdId))).ToList(), ct);

        await connection.ExecuteAsync(new CommandDefinition(MarkBooked, new { Today = today, Ids = receipts.Select(r => r.Id).ToArray() }, transaction, cancellationToken: ct));

        var writeOffs = 0;
        var outstanding = new Dictionary<long, decimal>();
        foreach (var w in await connection.QueryAsync<DueWriteOff>(new CommandDefinition(DueWriteOffs, new { Today = today }, transaction, cancellationToken: ct)))
        {
            // Rules §7: booked once, with what is outstanding now; with nothing outstanding it writes
            // off nothing and is done, so it never reaches credit drawn after today.
            var left = outstanding.GetValueOrDefault(w.HouseholdId, w.Outstanding);
            var amount = CreditWriteOff.Amount(w.Amount is { } requested ? Money.FromEuros(requested) : null, Money.FromEuros(left)).ToDecimal();
            if (amount > 0)
            {
                await LedgerWriter.Post(connection, transaction,
                    Postings.CreditWrittenOff(w.Household, w.DecidedOn, Money.FromEuros(amount), w.Reason ?? ""),
                    new Posting($"write_off:{w.Id}", w.RecordedBy, now, w.HouseholdId), ct);
                outstanding[w.HouseholdId] = left - amount;
            }

            await connection.ExecuteAsync(new CommandDefinition(WriteOffBooked, new { w.Id, Today = today, Amount = amount }, transaction, cancellationToken: ct));
            writeOffs++;
        }

        return (receipts.Count, writeOffs, inOpening);
    }

    private sealed class DueReceipt
    {
        public long Id { get; set; }

        public long HouseholdId { get; set; }

        public string Household { get; set; } = "";

        public string Kind { get; set; } = "";

        public decimal Amount { get; set; }

        public bool Routed { get; set; }
    }

    private sealed class DueWriteOff
    {
        public long Id { get; set; }

        public long HouseholdId { get; set; }

        public string Household { get; set; } = "";

        public LocalDate DecidedOn { get; set; }

        public decimal? Amount { get; set; }

        public string? Reason { get; set; }

        public string RecordedBy { get; set; } = "";

        public decimal Outstanding { get; set; }
    }
}
