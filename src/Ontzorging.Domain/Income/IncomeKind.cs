namespace Ontzorging.Domain.Income;

public enum IncomeKind
{
    Bijstand,
    Huurtoeslag,
    Zorgtoeslag,
    KindgebondenBudget,
    Kinderbijslag,
    Other,
}

public static class IncomeKinds
{
    private static readonly Dictionary<string, IncomeKind> ByCode = new(StringComparer.Ordinal)
    {
        ["bijstand"] = IncomeKind.Bijstand,
        ["huurtoeslag"] = IncomeKind.Huurtoeslag,
        ["zorgtoeslag"] = IncomeKind.Zorgtoeslag,
        ["kindgebonden_budget"] = IncomeKind.KindgebondenBudget,
        ["kinderbijslag"] = IncomeKind.Kinderbijslag,
        ["other"] = IncomeKind.Other,
    };

    public static IReadOnlyCollection<string> Codes => ByCode.Keys;

    public static string Code(this IncomeKind kind) => ByCode.First(p => p.Value == kind).Key;

    /// <summary>The allowances of Dienst Toeslagen whose regularity readiness asks for.</summary>
    public static bool IsToeslag(this IncomeKind kind) =>
        kind is IncomeKind.Huurtoeslag or IncomeKind.Zorgtoeslag or IncomeKind.KindgebondenBudget;

    public static ParseResult<IncomeKind> Parse(string? code) =>
        code is not null && ByCode.TryGetValue(code, out var kind)
            ? ParseResult<IncomeKind>.Ok(kind)
            : ParseResult<IncomeKind>.Fail($"unknown kind '{code}'; expected one of {string.Join(", ", ByCode.Keys)}");
}
