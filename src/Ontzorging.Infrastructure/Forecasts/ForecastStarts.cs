using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Forecasts;
using Ontzorging.Domain.Income;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Households;

namespace Ontzorging.Infrastructure.Forecasts;

/// <summary>
/// Reads where households stand after the latest live batch prepared on or before a day, set-wise
/// for a range of households (docs/rules.md §16): what that batch kept back, its credit less the
/// write-offs booked since, its open arrears, the routed receipts no batch took yet, and returned
/// payments. The same quantities as <c>BatchState</c>, read as of a day instead of now.
/// </summary>
public static class ForecastStarts
{
    private const string LastBatchSql = """
        SELECT month AS Month, preparation_day AS PreparationDay FROM live_batches WHERE preparation_day <= @AsOf ORDER BY month DESC LIMIT 1
        """;

    // Batches prepared by the day: a batch prepared later did not exist yet.
    private const string Known = "(SELECT id, month, preparation_day, prepared_at FROM live_batches WHERE preparation_day <= @AsOf)";

    private static readonly string StateSql = $"""
        SELECT DISTINCT ON (bh.household_id) bh.household_id AS HouseholdId, bh.kept_back AS KeptBack, bh.credit_outstanding AS Credit, b.prepared_at AS PreparedAt
          FROM batch_households bh JOIN {Known} b ON b.id = bh.batch_id
         WHERE bh.household_id BETWEEN @From AND @To
         ORDER BY bh.household_id, b.month DESC;

        -- When each write-off was posted (its journal entry; one that took nothing has none), so one
        -- booked on a preparation day after that day's batch counts against the credit that batch left.
        SELECT d.household_id AS HouseholdId, e.recorded_at AS BookedAt, w.amount AS Amount
          FROM write_off_bookings w JOIN decisions d ON d.id = w.decision_id
          JOIN journal_entries e ON e.source_key = 'write_off:' || d.id
         WHERE d.household_id BETWEEN @From AND @To AND w.booked_on <= @AsOf;

        SELECT d.household_id AS HouseholdId, d.decided_on AS Date, d.amount AS Amount
          FROM decisions d
         WHERE d.household_id BETWEEN @From AND @To AND d.kind = 'write_off'
           AND NOT EXISTS (SELECT 1 FROM write_off_bookings w WHERE w.decision_id = d.id AND w.booked_on <= @AsOf);

        SELECT a.household_id AS HouseholdId, a.contract_id AS ContractId, a.kind, a.creditor_name AS CreditorName, a.creditor_iban AS CreditorIban,
               a.amount, a.due_date AS DueDate, a.reference, a.attempt
          FROM arrears a LEFT JOIN {Known} raised ON raised.id = a.raised_in_batch_id
         WHERE a.household_id BETWEEN @From AND @To
           AND (raised.id IS NOT NULL
                OR (a.raised_in_batch_id IS NULL AND EXISTS (SELECT 1 FROM opening_positions o WHERE o.household_id = a.household_id AND o.cutover_on <= @AsOf)))
           AND NOT EXISTS (SELECT 1 FROM {Known} paid WHERE paid.id = a.paid_in_batch_id);

        SELECT r.household_id AS HouseholdId, r.kind, r.amount, r.received_on AS ReceivedOn
          FROM receipts r
         WHERE r.household_id BETWEEN @From AND @To AND r.routed AND r.received_on <= @AsOf AND NOT r.in_opening
           AND NOT EXISTS (SELECT 1 FROM {Known} b WHERE b.id = r.batch_id);

        SELECT bh.household_id AS HouseholdId, b.month AS Month, bh.bijstand AS Amount
          FROM batch_households bh JOIN {Known} b ON b.id = bh.batch_id
         WHERE bh.household_id BETWEEN @From AND @To AND bh.bijstand > 0;

        SELECT p.id, p.household_id AS HouseholdId, p.kind, p.end_to_end_id AS EndToEndId, p.amount,
               NOT EXISTS (SELECT 1 FROM payments r JOIN {Known} rb ON rb.id = r.batch_id WHERE r.resends_payment_id = p.id AND r.status <> 'cancelled') AS Unsent
          FROM payments p
         WHERE p.household_id BETWEEN @From AND @To AND p.status = 'returned' AND p.returned_on <= @AsOf
           AND NOT EXISTS (SELECT 1 FROM {Known} b WHERE b.id = p.return_taken_in_batch_id);

        -- Opening positions by the day (rules §20): where a household stood before any batch of the engine.
        SELECT household_id AS HouseholdId, balance AS Balance, credit_outstanding AS Credit
          FROM opening_positions
         WHERE household_id BETWEEN @From AND @To AND cutover_on <= @AsOf
        """;

