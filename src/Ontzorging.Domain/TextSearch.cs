using System.Globalization;
using System.Text;

namespace Ontzorging.Domain;

/// <summary>
/// How a search compares with names and references (docs/rules.md §10, settled in issue 21): as a
/// caseworker types, without accents or case. "Rene" and "rené" find "René" and "RENE", written
/// composed or decomposed; "Lukasz" finds "Łukasz", "Strasse" "Straße", "احمد" "أحمد", "علي" the
/// Persian "علی". Both sides are folded the same way: decomposed (NFD), their combining marks
/// (accents, Arabic vowel signs) and invisible joiners left out, lowercased, and a few letters that
/// have no decomposition spelled as a person without them would type. A row's fold is made once,
/// when the list is computed, so each search is an ordinal comparison.
/// </summary>
public static class TextSearch
{
    // Each character's fold, made the first time it is met: decomposing a character is the same
    // however the text around it is written (NFD decomposes each one on its own, and the marks it
    // would reorder are left out), so a name is folded by looking its characters up.
    private static readonly string?[] FoldedCharacters = new string?[char.MaxValue + 1];

    /// <summary><paramref name="text"/> as a search compares it.</summary>
    public static string Fold(string text)
    {
        if (Ascii.IsValid(text))
        {
            // Nearly every reference and many names: only the case to fold (no copy when already lower).
            return text.ToLowerInvariant();
        }

        var folded = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length;)
        {
            if (!char.IsSurrogate(text[i]))
            {
                folded.Append(FoldedCharacters[text[i]] ??= FoldOne(new Rune(text[i])));
                i++;
                continue;
            }

            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var length);
            folded.Append(FoldOne(rune));
            i += length;
        }

        return folded.ToString();
    }

    /// <summary>Whether <paramref name="folded"/> holds <paramref name="foldedTerm"/>, both made by <see cref="Fold"/>.</summary>
    public static bool Contains(string folded, string foldedTerm) => folded.Contains(foldedTerm, StringComparison.Ordinal);

    /// <summary>One character decomposed, without its marks and joiners, lowercased and spelled out.</summary>
    private static string FoldOne(Rune character)
    {
        TextRules.RequireUnicodeData();
        var folded = new StringBuilder(2);
        foreach (var rune in character.ToString().Normalize(NormalizationForm.FormD).EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format || rune.Value == Tatweel)
            {
                continue;
            }

            var lower = Rune.ToLowerInvariant(rune);
            folded.Append(Spelled(lower.Value) ?? lower.ToString());
        }

        return folded.ToString();
    }

    // The Arabic kashida stretches a word without changing it.
    private const int Tatweel = 0x0640;

    /// <summary>Letters without a decomposition, as they are typed without the mark (SEPA spells them the same way).</summary>
    private static string? Spelled(int lower) => lower switch
    {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' or 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        0x064A or 0x0649 => "\u06CC", // Arabic yeh and alef maksura: the Persian yeh (ی)
        0x0643 => "\u06A9", // Arabic kaf: the Persian keheh (ک)
        _ => null,
    };
}
