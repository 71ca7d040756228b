using System.Text.RegularExpressions;
using Ontzorging.Domain.Income;

namespace Ontzorging.Domain.Ledger;

/// <summary>
/// What the free text of a bank statement line tells us (docs/rules.md §5, §9): which toeslag it
/// brings, which household it names, whether a bank marks it as a returned payment, and which of
/// the municipality's own transfers it is. Words are matched case-insensitively.
/// </summary>
public static partial class StatementText
{
    /// <summary>A bank sending one of our payments back (storno).</summary>
    private const string ReturnWords = "retour|storno|terugboeking|teruggeboekt|terugstorting|returned";

    /// <summary>The municipality transferring the bijstand its batches booked.</summary>
    private const string BijstandWords = "bijstand";

    /// <summary>The municipality funding the bridging credit.</summary>
    private const string CreditFundingWords = "krediet|credit";

    private static readonly (string Word, IncomeKind Kind)[] ToeslagWords =
    [
        ("huurtoeslag", IncomeKind.Huurtoeslag),
        ("zorgtoeslag", IncomeKind.Zorgtoeslag),
        ("kindgebonden", IncomeKind.KindgebondenBudget),
        ("kinderbijslag", IncomeKind.Kinderbijslag),
    ];

    /// <summary>The allowance the text names, when it names exactly one.</summary>
    public static IncomeKind? OneToeslagIn(string text)
    {
        IncomeKind? kind = null;
        foreach (var (word, named) in ToeslagWords)
        {
            if (text.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                if (kind is not null)
                {
                    return null;
                }

                kind = named;
            }
        }

        return kind;
    }

    /// <summary>
    /// The household the text names, when it names exactly one: a word shaped like a reference
    /// (letters, digits and dashes, at most 16 characters) that <paramref name="households"/> knows.
    /// </summary>
    public static long? OneHouseholdIn(string text, IReadOnlyDictionary<string, long> households)
    {
        long? household = null;
        var count = 0;
        foreach (var word in ReferenceShape().EnumerateMatches(text))
        {
            if (households.TryGetValue(text.Substring(word.Index, word.Length), out var id) && household != id)
            {
                household = id;
                count++;
            }
        }

        return count == 1 ? household : null;
    }

    /// <summary>Whether the bank marks the line as a payment of ours it sends back.</summary>
    public static bool IsMarkedAsReturn(string text) => Return().IsMatch(text);

    /// <summary>Which transfer of the municipality a line from its own account is, by its words: credit funding before bijstand.</summary>
    public static MunicipalTransfer? MunicipalTransferIn(string text) =>
        CreditFunding().IsMatch(text) ? MunicipalTransfer.CreditFunding
        : Bijstand().IsMatch(text) ? MunicipalTransfer.Bijstand
        : null;

    [GeneratedRegex("[A-Za-z0-9][A-Za-z0-9-]{0,15}", RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceShape();

    [GeneratedRegex(ReturnWords, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Return();

    [GeneratedRegex(BijstandWords, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Bijstand();

    [GeneratedRegex(CreditFundingWords, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CreditFunding();
}

/// <summary>Money the municipality moves into the managed account: the bijstand its batches booked, or funding of the bridging credit.</summary>
public enum MunicipalTransfer
{
    Bijstand,
    CreditFunding,
}

public static class MunicipalTransferCodes
{
    /// <summary>The code the ledger stores: "bijstand" or "credit_funding".</summary>
    public static string Code(this MunicipalTransfer transfer) => transfer == MunicipalTransfer.Bijstand ? "bijstand" : "credit_funding";
}
