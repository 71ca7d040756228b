using System.Buffers;
using System.Globalization;
using System.Text;

namespace Ontzorging.Domain;

/// <summary>
/// A character that cannot be seen but changes what a reader sees (docs/rules.md §10): a bidi
/// control or mark that turns text around ("\u202Eevil" shows as "live"), a zero-width character that
/// makes two equal-looking names differ, a line or paragraph separator. <see cref="Position"/> counts
/// characters as a person counts them, from 1.
/// </summary>
public readonly record struct HiddenCharacter(int CodePoint, int Position)
{
    /// <summary>U+202E, as a person looks it up.</summary>
    public string Code => $"U+{CodePoint:X4}";

    public string Name => CodePoint switch
    {
        0x00AD => "soft hyphen",
        0x061C => "Arabic letter mark",
        0x200B => "zero width space",
        0x200C => "zero width non-joiner",
        0x200D => "zero width joiner",
        0x200E => "left-to-right mark",
        0x200F => "right-to-left mark",
        0x2028 => "line separator",
        0x2029 => "paragraph separator",
        0x202A => "left-to-right embedding",
        0x202B => "right-to-left embedding",
        0x202C => "pop directional formatting",
        0x202D => "left-to-right override",
        0x202E => "right-to-left override",
        0x2060 => "word joiner",
        0x2066 => "left-to-right isolate",
        0x2067 => "right-to-left isolate",
        0x2068 => "first strong isolate",
        0x2069 => "pop directional isolate",
        0xFEFF => "zero width no-break space",
        _ => "invisible formatting character",
    };

    public override string ToString() => $"{Code} ({Name})";
}

/// <summary>
/// Finds <see cref="HiddenCharacter"/>s: every format character (Unicode category Cf) and line or
/// paragraph separator, except where a script needs one (docs/rules.md §10, settled in issue 21):
/// <list type="bullet">
/// <item>a zero width non-joiner (U+200C) between two letters of a script that joins its letters
/// (Persian "می‌خواهم": Arabic script, also Syriac, N'Ko, Mandaic, Mongolian, Adlam, Hanifi Rohingya), or
/// after a virama (Indic scripts, where it keeps two consonants apart);</item>
/// <item>a zero width joiner (U+200D) that joins an emoji sequence into one character (👨‍👩‍👧, as
/// .NET's grapheme clusters say), or after a virama (Sinhala and Indic conjuncts);</item>
/// <item>tag characters inside a subdivision flag (🏴 followed by tags, e.g. Scotland's).</item>
/// </list>
/// Text without any such character (nearly every name) is passed by one vectorised search.
/// </summary>
public static class HiddenCharacters
{
    private const int ZeroWidthNonJoiner = 0x200C;
    private const int ZeroWidthJoiner = 0x200D;
    private const int WavingBlackFlag = 0x1F3F4;

    // Every BMP character that may be hidden, and every high surrogate (the supplementary planes hold
    // format characters too: tags, Egyptian and musical format controls); what is found is then looked at closely.
    private static readonly SearchValues<char> Suspects = SearchValues.Create(
        Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(c => char.IsHighSurrogate(c) || IsHidden(CharUnicodeInfo.GetUnicodeCategory(c))).ToArray());

    // Canonical_Combining_Class 9 (Virama) as of Unicode 14: the characters after which ZWNJ and ZWJ
    // choose how Indic consonants join.
    private static readonly HashSet<int> Viramas =
    [
        0x094D, 0x09CD, 0x0A4D, 0x0ACD, 0x0B4D, 0x0BCD, 0x0C4D, 0x0CCD, 0x0D3B, 0x0D3C, 0x0D4D, 0x0DCA, 0x0E3A, 0x0EBA, 0x0F84, 0x1039,
        0x103A, 0x1714, 0x1715, 0x1734, 0x17D2, 0x1A60, 0x1B44, 0x1BAA, 0x1BAB, 0x1BF2, 0x1BF3, 0x2D7F, 0xA806, 0xA82C, 0xA8C4, 0xA953,
        0xA9C0, 0xAAF6, 0xABED, 0x10A3F, 0x11046, 0x11070, 0x1107F, 0x110B9, 0x11133, 0x11134, 0x111C0, 0x11235, 0x112EA, 0x1134D, 0x11442,
        0x114C2, 0x115BF, 0x1163F, 0x116B6, 0x1172B, 0x11839, 0x1193D, 0x1193E, 0x119E0, 0x11A34, 0x11A47, 0x11A99, 0x11C3F, 0x11D44,
        0x11D45, 0x11D97,
    ];

