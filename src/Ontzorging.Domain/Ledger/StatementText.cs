using System.Text.RegularExpressions;
using Ontzorging.Domain.Income;

namespace Ontzorging.Domain.Ledger;

/// <summary>
/// What the free text of a bank statement line tells us (DOMAIN.md §5, §9): which toeslag it
/// brings, which words could be a household reference, and the words by which a bank marks a
/// returned payment and the municipality its own transfers. The word lists are case-insensitive
/// alternations that .NET and PostgreSQL's <c>~*</c> read alike, so set-based matching in the
/// database applies the same rule.
/// </summary>
public static partial class StatementText
{
    /// <summary>A bank sending one of our payments back (storno).</summary>
    public const string ReturnWords = "retour|storno|terugboeking|teruggeboekt|terugstorting|returned";

    /// <summary>The municipality transferring the bijstand its batches booked.</summary>
    public const string BijstandWords = "bijstand";

    /// <summary>The municipality funding the bridging credit.</summary>
    public const string CreditFundingWords = "krediet|credit";

    private static readonly (string Word, IncomeKind Kind)[] ToeslagWords =
    [
        ("huurtoeslag", IncomeKind.Huurtoeslag),
        ("zorgtoeslag", IncomeKind.Zorgtoeslag),
        ("kindgebonden", IncomeKind.KindgebondenBudget),
        ("kinderbijslag", IncomeKind.Kinderbijslag),
    ];

    /// <summary>Every allowance the text names; a line is that allowance only when it names exactly one.</summary>
    public static IReadOnlyList<IncomeKind> ToeslagKindsIn(string text) =>
        ToeslagWords.Where(w => text.Contains(w.Word, StringComparison.OrdinalIgnoreCase)).Select(w => w.Kind).ToList();

    /// <summary>The words of the text that could be a household reference (letters, digits and dashes, at most 16 characters).</summary>
    public static IEnumerable<string> ReferenceCandidates(string text) => ReferenceShape().Matches(text).Select(m => m.Value);

    [GeneratedRegex("[A-Za-z0-9][A-Za-z0-9-]{0,15}", RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceShape();
}
