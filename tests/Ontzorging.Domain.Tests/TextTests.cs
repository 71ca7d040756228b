using CsCheck;
using Ontzorging.Domain.Households;

namespace Ontzorging.Domain.Tests;

public sealed class TextTests
{
    [TestCase("José Müller-Ørsted", 70, "Jose Muller-Orsted", TestName = "Accents are dropped and a few letters are spelled out")]
    [TestCase("Smith & Zn. \"Zuid\" <B.V.>", 70, "Smith + Zn. Zuid B.V.", TestName = "Characters outside the EPC set are left out")]
    [TestCase("Straße\nNord\t=1", 70, "Strasse Nord 1", TestName = "Line breaks and tabs become one space")]
    [TestCase("محمد", 70, "NOTPROVIDED", TestName = "A name with nothing left in the EPC set is NOTPROVIDED")]
    [TestCase("abcdefghij😀klm", 10, "abcdefghij", TestName = "An emoji at the length limit is never split")]
    public void Sepa_text_is_transliterated_to_the_epc_set_and_cut_to_its_field(string text, int max, string expected) =>
        SepaText.Transliterate(text, max).Should().Be(expected);

    [Test]
    public void Any_text_becomes_epc_text_within_its_field()
    {
        Gen.String[0, 300].Sample(text =>
        {
            var epc = SepaText.Transliterate(text, 70);

            SepaText.IsEpc(epc).Should().BeTrue();
            epc.Length.Should().BeInRange(1, 70);
        }, iter: 20_000);
    }

    [TestCase("Saba Alkhatib", null, TestName = "A plain name is fine")]
    [TestCase("Saba\u0000", "control character", TestName = "A NUL is refused")]
    [TestCase("Saba\nAlkhatib", "control character", TestName = "A line break is refused")]
    public void Free_text_may_not_hold_control_characters(string text, string? problem)
    {
        var found = TextRules.Problem(text, 70);

        if (problem is null)
        {
            found.Should().BeNull();
        }
        else
        {
            found.Should().Contain(problem);
        }
    }

    [Test]
    public void Length_is_counted_in_characters_as_a_person_sees_them()
    {
        var seventy = new string('x', 69) + "😀";

        TextRules.Length(seventy).Should().Be(70);
        TextRules.Problem(seventy, 70).Should().BeNull();
        TextRules.Problem(seventy + "é", 70).Should().Contain("71 characters");
    }

    [Test]
    public void A_period_starting_outside_the_accepted_dates_is_empty_instead_of_overflowing()
    {
        var period = OntzorgingPeriod.Derive(new LocalDate(9999, 12, 1), [], new LocalDate(2026, 12, 1), Policy.Default);

        period.End.Should().Be(period.Start);
        period.Touches(new YearMonth(2026, 12)).Should().BeFalse();
    }
}