    /// <summary>The first month no batch prepared by <paramref name="asOf"/> covers, and that batch's preparation day.</summary>
    public static async Task<(YearMonth FirstMonth, LocalDate? LastPreparation)> Next(NpgsqlConnection connection, NpgsqlTransaction? transaction, LocalDate asOf, Policy policy,
        CancellationToken ct)
    {
        var last = await connection.QuerySingleOrDefaultAsync<(LocalDate Month, LocalDate PreparationDay)?>(new CommandDefinition(LastBatchSql, new { AsOf = asOf }, transaction,
            cancellationToken: ct));
        if (last is { } batch)
        {
            return (batch.Month.ToYearMonth().PlusMonths(1), batch.PreparationDay);
        }

        // Nothing prepared yet: the next month whose preparation day has not passed.
        var month = asOf.ToYearMonth().PlusMonths(1);
        return (HouseholdMonth.PreparationDay(month, policy) < asOf ? month.PlusMonths(1) : month, null);
    }

    public static async Task<List<(HouseholdData Household, ForecastStart Start)>> Load(NpgsqlConnection connection, NpgsqlTransaction? transaction, HouseholdRange range,
        LocalDate asOf, Policy policy, CancellationToken ct)
    {
        var households = await HouseholdStore.Load(connection, transaction, range, ct);
        if (households.Count == 0)
        {
            return [];
        }

        var (firstMonth, lastPreparation) = await Next(connection, transaction, asOf, policy, ct);
        var ids = new { From = households.Min(h => h.Id), To = households.Max(h => h.Id), AsOf = asOf };
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(StateSql, ids, transaction, cancellationToken: ct));
        var state = (await grid.ReadAsync<(long HouseholdId, decimal KeptBack, decimal Credit, Instant PreparedAt)>()).ToDictionary(s => s.HouseholdId);
        var booked = (await grid.ReadAsync<(long HouseholdId, Instant BookedAt, decimal Amount)>()).ToLookup(w => w.HouseholdId);
        var writeOffs = (await grid.ReadAsync<(long HouseholdId, LocalDate Date, decimal? Amount)>()).ToLookup(w => w.HouseholdId,
            w => new PendingWriteOff(w.Date, w.Amount is { } amount ? Money.FromEuros(amount) : null));
        var arrears = (await grid.ReadAsync<BatchState.ArrearRow>()).ToLookup(a => a.HouseholdId, a => a.ToInstallment());
        var pending = (await grid.ReadAsync<(long HouseholdId, string Kind, decimal Amount, LocalDate ReceivedOn)>()).ToLookup(r => r.HouseholdId,
            r => new PendingReceipt(IncomeKinds.Parse(r.Kind).Value, Money.FromEuros(r.Amount), r.ReceivedOn));
        var past = (await grid.ReadAsync<(long HouseholdId, LocalDate Month, decimal Amount)>()).ToLookup(p => p.HouseholdId, p => (p.Month.ToYearMonth(), Money.FromEuros(p.Amount)));
        var returned = (await grid.ReadAsync<(long Id, long HouseholdId, string Kind, string EndToEndId, decimal Amount, bool Unsent)>()).ToLookup(r => r.HouseholdId);
        var openings = (await grid.ReadAsync<(long HouseholdId, decimal Balance, decimal Credit)>()).ToDictionary(o => o.HouseholdId);

        var starts = new List<(HouseholdData, ForecastStart)>(households.Count);
        foreach (var household in households)
        {
            // After the latest batch; before any, as the opening position left it.
            var after = state.TryGetValue(household.Id, out var s) ? s
                : openings.TryGetValue(household.Id, out var opening) ? (HouseholdId: 0L, KeptBack: opening.Balance, Credit: opening.Credit, PreparedAt: Instant.MinValue) : default;
            var keptBack = Money.FromEuros(after.KeptBack);
            // Credit after that batch, less what was written off after it was prepared.
            var credit = Money.FromEuros(after.Credit) - Money.FromEuros(booked[household.Id].Where(w => after.HouseholdId == 0 || w.BookedAt > after.PreparedAt).Sum(w => w.Amount));
            var returns = returned[household.Id].ToList();
            var resend = returns.Where(r => r.Kind == "leefgeld" && r.Unsent)
                .Select(r => BatchState.Returned(r.Id, r.EndToEndId, r.Amount))
                .ToList();
            starts.Add((household, new ForecastStart(household.Profile, household.BijstandStart, household.Decisions, household.Contracts, household.BijstandRates,
                household.Streams, household.Receipts.Where(r => r.ReceivedOn <= asOf).ToList(), [.. pending[household.Id]], [.. writeOffs[household.Id]],
                asOf, firstMonth, lastPreparation, keptBack + Money.FromEuros(returns.Sum(r => r.Amount)), [.. arrears[household.Id]], Money.Max(Money.Zero, credit),
                [.. past[household.Id]], resend)));
        }

        return starts;
    }
}