    // The blocks of the scripts whose letters join (Unicode's ArabicShaping.txt gives them joining types).
    private static readonly (int First, int Last)[] JoiningScripts =
    [
        (0x0600, 0x06FF), (0x0700, 0x074F), (0x0750, 0x077F), (0x07C0, 0x07FF), (0x0840, 0x085F), (0x0860, 0x086F), (0x0870, 0x089F),
        (0x08A0, 0x08FF), (0x1800, 0x18AF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF), (0x10D00, 0x10D3F), (0x10EC0, 0x10EFF), (0x1E900, 0x1E95F),
    ];

    /// <summary>The first hidden character of <paramref name="text"/>, or null when there is none.</summary>
    public static HiddenCharacter? First(string text)
    {
        if (text.AsSpan().IndexOfAny(Suspects) < 0)
        {
            return null;
        }

        for (var i = 0; i < text.Length;)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var length);
            if (IsHidden(Rune.GetUnicodeCategory(rune)) && !Needed(text, i, rune.Value))
            {
                return new HiddenCharacter(rune.Value, CharacterNumber(text, i));
            }

            i += length;
        }

        return null;
    }

    private static bool IsHidden(UnicodeCategory category) =>
        category is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    /// <summary>Whether the format character at <paramref name="index"/> does a script's work there.</summary>
    private static bool Needed(string text, int index, int codePoint) => codePoint switch
    {
        ZeroWidthNonJoiner => Before(text, index) is { } before && (Viramas.Contains(before.Value) || (JoiningLetter(LetterBefore(text, index)) && JoiningLetter(LetterAfter(text, index + 1)))),
        ZeroWidthJoiner => (Before(text, index) is { } before && Viramas.Contains(before.Value)) || JoinsItsCluster(text, index),
        >= 0xE0020 and <= 0xE007F => Rune.TryGetRuneAt(text, ClusterStart(text, index), out var flag) && flag.Value == WavingBlackFlag,
        _ => false,
    };

    private static Rune? Before(string text, int index) =>
        index > 0 && Rune.TryGetRuneAt(text, char.IsLowSurrogate(text[index - 1]) && index > 1 ? index - 2 : index - 1, out var rune) ? rune : null;

    /// <summary>The letter before <paramref name="index"/>, past any combining marks (an Arabic vowel sign, a shadda).</summary>
    private static Rune? LetterBefore(string text, int index)
    {
        while (Before(text, index) is { } rune)
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                return rune;
            }

            index -= rune.Utf16SequenceLength;
        }

        return null;
    }

    private static Rune? LetterAfter(string text, int index)
    {
        while (index < text.Length && Rune.TryGetRuneAt(text, index, out var rune))
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                return rune;
            }

            index += rune.Utf16SequenceLength;
        }

        return null;
    }

    private static bool JoiningLetter(Rune? rune) =>
        rune is { } r && Rune.IsLetter(r) && Array.Exists(JoiningScripts, s => r.Value >= s.First && r.Value <= s.Last);

    /// <summary>Whether the joiner at <paramref name="index"/> joins what follows into its character (an emoji ZWJ sequence).</summary>
    private static bool JoinsItsCluster(string text, int index)
    {
        var start = ClusterStart(text, index);
        return start + StringInfo.GetNextTextElementLength(text, start) > index + 1;
    }

    /// <summary>Where the character (grapheme cluster) holding <paramref name="index"/> starts.</summary>
    private static int ClusterStart(string text, int index)
    {
        var start = 0;
        for (int length; (length = StringInfo.GetNextTextElementLength(text, start)) > 0 && start + length <= index; start += length)
        {
        }

        return start;
    }

    /// <summary>The number, from 1, of the character (grapheme cluster) holding <paramref name="index"/>.</summary>
    private static int CharacterNumber(string text, int index) => index == 0 ? 1 : TextRules.Length(text[..ClusterStart(text, index)]) + 1;
}
