using System.Globalization;

namespace Ontzorging.Domain;

/// <summary>
/// What free text the engine accepts from its inputs (rules §10): no control characters (a line
/// break or a NUL byte in a name reaches a payment file or the database), and a length counted in
/// characters as a person counts them, so an emoji or an accented letter is one, never half of one.
/// </summary>
public static class TextRules
{
    /// <summary>A person's or creditor's name: SEPA carries 70 characters of a name (pain.001.001.03).</summary>
    public const int MaxNameLength = 70;

    /// <summary>Why <paramref name="text"/> is refused, or null when it is fine.</summary>
    public static string? Problem(string text, int maxCharacters)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return $"holds a control character (U+{(int)c:X4}); text may not hold line breaks, tabs or other control characters";
            }
        }

        var length = Length(text);
        return length > maxCharacters ? $"is {length:N0} characters long; at most {maxCharacters:N0}" : null;
    }

    /// <summary>The length in characters as a person sees them (grapheme clusters), not in UTF-16 code units.</summary>
    public static int Length(string text) => text.Length == 0 ? 0 : new StringInfo(text).LengthInTextElements;
}
