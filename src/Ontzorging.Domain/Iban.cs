using System.Buffers;

namespace Ontzorging.Domain;

/// <summary>An International Bank Account Number checked with ISO 13616 mod-97 (NL: 18 characters).</summary>
public sealed record Iban
{
    private static readonly Dictionary<string, int> KnownLengths = new(StringComparer.Ordinal)
    {
        ["NL"] = 18, ["BE"] = 16, ["DE"] = 22, ["FR"] = 27, ["LU"] = 20, ["ES"] = 24, ["IT"] = 27, ["AT"] = 20, ["IE"] = 22, ["GB"] = 22,
    };

    private static readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> KnownLengthOf = KnownLengths.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly SearchValues<char> AsciiLettersAndDigits = SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private Iban(string value) => Value = value;

    /// <summary>Electronic form: upper case, no spaces.</summary>
    public string Value { get; }

    public string CountryCode => Value[..2];

    /// <summary>Safe to log or show to someone without need to know: NL91…4300.</summary>
    public string Masked => $"{Value[..4]}…{Value[^4..]}";

    public static Iban Of(string text)
    {
        var result = Parse(text);
        return result.Success ? result.Value : throw new ArgumentException(result.Error, nameof(text));
    }

    public static ParseResult<Iban> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ParseResult<Iban>.Fail("IBAN is empty");
        }

        // Replace and ToUpperInvariant return the same string when there is nothing to change, and the
        // checks below read spans: checking the IBANs of a whole batch or bank statement allocates
        // nothing but the error messages.
        var s = text.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (s.Length < 15 || s.Length > 34 || !char.IsAsciiLetter(s[0]) || !char.IsAsciiLetter(s[1]) || !char.IsAsciiDigit(s[2]) || !char.IsAsciiDigit(s[3])
            || s.AsSpan().ContainsAnyExcept(AsciiLettersAndDigits))
        {
            return ParseResult<Iban>.Fail($"'{text}' is not an IBAN (country code, two check digits, account)");
        }

        if (KnownLengthOf.TryGetValue(s.AsSpan(0, 2), out var length) && s.Length != length)
        {
            return ParseResult<Iban>.Fail($"'{text}' has {s.Length} characters; a {s[..2]} IBAN has {length}");
        }

        return Mod97(s) == 1
            ? ParseResult<Iban>.Ok(new Iban(s))
            : ParseResult<Iban>.Fail($"'{text}' fails the IBAN check digits (mod 97)");
    }

    /// <summary>
    /// ISO 7064 mod 97-10 as IBANs and RF creditor references use it: over the text with its first
    /// four characters moved to the end, letters as 10..35 and digits as themselves. Valid is 1.
    /// </summary>
    internal static int Mod97(ReadOnlySpan<char> text)
    {
        var remainder = Mod97(0, text[4..]);
        return Mod97(remainder, text[..4]);
    }

    private static int Mod97(int remainder, ReadOnlySpan<char> alphanumeric)
    {
        foreach (var c in alphanumeric)
        {
            var digits = char.IsAsciiDigit(c) ? c - '0' : char.ToUpperInvariant(c) - 'A' + 10;
            remainder = digits >= 10 ? (remainder * 100 + digits) % 97 : (remainder * 10 + digits) % 97;
        }

        return remainder;
    }

    public override string ToString() => Value;
}
