using Ontzorging.Domain.Complaints;
using Ontzorging.Infrastructure.Households;

namespace Ontzorging.Infrastructure.Complaints;

/// <summary>
/// Whose complaints a person sees (docs/rules.md §19): a complaints officer every complaint of the
/// municipalities of that grant; a caseworker the complaints about the households of theirs, except
/// those about a staff member's conduct, which are handled by someone not involved (Awb 9:7). A
/// complaint is about conduct when its subject is conduct, or when it names a conduct or a staff
/// member whatever its subject.
/// Outside it a complaint does not exist for them.
/// </summary>
public sealed record ComplaintScope(MunicipalityScope All, MunicipalityScope NotConduct)
{
    public static ComplaintScope Everything { get; } = new(MunicipalityScope.All, MunicipalityScope.All);

    public static ComplaintScope None { get; } = new(MunicipalityScope.Of([]), MunicipalityScope.Of([]));

    public bool Sees(string municipality, bool aboutConduct) =>
        All.Includes(municipality) || (!aboutConduct && NotConduct.Includes(municipality));

    /// <summary>Whether a complaint is about a staff member's conduct (Awb 9:7), by its subject or by what it names.</summary>
    public static bool AboutConduct(ComplaintSubject subject, string? conduct, string? staffMember) =>
        subject == ComplaintSubject.Conduct || !string.IsNullOrWhiteSpace(conduct) || !string.IsNullOrWhiteSpace(staffMember);

    /// <summary>The municipalities whose complaints this person may count in the register (no words, no names): either grant.</summary>
    public MunicipalityScope Counted => All.Codes is null || NotConduct.Codes is null ? MunicipalityScope.All : MunicipalityScope.Of(All.Codes.Concat(NotConduct.Codes));

    /// <summary>Whether a complaint about this household's money may be registered: either grant will do.</summary>
    public bool MayRegister(string municipality) => All.Includes(municipality) || NotConduct.Includes(municipality);

    /// <summary>The codes for SQL: null when every municipality is in (a system actor).</summary>
    internal string[]? AllCodes => All.Codes?.ToArray();

    internal string[]? NotConductCodes => NotConduct.Codes?.ToArray();
}
