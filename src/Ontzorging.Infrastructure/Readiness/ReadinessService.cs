using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Readiness;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Households;

namespace Ontzorging.Infrastructure.Readiness;

public sealed record HouseholdReadiness(long HouseholdId, string Reference, ReadinessResult Result);

/// <summary>
/// Evaluates readiness (Domain) on a day D for every household whose period has started by then,
/// with the state after the batch for D's month: ledger entries dated on or before D (a later
/// month's batch is dated the 1st of that month and so does not count yet), arrears of batches up
/// to D's month. Each evaluation is stored; evaluating the same day again replaces it.
/// </summary>
public sealed class ReadinessService(WriteDoor door, Policy policy)
{
    private const string CreditAsOf = """
        SELECT a.household_id AS HouseholdId, coalesce(sum(l.debit - l.credit), 0) AS Amount
          FROM ledger_accounts a
          JOIN journal_lines l ON l.account = a.code
          JOIN journal_entries e ON e.id = l.entry_id
         WHERE a.code LIKE 'credit:%' AND e.entry_date <= @Day
         GROUP BY a.household_id
        """;

    // An arrear of an opening position (rules §20) is open from its household's first month in the engine.
    private const string ArrearsAsOf = """
        SELECT a.household_id AS HouseholdId, sum(a.amount) AS Amount
          FROM arrears a
          LEFT JOIN batches raised ON raised.id = a.raised_in_batch_id
          LEFT JOIN opening_positions o ON o.household_id = a.household_id AND a.raised_in_batch_id IS NULL
          LEFT JOIN batches paid ON paid.id = a.paid_in_batch_id
         WHERE (raised.month <= @Month OR o.unburdened_through <= @Month) AND (paid.id IS NULL OR paid.month > @Month)
         GROUP BY a.household_id
        """;

    private const string Store = """
        INSERT INTO readiness_evaluations (household_id, evaluated_on, verdict, unmet, evaluated_at)
        SELECT * FROM unnest(@HouseholdIds::bigint[], @Days::date[], @Verdicts::text[], @Unmet::text[], @Nows::timestamptz[])
        ON CONFLICT ON CONSTRAINT pk_readiness_evaluations
        DO UPDATE SET verdict = EXCLUDED.verdict, unmet = EXCLUDED.unmet, evaluated_at = EXCLUDED.evaluated_at
        """;

    /// <summary>Use case: evaluates and stores readiness on <paramref name="day"/> for every household whose period has started.</summary>
    public async Task<IReadOnlyList<HouseholdReadiness>> Evaluate(Actor actor, LocalDate day, CancellationToken ct = default) =>
        (await door.Run(actor, AuditActions.ReadinessEvaluate, $"day {day:yyyy-MM-dd}", async (scope, token) =>
        {
            var results = await Evaluate(scope, day, token);
            scope.After = new { Households = results.Count, Ready = results.Count(r => r.Result.Verdict == ReadinessVerdict.Ready) };
            return results;
        }, ct)).Value;

    private async Task<IReadOnlyList<HouseholdReadiness>> Evaluate(WriteScope scope, LocalDate day, CancellationToken ct)
    {
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        var households = await HouseholdStore.Load(connection, transaction, HouseholdRange.All, ct);
        var credit = await Amounts(connection, transaction, CreditAsOf, new { Day = day }, ct);
        var arrears = await Amounts(connection, transaction, ArrearsAsOf, new { Month = day.ToYearMonth().OnDayOfMonth(1) }, ct);

        var results = new List<HouseholdReadiness>();
        foreach (var household in households.Where(h => h.BijstandStart <= day))
        {
            var facts = new ReadinessFacts(
                day,
                household.Period(day, policy),
                household.Streams,
                household.Receipts,
                Money.FromEuros(credit.GetValueOrDefault(household.Id)),
                Money.FromEuros(arrears.GetValueOrDefault(household.Id)),
                household.Decisions.Where(d => d.Kind == DecisionKind.ZrmScore).Select(d => (d.Date, d.Score ?? 0)).ToList(),
                household.Decisions.Where(d => d.Kind == DecisionKind.TrainingCompleted).Select(d => d.Date).ToList());
            results.Add(new HouseholdReadiness(household.Id, household.Reference, ReadinessEvaluation.Evaluate(facts, policy)));
        }

        var now = scope.Now;
        await connection.ExecuteAsync(new CommandDefinition(Store, new
        {
            HouseholdIds = results.Select(r => r.HouseholdId).ToArray(),
            Days = results.Select(_ => day).ToArray(),
            Verdicts = results.Select(r => r.Result.Verdict.Code()).ToArray(),
            Unmet = results.Select(r => r.Result.UnmetText).ToArray(),
            Nows = results.Select(_ => now).ToArray(),
        }, transaction, cancellationToken: ct));
        return results;
    }

    private static async Task<Dictionary<long, decimal>> Amounts(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, object parameters, CancellationToken ct) =>
        (await connection.QueryAsync<(long HouseholdId, decimal Amount)>(new CommandDefinition(sql, parameters, transaction, cancellationToken: ct)))
            .ToDictionary(r => r.HouseholdId, r => r.Amount);
}
