namespace Ontzorging.Domain.Costs;

/// <summary>Kinds of fixed cost in payment priority order; the first four are the legal core.</summary>
public enum FixedCostKind
{
    Rent = 1,
    HealthInsurance = 2,
    Energy = 3,
    Water = 4,
    MunicipalTax = 5,
    Insurance = 6,
    Other = 7,
}

public static class FixedCostKinds
{
    private static readonly Dictionary<string, FixedCostKind> ByCode = new(StringComparer.Ordinal)
    {
        ["rent"] = FixedCostKind.Rent,
        ["health_insurance"] = FixedCostKind.HealthInsurance,
        ["energy"] = FixedCostKind.Energy,
        ["water"] = FixedCostKind.Water,
        ["municipal_tax"] = FixedCostKind.MunicipalTax,
        ["insurance"] = FixedCostKind.Insurance,
        ["other"] = FixedCostKind.Other,
    };

    public static IReadOnlyCollection<string> Codes => ByCode.Keys;

    public static int Priority(this FixedCostKind kind) => (int)kind;

    /// <summary>Optional kinds are taken over only with the household's consent.</summary>
    public static bool NeedsConsent(this FixedCostKind kind) => kind >= FixedCostKind.MunicipalTax;

    public static string Code(this FixedCostKind kind) => ByCode.First(p => p.Value == kind).Key;

    public static ParseResult<FixedCostKind> Parse(string? code) =>
        code is not null && ByCode.TryGetValue(code, out var kind)
            ? ParseResult<FixedCostKind>.Ok(kind)
            : ParseResult<FixedCostKind>.Fail($"unknown kind '{code}'; expected one of {string.Join(", ", ByCode.Keys)}");
}
