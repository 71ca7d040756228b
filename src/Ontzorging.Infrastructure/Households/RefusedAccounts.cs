using Dapper;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Audit;

namespace Ontzorging.Infrastructure.Households;

/// <summary>A creditor account a person confirmed after the bank refused it: the household, the contract's kind and IBAN.</summary>
public sealed record AccountConfirmed(string Household, string Kind, string Iban, string ConfirmedBy);

/// <summary>
/// <c>ontzorging household confirm-account REF --kind KIND</c>: a person confirms a creditor's account
/// the bank refused in a status report (AC04, AC01) after checking it with the creditor, so batches
/// pay it again without an exception (docs/rules.md §9, "pain.002"). One write through the door.
/// </summary>
public sealed class RefusedAccounts(WriteDoor door)
{
    public Task<Result<AccountConfirmed>> Confirm(Actor actor, string household, string kind, CancellationToken ct = default) =>
        door.Run(actor, AuditActions.CreditorAccountConfirm, $"household {household}", async (scope, token) =>
        {
            var found = await scope.Connection.QuerySingleOrDefaultAsync<(long Contract, string Iban, string Municipality, string ReasonCode)?>(new CommandDefinition("""
                SELECT c.id, c.creditor_iban, h.municipality, r.reason_code
                  FROM refused_creditor_accounts r JOIN contracts c ON c.id = r.contract_id JOIN households h ON h.id = c.household_id
                 WHERE h.reference = @Household AND c.kind = @Kind AND r.confirmed_at IS NULL
                 ORDER BY r.refused_on DESC LIMIT 1 FOR UPDATE OF r
                """, new { Household = household, Kind = kind }, scope.Transaction, cancellationToken: token));
            if (found is not { } refused)
            {
                throw new RefusedException(Refusal.Of(RefusalCode.NoRefusedAccount, "kind", ("household", household), ("kind", kind)));
            }

            scope.Municipality = refused.Municipality;
            scope.Before = new { Contract = refused.Contract, Kind = kind, refused.ReasonCode };
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE refused_creditor_accounts SET confirmed_by = @By, confirmed_at = @At WHERE contract_id = @Contract",
                new { By = actor.Subject, At = scope.Now, refused.Contract }, scope.Transaction, cancellationToken: token));
            scope.After = new { Contract = refused.Contract, Kind = kind, Confirmed = true };
            return new AccountConfirmed(household, kind, refused.Iban, actor.Subject);
        }, ct);
}
