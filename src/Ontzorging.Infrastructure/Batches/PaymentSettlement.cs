using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Ledger;
using Ontzorging.Infrastructure.Ledger;

namespace Ontzorging.Infrastructure.Batches;

/// <summary>A payment just marked settled (read from the statement's RETURNING list): what the ledger and its batch need to follow.</summary>
internal sealed class SettledPayment
{
    public long HouseholdId { get; set; }

    public long BatchId { get; set; }

    public string EndToEndId { get; set; } = "";

    public string Kind { get; set; } = "";

    public decimal Amount { get; set; }

    public LocalDate SettledOn { get; set; }
}

/// <summary>
/// What settling payments means, whoever confirms it (an officer, or a matched bank line): each
/// payment moves from in transit to the bank on its settlement day, once (keyed by its EndToEndId),
/// and each batch touched becomes partially settled or settled.
/// </summary>
internal static class PaymentSettlement
{
    private const string StillOpen = """
        SELECT b.id AS Id, EXISTS (SELECT 1 FROM payments p WHERE p.batch_id = b.id AND p.status = 'open') AS Open
          FROM batches b WHERE b.id = ANY(@Ids)
        """;

    private const string SetStatus = "UPDATE batches SET status = @Status WHERE id = ANY(@Ids) AND status <> @Status";

    public static async Task Book(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<SettledPayment> settled, string user, Instant now, CancellationToken ct)
    {
        await BulkLedgerWriter.PostMany(connection, transaction, settled.Select(p => (
            Postings.PaymentSettled(p.SettledOn, Money.FromEuros(p.Amount), $"{p.Kind} {p.EndToEndId}"),
            new Posting($"settlement:{p.EndToEndId}", user, now, p.HouseholdId, p.BatchId))).ToList(), ct);
        await Restate(connection, transaction, settled.Select(s => s.BatchId).Distinct().ToArray(), ct);
    }

    /// <summary>Moves each batch of <paramref name="batchIds"/> to partially settled or settled by whether a payment of it still waits (a payment settled, or rejected by the bank).</summary>
    public static async Task Restate(NpgsqlConnection connection, NpgsqlTransaction transaction, long[] batchIds, CancellationToken ct)
    {
        // Where each batch touched now stands is the state machine's answer (BatchStates.Settled).
        var batches = await connection.QueryAsync<(long Id, bool Open)>(new CommandDefinition(StillOpen, new { Ids = batchIds }, transaction, cancellationToken: ct));
        foreach (var group in batches.GroupBy(b => BatchStates.Settled(b.Open)))
        {
            await connection.ExecuteAsync(new CommandDefinition(SetStatus, new { Status = group.Key.Code(), Ids = group.Select(b => b.Id).ToArray() }, transaction, cancellationToken: ct));
        }
    }
}
