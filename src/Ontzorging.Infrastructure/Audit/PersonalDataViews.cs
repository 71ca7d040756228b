using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Households;

namespace Ontzorging.Infrastructure.Audit;

/// <summary>
/// Use cases that show personal data or open and close a session: each is recorded before what it
/// shows leaves the engine (docs/rules.md §14), so a view is never shown without its record.
/// </summary>
public sealed class PersonalDataViews(WriteDoor door, HouseholdQueries queries)
{
    /// <summary>A household's monthly statement was viewed (the site's page); recorded each time.</summary>
    public Task StatementViewed(Actor actor, string reference, string municipality, NodaTime.YearMonth month, CancellationToken ct = default) =>
        door.Viewed(actor, new AuditEntry(AuditActions.StatementView, $"household {reference}", AuditOutcome.Viewed, municipality,
            Detail: $"statement {month:yyyy-MM}"), ct);

    /// <summary>The household page or <c>household show</c>: recorded once the household is found, before it is shown.</summary>
    public Task HouseholdViewed(Actor actor, string reference, string municipality, LocalDate? asOf, CancellationToken ct = default) =>
        door.Viewed(actor, new AuditEntry(AuditActions.HouseholdView, $"household {reference}", AuditOutcome.Viewed, municipality,
            Detail: asOf is { } day ? $"as of {day:yyyy-MM-dd}" : null), ct);

    /// <summary>A household's BSNs in full, for someone whose <paramref name="scope"/> holds it (null when it is not there for them); recorded each time.</summary>
    public async Task<IReadOnlyList<(string Name, string Bsn)>?> RevealBsns(Actor actor, string reference, MunicipalityScope scope, CancellationToken ct = default)
    {
        if (await queries.FullBsns(reference, scope, ct) is not { } found)
        {
            return null;
        }

        // Kept under the household's municipality, so only that municipality's auditors read it.
        await door.Viewed(actor, new AuditEntry(AuditActions.BsnReveal, $"household {reference}", AuditOutcome.Viewed, found.Municipality,
            Detail: $"{found.Members.Count} BSN(s) shown in full"), ct);
        return found.Members;
    }

    /// <summary>A person signed in (with the roles their grants give); their display name is remembered under their subject.</summary>
    public Task SignedIn(Actor actor, IEnumerable<string> roles) =>
        door.Session(actor, new AuditEntry(AuditActions.SignIn, null, AuditOutcome.Done, After: new { Roles = roles.ToList() }));

    public Task SignedOut(Actor actor) =>
        door.Session(actor, new AuditEntry(AuditActions.SignOut, null, AuditOutcome.Done));
}
