using Dapper;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Households;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Ledger;

namespace Ontzorging.Infrastructure.Households;

/// <summary>A recorded decision: whether it was new (the same decision again adds nothing).</summary>
public sealed record DecisionRecorded(string Household, Decision Decision, bool Added);

/// <summary>
/// Use case: record a caseworker's decision (who, when, why). The period and readiness derive from
/// it; a write-off dated today or earlier is posted to the ledger at once, in the same transaction
/// as the decision and its audit record.
/// </summary>
public sealed class DecisionRecorder(WriteDoor door, DailyBookkeeping bookkeeping)
{
    private const string InsertDecision = """
        INSERT INTO decisions (household_id, kind, decided_on, months, last_day, score, amount, reason, recorded_by, recorded_at)
        VALUES (@HouseholdId, @Kind, @DecidedOn, @Months, @LastDay, @Score, @Amount, @Reason, @RecordedBy, @Now)
        ON CONFLICT DO NOTHING
        """;

    // Decisions on one household one at a time; rows that merely point at the household (ledger
    // entries, batch lines) are not held up (NO KEY UPDATE does not conflict with their KEY SHARE).
    private const string LockHousehold = "SELECT id, municipality FROM households WHERE reference = @Reference FOR NO KEY UPDATE";

    /// <summary>The decision's values as the audit log keeps them (docs/rules.md §14).</summary>
    public static object Describe(Decision decision) => new
    {
        Kind = decision.Kind.Code(),
        decision.Date,
        decision.Months,
        decision.LastDay,
        decision.Score,
        Amount = decision.Amount?.ToString(),
        decision.Reason,
    };

    /// <summary>
    /// Records <paramref name="decision"/> for household <paramref name="reference"/>, by
    /// <paramref name="actor"/> (the decision's recorder is the actor's subject, whatever it says).
    /// </summary>
    public async Task<Result<DecisionRecorded>> Record(Actor actor, string reference, Decision decision, LocalDate today, CancellationToken ct = default)
    {
        decision = decision with { RecordedBy = actor.Subject, Reason = decision.Reason is { } reason ? TextRules.Nfc(reason) : null };
        var target = $"household {reference}";
        if (DecisionRules.Refusal(decision) is { } refusal)
        {
            return await door.Refuse<DecisionRecorded>(actor, AuditActions.DecisionRecord, target, refusal, Describe(decision));
        }

        var recorded = await door.Run(actor, AuditActions.DecisionRecord, target, async (scope, token) =>
        {
            scope.After = Describe(decision);
            var household = await scope.Connection.QuerySingleOrDefaultAsync<(long Id, string Municipality)?>(new CommandDefinition(
                LockHousehold, new { Reference = reference }, scope.Transaction, cancellationToken: token))
                ?? throw new RefusedException(Refusal.Of(RefusalCode.HouseholdUnknown, "kind", ("household", reference)));
            scope.Municipality = household.Municipality;
            if (decision is { Kind: DecisionKind.WriteOff, Amount: { } amount })
            {
                var outstanding = Money.FromEuros(await scope.Connection.QuerySingleAsync<decimal>(new CommandDefinition(
                    "SELECT balance FROM ledger_accounts WHERE code = @Code", new { Code = Domain.Ledger.Accounts.Credit(reference) }, scope.Transaction, cancellationToken: token)));
                scope.Before = new { CreditOutstanding = outstanding.ToString() };
                if (DecisionRules.WriteOffRefusal(amount, outstanding) is { } exceeds)
                {
                    throw new RefusedException(exceeds);
                }
            }

            var added = await scope.Connection.ExecuteAsync(new CommandDefinition(InsertDecision, DecisionParameters.For(household.Id, decision, scope.Now), scope.Transaction, cancellationToken: token)) > 0;
            scope.NothingChanged = !added;
            return new DecisionRecorded(reference, decision, added);
        }, ct);

        // A write-off dated today or earlier is posted at once: the day's bookkeeping, a write of its
        // own with its own record (the daily job would post it otherwise).
        if (recorded is { Success: true, Value: { Added: true, Decision: { Kind: DecisionKind.WriteOff } written } } && written.Date <= today)
        {
            await bookkeeping.Run(actor, today, CancellationToken.None);
        }

        return recorded;
    }
}
