using System.Text;
using CsCheck;
using Ontzorging.Domain.Households;

namespace Ontzorging.Domain.Tests;

/// <summary>
/// Names, references and reasons hold no character that hides text or turns it around, yet every
/// script people write their names in passes (docs/rules.md §10, settled in issue 21).
/// </summary>
public sealed class HiddenCharacterTests
{
    private const string Zwnj = "\u200C";
    private const string Zwj = "\u200D";

    // Every character the rulebook names: bidi controls and marks, zero-width characters, separators.
    private static readonly int[] Refused =
    [
        0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C,
        0x200B, 0x2060, 0xFEFF, 0x2028, 0x2029, 0x00AD,
    ];

    // Letters of the scripts intake sees most (Latin with accents, Arabic and Persian, Ge'ez, Cyrillic),
    // combining accents, and what separates parts of a name.
    private static readonly string Letters =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèëêüöïçñßøåæłđ" +
        "ابتثجحخدذرزسشصضطظعغفقكلمنهويیکگپچژآأإةى" +
        "ሀለሐመሠረሰሸቀበተቸነአከወዐዘየደገጠጨጰፀፈፐሰላምተስፋይ" +
        "абвгдежзийклмнопрстуфхцчшщъыьэюяё";

    private static readonly Gen<string> Names = Gen.OneOf(
        Gen.Char[Letters].Array[1, 12].Select(c => new string(c)),
        Gen.Const(" "), Gen.Const("-"), Gen.Const("'"), Gen.Const("\u0301"), Gen.Const("\u064E"))
        .Array[1, 12].Select(parts => string.Concat(parts).Trim());

    [TestCase("\u202Eevil\u202C", 0x202E, 1, TestName = "A right-to-left override that shows \"evil\" as \"live\" is refused")]
    [TestCase("Saba\u200BAlkhatib", 0x200B, 5, TestName = "A zero-width space inside a name is refused")]
    [TestCase("Saba\u2028Alkhatib", 0x2028, 5, TestName = "A line separator is refused")]
    [TestCase("Saba\u2029", 0x2029, 5, TestName = "A paragraph separator is refused")]
    [TestCase("\u2067محمد\u2069 Alkhatib", 0x2067, 1, TestName = "A right-to-left isolate is refused: the site isolates names itself")]
    [TestCase("Omar\u200F", 0x200F, 5, TestName = "A right-to-left mark is refused")]
    [TestCase("\uFEFFSaba", 0xFEFF, 1, TestName = "A byte order mark inside a cell is refused")]
    [TestCase("Re" + Zwnj + "ne", 0x200C, 2, TestName = "A zero width non-joiner between Latin letters is refused")]
    [TestCase(Zwnj + "زهرا", 0x200C, 1, TestName = "A zero width non-joiner at the start of a Persian name is refused")]
    [TestCase("زهرا" + Zwnj, 0x200C, 4, TestName = "A zero width non-joiner at the end of a Persian name is refused")]
    [TestCase("a" + Zwj + "b", 0x200D, 1, TestName = "A zero width joiner between letters is refused")]
    [TestCase("\U0001F44D" + Zwj, 0x200D, 1, TestName = "A zero width joiner after an emoji that joins nothing is refused")]
    [TestCase("José M\u00FCller\U000E0041", 0xE0041, 11, TestName = "A tag character outside a flag is refused")]
    public void A_hidden_character_is_found_with_its_place(string text, int codePoint, int position)
    {
        var hidden = HiddenCharacters.First(text);

        hidden.Should().Be(new HiddenCharacter(codePoint, position));
        TextRules.Problem(text, 70).Should().Contain($"U+{codePoint:X4}").And.Contain($"at character {position}");
    }

    [TestCase("محمد العلي", TestName = "An Arabic name passes")]
    [TestCase("مُحَمَّد", TestName = "An Arabic name with vowel signs passes")]
    [TestCase("ሰላም ተስፋይ", TestName = "A Tigrinya name passes")]
    [TestCase("زهرا احمدی", TestName = "A Farsi name passes")]
    [TestCase("می" + Zwnj + "خواهم", TestName = "A zero width non-joiner between Persian letters passes")]
    [TestCase("زهرا محمدی" + Zwnj + "نژاد", TestName = "A Persian family name joined with a zero width non-joiner passes")]
    [TestCase("کتاب" + Zwnj + "ها", TestName = "A Persian plural with a zero width non-joiner passes")]
    [TestCase("\u0915\u094D" + Zwnj + "\u0937", TestName = "A zero width non-joiner after a Devanagari virama passes")]
    [TestCase("\u0DC1\u0DCA" + Zwj + "\u0DBB\u0DD3", TestName = "A zero width joiner after a Sinhala virama (Sri) passes")]
    [TestCase("\U0001F468" + Zwj + "\U0001F469" + Zwj + "\U0001F467", TestName = "A family emoji joined with zero width joiners passes")]
    [TestCase("\u2764\uFE0F" + Zwj + "\U0001F525", TestName = "A heart on fire emoji passes")]
    [TestCase("\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", TestName = "The flag of Scotland (tag characters) passes")]
    [TestCase("Ren\u00E9 O'Brien-Łukasiewicz", TestName = "A Latin name with accents passes")]
    [TestCase("Олена Шевченко", TestName = "A Ukrainian name passes")]
    public void Names_as_people_write_them_pass(string text)
    {
        HiddenCharacters.First(text).Should().BeNull();
        TextRules.Problem(text, 70).Should().BeNull();
    }

