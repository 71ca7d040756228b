using System.Globalization;
using System.Resources;
using NodaTime;
using Ontzorging.Domain;

namespace Ontzorging.Infrastructure.Statements;

/// <summary>
/// A language the monthly statement is written in (docs/rules.md §17): its texts (one resource file
/// per language, <c>StatementTexts.*.resx</c>), whether a native speaker reviewed them, its writing
/// direction, and how it writes numbers, dates and months (ICU, through .NET's culture data), with
/// amounts always in euros. Dutch (B1) is always there; beside it the household's language.
/// </summary>
public sealed class StatementLanguage
{
    private static readonly ResourceManager Texts = new("Ontzorging.Infrastructure.Statements.StatementTexts", typeof(StatementLanguage).Assembly);

    // The culture whose conventions each language follows: the region most households who speak it
    // come from (Syrian Arabic, Eritrean Tigrinya, Iranian Persian, Somali of Somalia).
    private static readonly (string Code, string Culture)[] Cultures =
        [("nl", "nl-NL"), ("en", "en-GB"), ("ar", "ar-SY"), ("ti", "ti-ER"), ("fa", "fa-IR"), ("tr", "tr-TR"), ("so", "so-SO")];

    private static readonly Dictionary<string, StatementLanguage> ByCode = Cultures.ToDictionary(c => c.Code, c => new StatementLanguage(c.Code, c.Culture), StringComparer.Ordinal);

    private StatementLanguage(string code, string cultureName)
    {
        Code = code;
        var culture = (CultureInfo)CultureInfo.GetCultureInfo(cultureName).Clone();
        // Amounts stay in euros, whatever the language's own currency; dates stay Gregorian (the
        // dates of a bank statement and of the municipality's letters), in the language's words.
        culture.NumberFormat.CurrencySymbol = "€";
        if (culture.Calendar is not GregorianCalendar)
        {
            culture.DateTimeFormat.Calendar = new GregorianCalendar();
        }

        Culture = CultureInfo.ReadOnly(culture);
        var native = culture.NumberFormat.NativeDigits;
        digits = native.Length == 10 && native[0] != "0" ? native : null;
    }

    private readonly string[]? digits;

    public static IReadOnlyCollection<string> Codes => ByCode.Keys;

    public static StatementLanguage Dutch => ByCode["nl"];

    public string Code { get; }

    public CultureInfo Culture { get; }

    public bool RightToLeft => Culture.TextInfo.IsRightToLeft;

    public string Direction => RightToLeft ? "rtl" : "ltr";

    /// <summary>The language's name in itself.</summary>
    public string Name => Text("Meta.Language");

    /// <summary>Whether a native speaker reviewed this language's texts (shown to staff only).</summary>
    public bool Reviewed => string.Equals(Text("Meta.Reviewed"), "true", StringComparison.Ordinal);

    /// <summary>
    /// The languages of a household's statement: Dutch, and beside it the household's own when it is
    /// another one the statement is written in. <c>Unknown</c> says the household's code is not one
    /// (the statement is then Dutch only, and the staff view says so).
    /// </summary>
    public static (StatementLanguage? Beside, bool Unknown) Of(string? household)
    {
        var code = household?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(code) || code == "nl")
        {
            return (null, false);
        }

        return ByCode.TryGetValue(code, out var language) ? (language, false) : (null, true);
    }

    public static StatementLanguage? Find(string code) => ByCode.GetValueOrDefault(code);

    /// <summary>The text <paramref name="key"/> of this language only (never another's as a fallback), with its arguments.</summary>
    public string Text(string key, params object[] args)
    {
        var text = Set().GetString(key) ?? throw new InvalidOperationException($"StatementTexts{(Code == "nl" ? "" : "." + Code)}.resx has no text '{key}'");
        return args.Length == 0 ? text : string.Format(Culture, text, args);
    }

    /// <summary>Every key of this language's file.</summary>
    public IReadOnlyCollection<string> Keys() =>
        Set().Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key).ToList();

    private ResourceSet Set() =>
        Texts.GetResourceSet(Code == "nl" ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(Code), createIfNotExists: true, tryParents: false)
        ?? throw new InvalidOperationException($"the statement has no texts in '{Code}'");

    /// <summary>An amount in euros, written the way this language writes numbers.</summary>
    public string Amount(Money amount) => Native(amount.ToDecimal().ToString("C2", Culture));

    public string Date(LocalDate date) => Native(date.ToString("d MMMM yyyy", Culture));

    public string Month(YearMonth month) => Native(month.ToString("MMMM yyyy", Culture));

    /// <summary>.NET writes ASCII digits in every culture; a language that writes its own digits (Arabic, Persian) gets them here.</summary>
    private string Native(string text) => digits is null ? text : string.Concat(text.Select(c => c is >= '0' and <= '9' ? digits[c - '0'] : c.ToString()));
}
