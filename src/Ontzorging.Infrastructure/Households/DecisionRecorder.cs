using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Households;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Ledger;

namespace Ontzorging.Infrastructure.Households;

/// <summary>A decision that cannot be recorded, with the reason for the caseworker.</summary>
public sealed class DecisionRefusedException(string message) : Exception(message);

/// <summary>
/// Records a caseworker's decision (who, when, why). The period and readiness derive from it;
/// a write-off dated today or earlier is posted to the ledger at once.
/// </summary>
public sealed class DecisionRecorder(NpgsqlDataSource dataSource, IClock clock, DailyBookkeeping bookkeeping)
{
    private const string InsertDecision = """
        INSERT INTO decisions (household_id, kind, decided_on, months, last_day, score, amount, reason, recorded_by, recorded_at)
        VALUES (@HouseholdId, @Kind, @DecidedOn, @Months, @LastDay, @Score, @Amount, @Reason, @RecordedBy, @Now)
        ON CONFLICT DO NOTHING
        """;

    /// <summary>The decision's values as the audit log keeps them (docs/rules.md §14).</summary>
    public static object Describe(Decision decision) => new
    {
        Kind = DecisionParameters.Code(decision.Kind),
        decision.Date,
        decision.Months,
        decision.LastDay,
        decision.Score,
        Amount = decision.Amount?.ToString(),
        decision.Reason,
    };

    public async Task<bool> Record(string reference, Decision decision, LocalDate today, CancellationToken ct = default)
    {
        if (DecisionRules.Problem(decision) is { } problem)
        {
            throw new DecisionRefusedException(problem);
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var id = await HouseholdStore.FindId(connection, reference, ct) ?? throw new DecisionRefusedException($"unknown household '{reference}'");
        if (decision is { Kind: DecisionKind.WriteOff, Amount: { } amount })
        {
            var outstanding = await connection.QuerySingleAsync<decimal>(new CommandDefinition(
                "SELECT balance FROM ledger_accounts WHERE code = @Code", new { Code = Domain.Ledger.Accounts.Credit(reference) }, cancellationToken: ct));
            if (amount.ToDecimal() > outstanding)
            {
                throw new DecisionRefusedException($"cannot write off {amount}: only {Money.FromEuros(outstanding)} of credit is outstanding");
            }
        }

        var added = await connection.ExecuteAsync(new CommandDefinition(InsertDecision, DecisionParameters.For(id, decision, clock.GetCurrentInstant()), cancellationToken: ct)) > 0;
        if (added && decision.Kind == DecisionKind.WriteOff && decision.Date <= today)
        {
            await bookkeeping.Run(today, decision.RecordedBy, ct);
        }

        return added;
    }
}
