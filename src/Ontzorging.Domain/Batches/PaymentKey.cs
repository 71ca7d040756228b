using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;

namespace Ontzorging.Domain.Batches;

/// <summary>
/// The deterministic identity of a payment (docs/rules.md §9): household, obligation (a contract, or
/// the leefgeld of one month), due date (leefgeld: execution date) and attempt. It is the pain.001
/// EndToEndId, so a bank refuses a payment sent twice; a payment re-sent after a return gets the
/// next attempt. The leefgeld obligation names its month because two months' leefgeld can leave on
/// the same day (a period starting on Sunday 31 May pays May's share on Monday 1 June).
/// </summary>
public sealed partial record PaymentKey(string Household, string Obligation, LocalDate Date, int Attempt)
{
    public const int MaxLength = 35;

    // Two-digit years read as 20yy (the pattern's template year is 2000).
    private static readonly LocalDatePattern KeyDate = LocalDatePattern.CreateWithInvariantCulture("yyMMdd");

    public static string LeefgeldObligation(YearMonth month) => string.Create(CultureInfo.InvariantCulture, $"LG{month.Year % 100:00}{month.Month:00}");

    /// <summary>The first EndToEndId of ours in a text (banks echo it in descriptions), or null.</summary>
    public static string? FindIn(string text)
    {
        var match = EndToEndIdPattern().Match(text);
        return match.Success ? match.Value : null;
    }

    /// <summary>Reads an EndToEndId of ours back into its key; null when the text is not one (years are 20yy).</summary>
    public static PaymentKey? Parse(string endToEndId)
    {
        var match = EndToEndIdPattern().Match(endToEndId);
        var date = match.Success ? KeyDate.Parse(match.Groups["date"].Value) : null;
        if (date is null || !date.Success || match.Length != endToEndId.Length)
        {
            return null;
        }

        return new PaymentKey(match.Groups["household"].Value, match.Groups["obligation"].Value, date.Value,
            int.Parse(match.Groups["attempt"].Value, CultureInfo.InvariantCulture));
    }

    public static string ContractObligation(long contractId) => string.Create(CultureInfo.InvariantCulture, $"C{contractId}");

    /// <summary>
    /// HH-0001/C12/260401/1 — at most 35 characters of the SEPA character set: a 16-character
    /// household reference leaves room for contract ids up to 7 digits and attempts up to 99.
    /// </summary>
    public string EndToEndId
    {
        get
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{Household}/{Obligation}/{Date:yyMMdd}/{Attempt}");
            return id.Length <= MaxLength ? id : throw new InvalidOperationException($"EndToEndId '{id}' is longer than {MaxLength} characters");
        }
    }

    // Household reference / obligation (C + contract id, or LG + yyMM) / yyMMdd / attempt: the EndToEndId format above.
    [GeneratedRegex(@"(?<household>[A-Za-z0-9][A-Za-z0-9-]{0,15})/(?<obligation>C\d+|LG\d{4})/(?<date>\d{6})/(?<attempt>\d{1,2})", RegexOptions.CultureInvariant)]
    private static partial Regex EndToEndIdPattern();
}
