using System.Globalization;
using CsCheck;
using Ontzorging.Domain.Households;

namespace Ontzorging.Domain.Tests.Households;

/// <summary>One reader per decision input, for the site, the CLI and intake (issue 20).</summary>
public sealed class DecisionInputTests
{
    [TestCase("150", 15000)]
    [TestCase("150,00", 15000)]
    [TestCase("150.00", 15000)]
    [TestCase("150,5", 15050)]
    [TestCase("1.500,00", 150000)]
    [TestCase("1,500.00", 150000)]
    [TestCase("12.345.678,90", 1234567890)]
    [TestCase(" € 75,25 ", 7525)]
    [TestCase("0,01", 1)]
    public void An_amount_is_read_in_the_forms_people_type(string text, long cents) =>
        DecisionInput.Amount(text).Value.Should().Be(Money.FromEuros(cents / 100m));

    [TestCase("1.000")]
    [TestCase("1,000")]
    [TestCase("1.000.000")]
    public void A_lone_separator_before_three_digits_is_refused_as_ambiguous(string text) =>
        DecisionInput.Amount(text).Refusal!.Code.Should().Be(RefusalCode.AmountAmbiguous);

    [TestCase("1.50.00")]
    [TestCase("1,5,0")]
    [TestCase("15.00,0.0")]
    [TestCase("12,34.5,6")]
    [TestCase("1.2345,00")]
    [TestCase("abc")]
    [TestCase("-5,00")]
    [TestCase("150,001")]
    [TestCase("1e3")]
    [TestCase("١٥٠")]
    public void Anything_else_is_refused_and_names_what_was_typed(string text)
    {
        var refusal = DecisionInput.Amount(text, "amount").Refusal!;

        refusal.Field.Should().Be("amount");
        refusal.Code.Should().BeOneOf(RefusalCode.AmountUnreadable, RefusalCode.AmountAmbiguous);
        refusal.Message.Should().Contain(text);
    }

    [TestCase("all")]
    [TestCase("ALLES")]
    [TestCase(" alles ")]
    public void All_or_alles_writes_off_everything_outstanding(string text) =>
        DecisionInput.WriteOff(text).Value.All.Should().BeTrue();

    [Test]
    public void An_empty_write_off_asks_for_an_amount() =>
        DecisionInput.WriteOff("  ").Refusal!.Code.Should().Be(RefusalCode.AmountMissing);

    [Test]
    public void Every_amount_written_the_dutch_or_the_english_way_reads_back_to_itself() =>
        Gen.Long[1, 99_999_999_99].Sample(cents =>
        {
            var euros = cents / 100m;
            var dutch = euros.ToString("#,##0.00", new NumberFormatInfo { NumberDecimalSeparator = ",", NumberGroupSeparator = "." });
            var plain = euros.ToString("0.00", CultureInfo.InvariantCulture);
            var english = euros.ToString("#,##0.00", CultureInfo.InvariantCulture);
            return DecisionInput.Amount(dutch).Value == Money.FromEuros(cents / 100m)
                && DecisionInput.Amount(plain).Value == Money.FromEuros(cents / 100m)
                && DecisionInput.Amount(plain.Replace('.', ',')).Value == Money.FromEuros(cents / 100m)
                && DecisionInput.Amount(english).Value == Money.FromEuros(cents / 100m);
        });

    [Test]
    public void The_kinds_are_listed_once_and_read_back_by_their_codes()
    {
        DecisionKinds.All.Select(k => k.Kind).Should().BeEquivalentTo(Enum.GetValues<DecisionKind>());
        DecisionKinds.All.Should().OnlyContain(k => DecisionKinds.Parse(k.Code) == k.Kind && k.Kind.Code() == k.Code);
        DecisionInput.Kind("promotion").Refusal!.Code.Should().Be(RefusalCode.DecisionKindUnknown);
    }

    [Test]
    public void Every_refusal_code_has_english_words_of_its_own() =>
        Enum.GetValues<RefusalCode>().Should().OnlyContain(code => Refusal.Of(code, null).Message != code.ToString());
}
