using Ontzorging.Domain.Complaints;
using Ontzorging.Infrastructure.Households;

namespace Ontzorging.Infrastructure.Complaints;

/// <summary>
/// Whose complaints a person sees (docs/rules.md §19): a complaints officer every complaint of the
/// municipalities of that grant; a caseworker the complaints about the households of theirs, except
/// those about a staff member's conduct, which are handled by someone not involved (Awb 9:7).
/// Outside it a complaint does not exist for them.
/// </summary>
public sealed record ComplaintScope(MunicipalityScope All, MunicipalityScope NotConduct)
{
    public static ComplaintScope Everything { get; } = new(MunicipalityScope.All, MunicipalityScope.All);

    public static ComplaintScope None { get; } = new(MunicipalityScope.Of([]), MunicipalityScope.Of([]));

    public bool Sees(string municipality, ComplaintSubject subject) =>
        All.Includes(municipality) || (subject != ComplaintSubject.Conduct && NotConduct.Includes(municipality));

    /// <summary>Whether a complaint about this household's money may be registered: either grant will do.</summary>
    public bool MayRegister(string municipality) => All.Includes(municipality) || NotConduct.Includes(municipality);

    /// <summary>The codes for SQL: null when every municipality is in (a system actor).</summary>
    internal string[]? AllCodes => All.Codes?.ToArray();

    internal string[]? NotConductCodes => NotConduct.Codes?.ToArray();
}
