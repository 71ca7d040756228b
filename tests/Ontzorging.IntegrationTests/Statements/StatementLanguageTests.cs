using System.Globalization;
using System.Text.RegularExpressions;
using Ontzorging.Infrastructure.Statements;

namespace Ontzorging.IntegrationTests.Statements;

/// <summary>
/// docs/rules.md §17: the statement's languages. Every language has every text with the same
/// placeholders, and writes numbers, dates and months its own way (ICU) while amounts stay in euros.
/// </summary>
public sealed partial class StatementLanguageTests
{
    public static IEnumerable<string> Languages => StatementLanguage.Codes.Where(c => c != "nl");

    [TestCaseSource(nameof(Languages))]
    public void Every_language_has_every_text_of_the_Dutch_file_with_the_same_placeholders(string code)
    {
        var language = StatementLanguage.Find(code)!;
        var dutch = StatementLanguage.Dutch;

        language.Keys().Should().BeEquivalentTo(dutch.Keys(), "StatementTexts.{0}.resx must hold every text, and nothing else", code);
        foreach (var key in dutch.Keys())
        {
            var text = language.Text(key);
            text.Should().NotBeNullOrWhiteSpace("{0} of {1}", key, code);
            Placeholders(text).Should().BeEquivalentTo(Placeholders(dutch.Text(key)), "{0} of {1} must fill the same places as the Dutch", key, code);
        }
    }

    [Test]
    public void Every_language_file_says_whether_a_native_speaker_reviewed_it()
    {
        foreach (var code in StatementLanguage.Codes)
        {
            StatementLanguage.Find(code)!.Text("Meta.Reviewed").Should().BeOneOf(["true", "false"], "StatementTexts of {0}", code);
        }
    }

    [TestCase("nl", "€ 1.780,01", "1 juli 2026", "juli 2026")]
    [TestCase("en", "€1,780.01", "1 July 2026", "July 2026")]
    [TestCase("ar", "١٬٧٨٠٫٠١ €", "١ تموز ٢٠٢٦", "تموز ٢٠٢٦")]
    [TestCase("fa", "€۱٬۷۸۰٫۰۱", "۱ ژوئیهٔ ۲۰۲۶", "ژوئیه ۲۰۲۶")]
    [TestCase("tr", "€1.780,01", "1 Temmuz 2026", "Temmuz 2026")]
    [TestCase("ti", "€1,780.01", "1 ሓምለ 2026", "ሓምለ 2026")]
    [TestCase("so", "€1,780.01", "1 Bisha Todobaad 2026", "Luuliyo 2026")]
    public void Amounts_dates_and_months_are_written_the_languages_own_way_and_amounts_stay_in_euros(string code, string amount, string date, string month)
    {
        var language = StatementLanguage.Find(code)!;

        language.Amount(Domain.Money.FromEuros(1780.01m)).Should().Be(amount);
        language.Date(new NodaTime.LocalDate(2026, 7, 1)).Should().Be(date, "the Gregorian calendar in the language's words, also for Persian");
        language.Month(new NodaTime.YearMonth(2026, 7)).Should().Be(month);
    }

    [TestCaseSource(nameof(Languages))]
    public void Amounts_follow_the_cultures_separators_and_digits_for_any_amount(string code)
    {
        var language = StatementLanguage.Find(code)!;
        var culture = language.Culture;
        var digits = culture.NumberFormat.NativeDigits;
        var random = new Random(code.GetHashCode(StringComparison.Ordinal));
        for (var i = 0; i < 200; i++)
        {
            var cents = random.NextInt64(0, 10_000_000_00);
            var text = language.Amount(new Domain.Money(cents));
            text.Should().Contain("€").And.NotContainAny(["£", "ل.س", "ریال", "₺", "Nfk", "¤"]);
            // Back to the number: the culture's group separator dropped, its decimal separator a point, its digits ASCII.
            var ascii = string.Concat(text.Select(c => Array.IndexOf(digits, c.ToString()) is var d and >= 0 ? (char)('0' + d) : c));
            var number = ascii.Replace(culture.NumberFormat.CurrencyGroupSeparator, "", StringComparison.Ordinal)
                .Replace(culture.NumberFormat.CurrencyDecimalSeparator, ".", StringComparison.Ordinal);
            decimal.Parse(Regex.Match(number, @"[0-9]+\.[0-9]{2}").Value, CultureInfo.InvariantCulture).Should().Be(cents / 100m, "{0} in {1}", text, code);
        }
    }

    [TestCase(null, false)]
    [TestCase("", false)]
    [TestCase("nl", false)]
    [TestCase("AR", false)]
    [TestCase("pl", true)]
    [TestCase("ar-SY", true)]
    public void A_household_language_the_statement_does_not_know_falls_back_to_Dutch_only(string? household, bool unknown)
    {
        var (beside, isUnknown) = StatementLanguage.Of(household);

        isUnknown.Should().Be(unknown);
        if (unknown || string.IsNullOrEmpty(household) || household == "nl")
        {
            beside.Should().BeNull();
        }
    }

    private static IEnumerable<string> Placeholders(string text) => PlaceholderPattern().Matches(text).Select(m => m.Value).Order();

    [GeneratedRegex(@"\{[0-9]+\}")]
    private static partial Regex PlaceholderPattern();
}