    [Test]
    public void Names_of_many_scripts_pass()
    {
        Names.Sample(name => HiddenCharacters.First(name) is null && TextRules.Problem(name, 500) is null, iter: 20_000);
    }

    [Test]
    public void Any_bidi_control_zero_width_character_or_separator_anywhere_is_refused_at_its_place()
    {
        Gen.Select(Names, Names, Gen.Int[0, Refused.Length - 1]).Sample((before, after, which) =>
        {
            var text = before + char.ConvertFromUtf32(Refused[which]) + after;

            return HiddenCharacters.First(text) == new HiddenCharacter(Refused[which], TextRules.Length(before) + 1);
        }, iter: 20_000);
    }

    [Test]
    public void A_zero_width_non_joiner_passes_between_arabic_script_letters_and_nowhere_in_latin()
    {
        var arabic = Gen.Char["ابتثجحخسشصضطظعغفقكلمنهیکگپچ"];
        var latin = Gen.Char["abcdefghijklmnopqrstuvwxyzé"];

        Gen.Select(arabic, arabic).Sample((a, b) => HiddenCharacters.First($"{a}{a}{Zwnj}{b}{b}") is null, iter: 5_000);
        Gen.Select(latin, latin).Sample((a, b) => HiddenCharacters.First($"{a}{a}{Zwnj}{b}{b}") == new HiddenCharacter(0x200C, 2), iter: 5_000);
    }

    [Test]
    public void Any_text_is_found_clean_or_refused_without_throwing()
    {
        Gen.String[0, 200].Sample(text =>
        {
            var hidden = HiddenCharacters.First(text);

            return hidden is null || (hidden.Value.Position >= 1 && hidden.Value.Position <= TextRules.Length(text));
        }, iter: 20_000);
    }

    [TestCase("Rene\u0301", "Ren\u00E9", TestName = "A letter and its combining accent become the one composed letter")]
    [TestCase("Ren\u00E9", "Ren\u00E9", TestName = "Composed text stays as it is")]
    [TestCase("\uFB01", "\uFB01", TestName = "NFC keeps a ligature (compatibility forms are people's own)")]
    [TestCase("\u0627\u0653", "\u0622", TestName = "Arabic alef with madda above is composed")]
    public void Text_is_kept_in_nfc(string text, string kept) =>
        TextRules.Nfc(text).Should().Be(kept);

    [Test]
    public void Any_text_and_its_decomposed_form_are_kept_the_same()
    {
        Gen.String[0, 100].Sample(text =>
        {
            var kept = TextRules.Nfc(text);

            return kept.IsNormalized(NormalizationForm.FormC) && kept == TextRules.Nfc(text.Normalize(NormalizationForm.FormD));
        }, iter: 20_000);
    }

    [Test]
    public void A_reason_with_a_hidden_character_is_refused_with_its_own_code_and_place()
    {
        var decision = new Decision(DecisionKind.OptOut, new LocalDate(2026, 10, 1), "os:anna", "moved\u202E away");

        var refusal = DecisionRules.Refusal(decision);

        refusal.Should().NotBeNull();
        (refusal!.Code, refusal.Field, refusal.Parameters["character"], refusal.Parameters["position"]).Should().Be((RefusalCode.ReasonHidden, "reason", "U+202E", 6));
        refusal.Message.Should().Contain("U+202E").And.Contain("character 6");
    }

    [Test]
    public void A_free_text_payment_reference_is_kept_in_nfc_and_refused_with_a_hidden_character()
    {
        PaymentReference.Parse("Polis Rene\u0301").Value.Value.Should().Be("Polis Ren\u00E9");
        PaymentReference.Parse("Polis\u2028700001").Error.Should().Contain("U+2028");
    }
}
