namespace Ontzorging.Domain.Tests;

public sealed class IdentifierTests
{
    [TestCase("NL91ABNA0417164300", TestName = "A valid Dutch IBAN is accepted")]
    [TestCase("nl91 abna 0417 1643 00", TestName = "Spaces and lower case are normalised")]
    [TestCase("DE89370400440532013000", TestName = "A valid German IBAN is accepted")]
    public void Valid_ibans_are_accepted(string text) =>
        Iban.Parse(text).Success.Should().BeTrue();

    [TestCase("NL91ABNA0417164301", "mod 97", TestName = "A wrong check digit is refused")]
    [TestCase("NL91ABNA041716430", "18", TestName = "A Dutch IBAN of 17 characters is refused")]
    [TestCase("1234", "not an IBAN", TestName = "Something that is no IBAN is refused")]
    public void Invalid_ibans_are_refused_with_the_reason(string text, string reason) =>
        Iban.Parse(text).Error.Should().Contain(reason);

    [Test]
    public void An_iban_is_masked_for_logs() =>
        Iban.Of("NL91ABNA0417164300").Masked.Should().Be("NL91…4300");

    [TestCase("111222333", TestName = "Example A's BSN passes the 11-test")]
    [TestCase("123456782", TestName = "Example B's BSN passes the 11-test")]
    [TestCase("999999990")]
    public void Valid_bsns_are_accepted(string text) =>
        Bsn.Parse(text).Success.Should().BeTrue();

    [TestCase("123456789", "11-test", TestName = "A BSN failing the 11-test is refused")]
    [TestCase("12345678", "9 digits", TestName = "A BSN of 8 digits is refused")]
    [TestCase("12345678a", "9 digits", TestName = "A BSN with a letter is refused")]
    public void Invalid_bsns_are_refused_with_the_reason(string text, string reason) =>
        Bsn.Parse(text).Error.Should().Contain(reason);

    [Test]
    public void A_bsn_never_prints_whole() =>
        Bsn.Parse("111222333").Value.ToString().Should().Be("*****2333");

    [Test]
    public void A_betalingskenmerk_with_a_correct_check_digit_is_structured()
    {
        var reference = PaymentReference.Parse(WithCheckDigit("000000012345678"));

        reference.Value.Kind.Should().Be(PaymentReferenceKind.Betalingskenmerk);
    }

    [Test]
    public void A_betalingskenmerk_with_a_wrong_check_digit_is_refused()
    {
        var valid = WithCheckDigit("000000012345678");
        var wrong = (char)('0' + (valid[0] - '0' + 1) % 10) + valid[1..];

        PaymentReference.Parse(wrong).Error.Should().Contain("check digit");
    }

    [TestCase("RF18539007547034", PaymentReferenceKind.Rf, TestName = "A valid RF reference is ISO 11649")]
    [TestCase("Factuur 2026-04", PaymentReferenceKind.FreeText, TestName = "Other text is free text")]
    public void References_are_classified(string text, PaymentReferenceKind kind) =>
        PaymentReference.Parse(text).Value.Kind.Should().Be(kind);

    [TestCase("RF19539007547034", "ISO 11649", TestName = "An RF reference failing mod 97 is refused")]
    public void Invalid_rf_references_are_refused(string text, string reason) =>
        PaymentReference.Parse(text).Error.Should().Contain(reason);

    [Test]
    public void Free_text_longer_than_140_characters_is_refused() =>
        PaymentReference.Parse(new string('x', 141)).Error.Should().Contain("140");

    private static string WithCheckDigit(string fifteenDigits)
    {
        int[] weights = [2, 4, 8, 5, 10, 9, 7, 3, 6, 1];
        var sum = fifteenDigits.Reverse().Select((c, i) => (c - '0') * weights[i % 10]).Sum();
        var check = 11 - sum % 11;
        return (check switch { 10 => 1, 11 => 0, _ => check }) + fifteenDigits;
    }
}
