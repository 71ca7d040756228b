using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.BankLedgers;

namespace Ontzorging.IntegrationTests.BankLedgers;

public sealed class PayableLinesTests
{
    private static readonly LocalDate Execution = new(2026, 6, 1);

    private static readonly PayableLines Payable = new([("E2E-1", "NL20INGB0001234567", Money.FromEuros(905m), Execution)]);

    [TestCase("E2E-1", "NL99ABNA0999999999", -100, 1, true, TestName = "A line naming a payment's EndToEndId may pay it, whatever else it says")]
    [TestCase(null, "NL20INGB0001234567", -90_500, 1, true, TestName = "A line to a payment's creditor with its amount on its day may pay it")]
    [TestCase(null, "NL20INGB0001234567", -90_500, 2, false, TestName = "A line to the creditor on another day may not")]
    [TestCase(null, "NL20INGB0001234567", -90_499, 1, false, TestName = "A line to the creditor with another amount may not")]
    [TestCase("E2E-1", "NL20INGB0001234567", 90_500, 1, false, TestName = "Money coming in pays nothing")]
    [TestCase("e2e-1", null, -90_500, 1, false, TestName = "An EndToEndId is compared exactly")]
    public void An_outgoing_line_may_pay_a_payment_by_its_end_to_end_id_or_by_creditor_amount_and_day(string? reference, string? iban, long cents, int day, bool mayPay)
    {
        var line = new BankLine(2, "NL82BNGH0285010001", new LocalDate(2026, 6, day), new Money(cents), iban, "Woonstichting", "huur", reference);

        Payable.MayPay(line).Should().Be(mayPay);
    }
}
