using System.Buffers;
using System.Globalization;
using System.Text;

namespace Ontzorging.Domain;

/// <summary>
/// What free text the engine accepts from its inputs (docs/rules.md §10): no control characters (a
/// line break or a NUL byte in a name reaches a payment file or the database), no hidden characters
/// (<see cref="HiddenCharacters"/>: a bidi control turns a name around on a page), and a length counted
/// in characters as a person counts them, so an emoji or an accented letter is one, never half of one.
/// Names, references and reasons are kept in Unicode's composed form (<see cref="Nfc"/>).
/// Bank statement fields may hold tabs and line breaks (a quoted description may span lines); no other
/// control character.
/// </summary>
public static class TextRules
{
    /// <summary>A person's or creditor's name: SEPA carries 70 characters of a name (pain.001.001.03).</summary>
    public const int MaxNameLength = 70;

    /// <summary>A person's reason for a decision or a batch step.</summary>
    public const int MaxReasonLength = 500;

    private static readonly SearchValues<char> Controls = SearchValues.Create(ControlRange(lineBreaksAllowed: false));

    private static readonly SearchValues<char> ControlsButLineBreaks = SearchValues.Create(ControlRange(lineBreaksAllowed: true));

    // Whether this process can normalise at all: under invariant globalization string.Normalize
    // returns its input unchanged, and a decomposed "René" would be stored as it came.
    private static readonly bool CanNormalise = "e\u0301".Normalize(NormalizationForm.FormC) == "\u00E9";

    /// <summary>Why <paramref name="text"/> is refused, or null when it is fine.</summary>
    public static string? Problem(string text, int maxCharacters) =>
        ControlProblem(text, lineBreaksAllowed: false) ?? HiddenProblem(text) ?? LengthProblem(text, maxCharacters);

    /// <summary>
    /// <paramref name="text"/> in Unicode's composed form (NFC), as names, references and reasons are
    /// stored: "René" typed as e and a combining accent is kept as the one letter é.
    /// </summary>
    /// <exception cref="InvalidOperationException">The process runs without ICU's Unicode data (<see cref="RequireUnicodeData"/>).</exception>
    public static string Nfc(string text)
    {
        RequireUnicodeData();
        return Ascii.IsValid(text) ? text : text.Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// Fails unless this process can normalise text: every host runs with ICU's culture data, and one
    /// started with invariant globalization would silently store text as it came.
    /// </summary>
    public static void RequireUnicodeData()
    {
        if (!CanNormalise)
        {
            throw new InvalidOperationException(
                "This process runs with invariant globalization and cannot normalise text (docs/rules.md §10): run it with ICU's culture data " +
                "(InvariantGlobalization false, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT unset, libicu installed: scripts/icu.sh).");
        }
    }

    /// <summary>
    /// Why a person's reason (a decision's, a batch's) is refused, with the field "reason": a hidden
    /// character (<see cref="RefusalCode.ReasonHidden"/>, with its code and place), or a control
    /// character or too many characters (<see cref="RefusalCode.ReasonText"/>); null when it is fine.
    /// </summary>
    public static Refusal? ReasonRefusal(string reason, int maxCharacters) =>
        HiddenCharacters.First(reason) is { } hidden ? Refusal.Of(RefusalCode.ReasonHidden, "reason", ("character", hidden.Code), ("position", hidden.Position))
        : Problem(reason, maxCharacters) is { } problem ? Refusal.Of(RefusalCode.ReasonText, "reason", ("problem", problem))
        : null;

    /// <summary>
    /// Why a person's free text in form field <paramref name="field"/> is refused, as a refusal of that
    /// field: missing when <paramref name="required"/> (<see cref="RefusalCode.TextMissing"/>), a control
    /// character (<see cref="RefusalCode.TextControl"/>; line breaks allowed where
    /// <paramref name="lineBreaks"/>), a hidden character (<see cref="RefusalCode.TextHidden"/>), or more
    /// than <paramref name="maxCharacters"/> characters as a person counts them
    /// (<see cref="RefusalCode.TextTooLong"/>); null when it is fine or empty and not required.
    /// </summary>
    public static Refusal? FieldRefusal(string field, string? text, int maxCharacters, bool required, bool lineBreaks = false)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return required ? Refusal.Of(RefusalCode.TextMissing, field) : null;
        }

        var control = text.AsSpan().IndexOfAny(lineBreaks ? ControlsButLineBreaks : Controls);
        if (control >= 0)
        {
            return Refusal.Of(RefusalCode.TextControl, field, ("character", $"U+{(int)text[control]:X4}"), ("position", Length(text[..control]) + 1));
        }

        if (HiddenCharacters.First(text) is { } hidden)
        {
            return Refusal.Of(RefusalCode.TextHidden, field, ("character", hidden.Code), ("position", hidden.Position));
        }

        var length = Length(text);
        return length > maxCharacters ? Refusal.Of(RefusalCode.TextTooLong, field, ("length", length), ("max", maxCharacters)) : null;
    }

    /// <summary>Why <paramref name="text"/> is refused for a hidden character in it (<see cref="HiddenCharacters"/>), or null.</summary>
    public static string? HiddenProblem(string text) => HiddenCharacters.First(text) is { } hidden
        ? $"holds the hidden character {hidden} at character {hidden.Position}; text may not hold bidi controls, zero-width characters or line separators (they often come along when text is copied)"
        : null;

    /// <summary>Why <paramref name="text"/> is refused for a control character in it, or null.</summary>
    public static string? ControlProblem(ReadOnlySpan<char> text, bool lineBreaksAllowed)
    {
        var at = text.IndexOfAny(lineBreaksAllowed ? ControlsButLineBreaks : Controls);
        return at < 0 ? null : $"holds the control character U+{(int)text[at]:X4}; {(lineBreaksAllowed ? "no field holds one but a tab or a line break" : "text may not hold line breaks, tabs or other control characters")}";
    }

    /// <summary>Why <paramref name="text"/> is too long, or null.</summary>
    public static string? LengthProblem(string text, int maxCharacters)
    {
        var length = Length(text);
        return length > maxCharacters ? $"is {length:N0} characters long; at most {maxCharacters:N0}" : null;
    }

    /// <summary>The length in characters as a person sees them (grapheme clusters), not in UTF-16 code units.</summary>
    public static int Length(string text) => text.Length == 0 ? 0 : new StringInfo(text).LengthInTextElements;

    // C0, DEL and C1 controls: what char.IsControl means.
    private static char[] ControlRange(bool lineBreaksAllowed) =>
        Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21))
            .Where(c => !lineBreaksAllowed || c is not ('\t' or '\n' or '\r'))
            .Select(c => (char)c).ToArray();
}
