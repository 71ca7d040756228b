namespace Ontzorging.Domain.Tests;

public sealed class MoneyTests
{
    [TestCase("0", 0, TestName = "A whole number of euros parses")]
    [TestCase("1234.5", 123450, TestName = "One decimal means tens of cents")]
    [TestCase("1234.56", 123456, TestName = "Two decimals are cents")]
    [TestCase(" 905.00 ", 90500, TestName = "Surrounding spaces are ignored")]
    public void Parse_reads_amounts_as_the_exchange_formats_write_them(string text, long cents) =>
        Money.Parse(text).Value.Should().Be(new Money(cents));

    [TestCase("", TestName = "An empty amount is refused")]
    [TestCase("-1.00", TestName = "A negative amount is refused")]
    [TestCase("1,00", TestName = "A decimal comma is refused")]
    [TestCase("1.234", TestName = "Three decimals are refused")]
    [TestCase("1.000,00", TestName = "A thousands separator is refused")]
    [TestCase("12.", TestName = "A trailing dot is refused")]
    [TestCase("abc", TestName = "Text is refused")]
    [TestCase("12345678901234", TestName = "Fourteen digits of euros are too large")]
    public void Parse_refuses_malformed_amounts_with_a_reason_and_TryParse_refuses_them_from_utf8(string text)
    {
        var result = Money.Parse(text);

        result.Success.Should().BeFalse();
        result.Error.Should().NotBeNullOrEmpty();
        Money.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out _).Should().BeFalse();
    }

    [TestCase("0", 0, TestName = "A whole number of euros reads from UTF-8")]
    [TestCase("1234.5", 123450, TestName = "One decimal read from UTF-8 means tens of cents")]
    [TestCase("9999999999999.99", 999999999999999, TestName = "Thirteen digits of euros read from UTF-8")]
    public void TryParse_reads_from_utf8_what_Parse_reads(string text, long cents)
    {
        Money.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out var amount).Should().BeTrue();
        amount.Should().Be(new Money(cents)).And.Be(Money.Parse(text).Value);
    }

    [Test]
    public void TryParse_leaves_surrounding_spaces_to_Parse_which_reads_them() =>
        Money.TryParse(" 905.00"u8, out _).Should().BeFalse();

    [TestCase(5, 2, 3, TestName = "Exactly half a cent rounds up")]
    [TestCase(-5, 2, -3, TestName = "Minus half a cent rounds away from zero")]
    [TestCase(149, 100, 1, TestName = "Below half rounds down")]
    [TestCase(150, 100, 2, TestName = "Half rounds away from zero")]
    public void Rounding_is_half_away_from_zero(long numerator, long denominator, long expected) =>
        Money.RoundHalfAwayFromZero(numerator, denominator).Should().Be(expected);

    [Test]
    public void Prorate_computes_in_full_and_rounds_once()
    {
        // 1858.00 × 16 / 30 = 990.9333… (example B's April bijstand).
        new Money(185800).Prorate(16, 30).Should().Be(new Money(99093));
    }

    [Test]
    public void Addition_that_overflows_throws_instead_of_wrapping()
    {
        var act = () => new Money(long.MaxValue) + new Money(1);

        act.Should().Throw<OverflowException>();
    }

    [TestCase(0, "0.00")]
    [TestCase(5, "0.05")]
    [TestCase(178001, "1780.01")]
    [TestCase(-307, "-3.07")]
    public void ToString_writes_two_decimals_with_a_dot(long cents, string expected) =>
        new Money(cents).ToString().Should().Be(expected);
}
