using System.Security.Claims;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Households;

namespace Ontzorging.Web.Identity;

/// <summary>Our roles (docs/rules.md §14). Each holds for one or more municipality codes.</summary>
public static class Roles
{
    public const string Caseworker = "caseworker";
    public const string FinanceOfficer = "finance_officer";
    public const string Auditor = "auditor";
    public const string Administrator = "administrator";

    /// <summary>Sees and handles every complaint of the municipality, those about a staff member's conduct included (docs/rules.md §19).</summary>
    public const string ComplaintsOfficer = "complaints_officer";

    public static readonly IReadOnlyList<string> All = [Caseworker, FinanceOfficer, Auditor, Administrator, ComplaintsOfficer];
}

/// <summary>The claims the site's own session carries, made from the provider's at sign-in.</summary>
public static class StaffClaims
{
    public const string Subject = "ozg_subject";
    public const string Name = "ozg_name";
    public const string Role = "ozg_role";

    /// <summary>"role:municipality", one per role and municipality code.</summary>
    public const string Grant = "ozg_grant";
}

/// <summary>The signed-in person: who they are and what they may see.</summary>
public sealed record Staff(Actor Actor, IReadOnlySet<string> Roles, IReadOnlyList<(string Role, string Municipality)> Grants)
{
    public bool Has(string role) => Roles.Contains(role);

    /// <summary>Whose complaints this person sees: all of a complaints officer's municipalities, and a caseworker's but for conduct.</summary>
    public Infrastructure.Complaints.ComplaintScope Complaints => new(ScopeFor(Identity.Roles.ComplaintsOfficer), ScopeFor(Identity.Roles.Caseworker));

    /// <summary>The municipalities this person sees in a role; none when they do not have it.</summary>
    public MunicipalityScope ScopeFor(string role) => MunicipalityScope.Of(Grants.Where(g => g.Role == role).Select(g => g.Municipality));

    public static Staff Of(ClaimsPrincipal principal)
    {
        var subject = principal.FindFirstValue(StaffClaims.Subject) ?? throw new InvalidOperationException("not signed in");
        var grants = principal.FindAll(StaffClaims.Grant).Select(c => c.Value.Split(':', 2)).Where(p => p.Length == 2).Select(p => (p[0], p[1])).ToList();
        return new Staff(new Actor(subject, principal.FindFirstValue(StaffClaims.Name) ?? subject, ActorChannel.Web),
            principal.FindAll(StaffClaims.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal), grants);
    }

    /// <summary>
    /// The site's identity for a person the provider signed in: a stable subject ("oidc:" + sub),
    /// the display name, and our roles from the configured mapping of the provider's role claims.
    /// A provider value that is not mapped grants nothing.
    /// </summary>
    public static ClaimsIdentity FromProvider(ClaimsPrincipal provider, IdentitySettings settings, string authenticationType)
    {
        var sub = provider.FindFirstValue("sub") ?? throw new InvalidOperationException("the identity provider sent no subject (sub) claim");
        var name = provider.FindFirstValue("name") ?? provider.FindFirstValue("preferred_username") ?? sub;
        var actor = Actor.SignedIn(sub, name);
        var values = provider.FindAll(settings.RoleClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var grants = settings.Grants.Where(g => values.Contains(g.Value) && Identity.Roles.All.Contains(g.Role))
            .SelectMany(g => g.Municipalities.Select(m => (g.Role, Municipality: m.Trim()))).Distinct().ToList();

        var identity = new ClaimsIdentity(authenticationType, StaffClaims.Name, StaffClaims.Role);
        identity.AddClaim(new Claim(StaffClaims.Subject, actor.Subject));
        identity.AddClaim(new Claim(StaffClaims.Name, actor.DisplayName));
        foreach (var role in grants.Select(g => g.Role).Distinct())
        {
            identity.AddClaim(new Claim(StaffClaims.Role, role));
        }

        foreach (var (role, municipality) in grants)
        {
            identity.AddClaim(new Claim(StaffClaims.Grant, $"{role}:{municipality}"));
        }

        return identity;
    }
}
