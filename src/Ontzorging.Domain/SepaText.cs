using System.Globalization;
using System.Text;

namespace Ontzorging.Domain;

/// <summary>
/// Text as a SEPA payment may carry it: the EPC's basic Latin set (a–z, A–Z, 0–9 and
/// <c>/ - ? : ( ) . , ' +</c> and space), which every bank in the scheme accepts. Names and
/// remittance text are transliterated once, when the payment file is written: accents are dropped
/// (é → e), a few letters are spelled out (ß → ss), and anything else (an emoji, a quote, a
/// character of another script, a combining accent) is left out; the result is cut to the field's length, which can
/// then never split a character.
/// </summary>
public static class SepaText
{
    /// <summary>What a name becomes when nothing of it is left in the EPC set.</summary>
    public const string NotProvided = "NOTPROVIDED";

    private const string Allowed = "/-?:().,'+ ";

    // U+00C0–U+017F (Latin-1 Supplement and Latin Extended-A): each letter's base letter, or ~ for
    // none. A table rather than Unicode decomposition, which the engine's invariant globalization
    // does not carry; what has no base letter here is spelled out below or left out.
    private const string LatinBase = "AAAAAA~CEEEEIIII~NOOOOO~~UUUUY~~aaaaaa~ceeeeiiii~nooooo~~uuuuy~yAaAaAaCcCcCcCcDd~~EeEeEeEeEeGgGgGgGgHh~~IiIiIiIiI~~~JjKk~LlLlLl~~~~NnNnNn~~~OoOoOo~~RrRrRrSsSsSsSsTtTt~~UuUuUuUuUuUuWwYyYZzZzZz~";

    public static string Transliterate(string text, int maxLength)
    {
        // The usual name is already EPC text: written as it is, without a copy.
        if (text.Length is > 0 && text.Length <= maxLength && IsEpc(text) && text[0] != ' ' && text[^1] != ' ' && !text.Contains("  ", StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(Math.Min(text.Length, maxLength));
        foreach (var c in text)
        {
            var spelled = c switch
            {
                >= '\u00C0' and <= '\u017F' when LatinBase[c - '\u00C0'] != '~' => LatinBase[c - '\u00C0'].ToString(),
                'ß' => "ss", 'æ' => "ae", 'Æ' => "AE", 'œ' => "oe", 'Œ' => "OE", 'ø' => "o", 'Ø' => "O", 'ł' => "l", 'Ł' => "L",
                'đ' => "d", 'Đ' => "D", 'ð' => "d", 'Ð' => "D", 'þ' => "th", 'Þ' => "Th", 'ı' => "i", '&' => "+",
                _ when char.IsAsciiLetterOrDigit(c) || Allowed.Contains(c) => c.ToString(),
                _ when char.IsWhiteSpace(c) => " ",
                _ => "",
            };
            foreach (var s in spelled)
            {
                // One space between words, none at the start.
                if (s == ' ' && (result.Length == 0 || result[^1] == ' '))
                {
                    continue;
                }

                result.Append(s);
            }
        }

        var epc = result.ToString().Trim();
        epc = epc.Length <= maxLength ? epc : epc[..maxLength].TrimEnd();
        return epc.Length == 0 ? NotProvided : epc;
    }

    /// <summary>Whether <paramref name="text"/> is already in the EPC set (what <see cref="Transliterate"/> writes).</summary>
    public static bool IsEpc(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !Allowed.Contains(c))
            {
                return false;
            }
        }

        return true;
    }
}
