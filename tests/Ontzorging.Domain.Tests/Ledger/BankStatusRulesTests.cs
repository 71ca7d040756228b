using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;
using Ontzorging.Domain.Ledger;
using static Ontzorging.Domain.Tests.TestData;

namespace Ontzorging.Domain.Tests.Ledger;

/// <summary>Batch bookings, status reports and refused accounts (docs/rules.md §9, issue 25).</summary>
public sealed class BankStatusRulesTests
{
    private static BatchBookingRule.Candidate Waiting(string id, decimal amount, decimal? stated = null) => new(id, Euros(amount), stated is { } s ? Euros(s) : null, true);

    [Test]
    public void A_batch_booking_settles_its_batch_when_every_payment_waits_and_the_amounts_add_up_to_the_cent()
    {
        BatchBookingRule.Difference(Euros(300.01m), 2, [Waiting("A", 100), Waiting("B", 200.01m, 200.01m)]).Should().BeNull();
    }

    [TestCase(300.02, 2, "books 300.02 where the batch's payments sum to 300.01")]
    [TestCase(300.01, 3, "states 3 transactions where the batch has 2")]
    public void A_batch_booking_that_does_not_agree_with_its_batch_settles_nothing_and_says_why(decimal booked, int transactions, string reason)
    {
        BatchBookingRule.Difference(Euros(booked), transactions, [Waiting("A", 100), Waiting("B", 200.01m)]).Should().Be(reason);
    }

    [Test]
    public void A_batch_booking_naming_a_payment_that_is_not_ours_or_not_waiting_or_of_another_amount_settles_nothing()
    {
        BatchBookingRule.Difference(Euros(100), null, [new("X", null, null, false)]).Should().Contain("X, which is not an exported payment of ours");
        BatchBookingRule.Difference(Euros(100), null, [new("A", Euros(100), null, false)]).Should().Contain("A is not waiting for a statement");
        BatchBookingRule.Difference(Euros(100), null, [Waiting("A", 100, 99)]).Should().Contain("gives payment A as 99.00 where we sent 100.00");
        BatchBookingRule.Difference(Euros(100), null, []).Should().Contain("names no exported batch");
        BatchBookingRule.Difference(Euros(100), null, [Waiting("A", 100)], blocksThatFit: 2).Should().Contain("2 exported batch blocks");
    }

    [TestCase("RJCT", "open", false, StatusOutcome.Reopened)]
    [TestCase("RJCT", "settled", false, StatusOutcome.ReopenedAfterSettlement)]
    [TestCase("RJCT", "settled", true, StatusOutcome.AlreadySettled)]
    [TestCase("RJCT", "returned", false, StatusOutcome.AlreadyReopened)]
    [TestCase("ACSC", "open", false, StatusOutcome.Accepted)]
    [TestCase("ACTC", "settled", true, StatusOutcome.Accepted)]
    [TestCase("PDNG", "open", false, StatusOutcome.NotOpen)]
    [TestCase("RJCT", "cancelled", false, StatusOutcome.NotOpen)]
    public void What_a_status_does_to_a_payment_depends_on_whether_a_statement_showed_it_leaving(string status, string payment, bool onStatement, StatusOutcome outcome)
    {
        PaymentStatusRule.Outcome(status, payment, onStatement).Should().Be(outcome);
    }

    [Test]
    public void A_reason_code_is_given_in_words_with_the_banks_own_text_and_only_a_closed_or_wrong_account_refuses_the_creditors_account()
    {
        ReturnReasons.Describe("AC04", "Rekening opgeheven").Should().Be("AC04 account closed: Rekening opgeheven");
        ReturnReasons.Describe("MD07", null).Should().Be("MD07 account holder deceased");
        ReturnReasons.Describe("ZZ99", null).Should().Be("ZZ99");
        ReturnReasons.Describe(null, " ").Should().Be("reason not given");
        ReturnReasons.Describe("MS03", new string('x', 300)).Length.Should().Be(140);
        new[] { "AC04", "AC01", "AM04", "MD07", "BE04", "MS03", null }.Select(ReturnReasons.RefusesAccount).Should().Equal(true, true, false, false, false, false, false);
    }

    [Test]
    public void A_batch_that_would_pay_a_refused_creditor_account_raises_an_exception_for_a_person_and_still_plans_the_payment()
    {
        var household = new HouseholdProfile("HH-R", 1, 0, Iban.Of("NL91ABNA0417164300"), LeefgeldFrequency.Monthly);
        var rent = Contract(FixedCostKind.Rent, 700);
        HouseholdMonthContext May(IReadOnlyList<RefusedAccount> refused) =>
            new(household, new LocalDate(2026, 4, 1), [], [rent], [new BijstandRate(Euros(1300), new YearMonth(2026, 4), null)],
                Money.Zero, [], Money.Zero, new YearMonth(2026, 5), new LocalDate(2026, 4, 24), RefusedAccounts: refused);

        var refused = HouseholdMonth.Plan(May([new RefusedAccount(rent.ContractId, new LocalDate(2026, 4, 20), "AC04")]), Policy.Default);
        var confirmed = HouseholdMonth.Plan(May([]), Policy.Default);

        refused.Issues.Should().ContainSingle(i => i.Kind == BatchIssueKind.InvalidCreditorAccount)
            .Which.Message.Should().Contain("refused this account on 2026-04-20 (AC04 account closed)");
        refused.Payments.Should().Equal(confirmed.Payments, "acknowledging the exception is the person's confirmation; what is paid does not change");
        confirmed.Issues.Should().NotContain(i => i.Kind == BatchIssueKind.InvalidCreditorAccount);
    }
}
