using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;
using static Ontzorging.Domain.Tests.TestData;

namespace Ontzorging.Domain.Tests.Batches;

public sealed class ReturnedPaymentTests
{
    private static readonly HouseholdProfile Household = new("HH-R", 1, 0, Iban.Of("NL91ABNA0417164300"), LeefgeldFrequency.Monthly);

    private static HouseholdMonthContext May(Money balance, Money creditOutstanding, IReadOnlyList<Installment> arrears, IReadOnlyList<ReturnedLeefgeld> returned) =>
        new(Household, new LocalDate(2026, 4, 1), [], [Contract(FixedCostKind.Rent, 700)], [new BijstandRate(Euros(1300), new YearMonth(2026, 4), null)],
            balance, arrears, creditOutstanding, new YearMonth(2026, 5), new LocalDate(2026, 4, 24), ReturnedLeefgeld: returned);

    [Test]
    public void Returned_leefgeld_is_sent_again_under_its_old_key_with_the_next_attempt_and_is_not_used_to_repay_credit()
    {
        var returned = new ReturnedLeefgeld(41, new PaymentKey("HH-R", PaymentKey.LeefgeldObligation(new YearMonth(2026, 4)), new LocalDate(2026, 4, 1), 1), Euros(400));

        var result = HouseholdMonth.Plan(May(Euros(400), Euros(300), [], [returned]), Policy.Default);

        var resent = result.Payments.Single(p => p.Resends == 41);
        resent.Key.EndToEndId.Should().Be("HH-R/LG2604/260401/2");
        (resent.Amount, resent.ExecutionDate).Should().Be((Euros(400), new LocalDate(2026, 5, 4)), "1 May is a TARGET holiday: it leaves on the first business day of May");
        result.Waterfall.Repaid.Should().Be(Euros(300), "May's own cash repays the credit, not the returned leefgeld");
        result.LeefgeldPaid.Should().Be(result.Waterfall.Leefgeld + Euros(400));
    }

    [Test]
    public void A_returned_installment_carried_as_an_arrear_is_paid_with_its_attempt_number()
    {
        var arrear = new Installment(1, FixedCostKind.Rent, "Woonstad", Iban.Of("NL44RABO0123456789"), Euros(700), new LocalDate(2026, 4, 1), null, Attempt: 2);

        var result = HouseholdMonth.Plan(May(Euros(700), Money.Zero, [arrear], []), Policy.Default);

        result.Payments.Select(p => p.Key.EndToEndId).Should().Contain(["HH-R/C1/260401/2", "HH-R/C1/260501/1"]);
    }
}
