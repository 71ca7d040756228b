using Dapper;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Forecasts;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Households;

namespace Ontzorging.Infrastructure.Forecasts;

/// <summary>A household the forecast watch signalled: its first month at risk, why, and what is missing.</summary>
public sealed record ForecastSignal(long HouseholdId, string Household, YearMonth Month, IReadOnlyList<string> Risks, Money Missing);

public sealed record ForecastWatchRun(LocalDate Day, int Households, IReadOnlyList<ForecastSignal> Signalled);

/// <summary>
/// The daily forecast watch (docs/rules.md §15, §16): every household's <c>expected</c> forecast as
/// of the day; a household whose first month at risk lies within <see cref="Policy.ForecastSignalMonths"/>
/// months is signalled, and the worklist ranks it first. A run of the same day replaces that day's
/// signals; the run and its audit record commit together.
/// </summary>
public sealed partial class ForecastSignals(WriteDoor door, Policy policy, ILogger<ForecastSignals> logger)
{
    private const int ChunkSize = 5_000;

    private const string ClearDay = "DELETE FROM forecast_signals WHERE computed_on = @Day";

    private const string InsertSignals = """
        INSERT INTO forecast_signals (household_id, computed_on, month, risks, missing)
        SELECT h, @Day, m, string_to_array(r, ','), a FROM unnest(@Households::bigint[], @Months::date[], @Risks::text[], @Missing::numeric[]) AS s(h, m, r, a)
        """;

    private const string UpsertRun = """
        INSERT INTO forecast_signal_runs (computed_on, households, signalled, computed_at) VALUES (@Day, @Households, @Signalled, @Now)
        ON CONFLICT ON CONSTRAINT pk_forecast_signal_runs DO UPDATE SET households = EXCLUDED.households, signalled = EXCLUDED.signalled, computed_at = EXCLUDED.computed_at
        """;

    /// <summary>
    /// The signals of the latest run on or before <paramref name="today"/>, by household id; none
    /// when the watch has not run for a week (its failures show on /beheer; a stale warning is no
    /// warning).
    /// </summary>
    public const string LatestSql = """
        SELECT s.household_id AS HouseholdId, s.month AS Month, array_to_string(s.risks, ',') AS Risks, s.missing AS Missing
          FROM forecast_signals s
         WHERE s.computed_on = (SELECT max(computed_on) FROM forecast_signal_runs WHERE computed_on <= @Today AND computed_on > @Today - 7)
        """;

    /// <summary>Use case: runs the watch for <paramref name="today"/> as <paramref name="actor"/>.</summary>
    public async Task<ForecastWatchRun> Run(Actor actor, LocalDate today, CancellationToken ct = default) =>
        (await door.Run(actor, AuditActions.ForecastWatch, $"day {today:yyyy-MM-dd}", async (scope, token) =>
        {
            // One watch at a time (the job on two nodes, a run asked for on /beheer): the second waits and replaces the day's signals.
            await scope.Connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('ontzorging:forecast-watch'))", transaction: scope.Transaction,
                commandTimeout: 0, cancellationToken: token));
            var run = await Compute(scope.Connection, scope.Transaction, today, token);
            var signals = run.Signalled;
            var day = new { Day = today };
            await scope.Connection.ExecuteAsync(new CommandDefinition(ClearDay, day, scope.Transaction, cancellationToken: token));
            await scope.Connection.ExecuteAsync(new CommandDefinition(UpsertRun, new { Day = today, run.Households, Signalled = signals.Count, scope.Now },
                scope.Transaction, cancellationToken: token));
            await scope.Connection.ExecuteAsync(new CommandDefinition(InsertSignals, new
            {
                Day = today,
                Households = signals.Select(s => s.HouseholdId).ToArray(),
                Months = signals.Select(s => s.Month.OnDayOfMonth(1)).ToArray(),
                Risks = signals.Select(s => string.Join(',', s.Risks)).ToArray(),
                Missing = signals.Select(s => s.Missing.ToDecimal()).ToArray(),
            }, scope.Transaction, cancellationToken: token));
            scope.After = new { run.Households, Signalled = signals.Count };
            return run;
        }, ct)).Value;

    /// <summary>What the watch finds, chunk by chunk so memory stays flat; writes nothing.</summary>
    public async Task<ForecastWatchRun> Compute(NpgsqlConnection connection, NpgsqlTransaction? transaction, LocalDate today, CancellationToken ct)
    {
        var ids = (await connection.QueryAsync<long>(new CommandDefinition("SELECT id FROM households ORDER BY id", transaction: transaction, cancellationToken: ct))).ToList();
        var horizon = today.ToYearMonth().PlusMonths(policy.ForecastSignalMonths);
        var signals = new List<ForecastSignal>();
        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            foreach (var (household, start) in await ForecastStarts.Load(connection, transaction, new HouseholdRange(chunk[0], chunk[^1]), today, policy, ct))
            {
                ForecastMonth? risk;
                try
                {
                    risk = Signal(start, horizon);
                }
                catch (Exception e) when (e is ArithmeticException or ArgumentException or InvalidOperationException)
                {
                    // Data the intake should have refused: this household has no forecast today; every other one does.
                    LogNoForecast(logger, household.Reference, e.Message);
                    continue;
                }

                if (risk is not null)
                {
                    signals.Add(new ForecastSignal(household.Id, household.Reference, risk.Month, risk.Risk.Codes(), risk.Missing));
                }
            }
        }

        return new ForecastWatchRun(today, ids.Count, signals);
    }

    /// <summary>The first month at risk in the expected scenario when it lies on or before <paramref name="horizon"/>.</summary>
    public ForecastMonth? Signal(ForecastStart start, YearMonth horizon)
    {
        // Data the intake should have refused (rules §6: such a household is left out of a batch) has no forecast either.
        if (!SaneDates.Contains(start.BijstandStart))
        {
            return null;
        }

        var first = Forecaster.Project(start, ForecastScenario.Expected, policy).FirstRisk;
        return first is not null && first.Month <= horizon ? first : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forecast watch: {Household} has no forecast ({Reason})")]
    private static partial void LogNoForecast(ILogger logger, string household, string reason);
}
