using Dapper;
using Npgsql;

namespace Ontzorging.Infrastructure.Intake;

/// <summary>Receipts and write-offs found already in an opening position (docs/rules.md §20).</summary>
public readonly record struct OpeningAbsorbed(int Receipts, int WriteOffs)
{
    public int Total => Receipts + WriteOffs;
}

/// <summary>
/// Receipts and write-offs dated on or before their household's cut-over are in its opening position:
/// they are recorded, but never booked. Marked here, before any bookkeeping may take them, by the
/// import that brings them (or the position) and by every daily bookkeeping (a write-off recorded
/// later with an earlier date).
/// </summary>
internal static class OpeningAbsorption
{
    private const string Receipts = """
        UPDATE receipts r SET in_opening = true, booked_on = o.cutover_on
          FROM opening_positions o
         WHERE o.household_id = r.household_id AND r.booked_on IS NULL AND r.received_on <= o.cutover_on
        """;

    private const string WriteOffs = """
        INSERT INTO write_off_bookings (decision_id, booked_on, amount, in_opening)
        SELECT d.id, o.cutover_on, 0, true
          FROM decisions d JOIN opening_positions o ON o.household_id = d.household_id
         WHERE d.kind = 'write_off' AND d.decided_on <= o.cutover_on
           AND NOT EXISTS (SELECT 1 FROM write_off_bookings w WHERE w.decision_id = d.id)
        """;

    public static async Task<OpeningAbsorbed> Run(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct) =>
        new(await connection.ExecuteAsync(new CommandDefinition(Receipts, transaction: transaction, cancellationToken: ct)),
            await connection.ExecuteAsync(new CommandDefinition(WriteOffs, transaction: transaction, cancellationToken: ct)));
}
