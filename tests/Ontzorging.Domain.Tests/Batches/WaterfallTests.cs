using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Costs;
using static Ontzorging.Domain.Tests.TestData;

namespace Ontzorging.Domain.Tests.Batches;

public sealed class WaterfallTests
{
    private static readonly LocalDate Due = new(2026, 5, 1);

    [Test]
    public void A_shortfall_is_bridged_with_credit_so_the_minimum_leefgeld_is_paid()
    {
        var result = Waterfall.Run(Input(bijstand: 1300, due: [Installment(FixedCostKind.Rent, 1234, Due)], minimum: 173.33m));

        result.Drawn.Should().Be(Euros(107.33m));
        result.Leefgeld.Should().Be(Euros(173.33m));
        result.Issues.Should().BeEmpty();
    }

    [Test]
    public void Payment_stops_at_the_first_installment_that_does_not_fit_without_skipping_to_a_smaller_one()
    {
        var result = Waterfall.Run(Input(
            bijstand: 1000,
            due: [Installment(FixedCostKind.Rent, 900, Due, 1), Installment(FixedCostKind.HealthInsurance, 150, Due, 2), Installment(FixedCostKind.Water, 20, Due, 3)],
            minimum: 0,
            cap: 0));

        result.Paid.Select(i => i.ContractId).Should().Equal(1);
        result.Arrears.Select(i => i.ContractId).Should().Equal(2, 3);
        result.Issues.Where(i => i.Kind == BatchIssueKind.Arrear).Should().HaveCount(2);
    }

    [Test]
    public void Credit_is_never_drawn_beyond_the_cap_and_the_rest_becomes_arrears()
    {
        var result = Waterfall.Run(Input(bijstand: 1000, due: [Installment(FixedCostKind.Rent, 900, Due), Installment(FixedCostKind.Energy, 300, Due, 2)], minimum: 173.33m, outstanding: 950, cap: 1000));

        result.Drawn.Should().Be(Euros(50));
        result.CreditOutstandingAfter.Should().Be(Euros(1000));
        result.Arrears.Should().ContainSingle().Which.Kind.Should().Be(FixedCostKind.Energy);
        result.Issues.Select(i => i.Kind).Should().Contain([BatchIssueKind.ShortfallBeyondCap, BatchIssueKind.Arrear, BatchIssueKind.LeefgeldBelowMinimum]);
    }

    [Test]
    public void With_arrears_open_nothing_is_repaid_and_the_rest_is_kept_back()
    {
        var result = Waterfall.Run(Input(bijstand: 1200, due: [Installment(FixedCostKind.Rent, 1100, Due), Installment(FixedCostKind.Energy, 150, Due, 2)], minimum: 50, outstanding: 1500, cap: 1500));

        result.Paid.Should().ContainSingle();
        result.Leefgeld.Should().Be(Euros(50));
        result.Repaid.Should().Be(Money.Zero);
        result.KeptBack.Should().Be(Euros(50));
    }

    [Test]
    public void Carried_arrears_are_paid_before_this_month_s_lower_priority_installments()
    {
        var oldRent = Installment(FixedCostKind.Rent, 900, new LocalDate(2026, 4, 1));
        var energy = Installment(FixedCostKind.Energy, 150, Due, 2);

        var result = Waterfall.Run(Input(bijstand: 1100, due: [energy], carried: [oldRent], minimum: 0, cap: 0));

        result.Paid.Should().Equal(oldRent, energy);
    }

    [Test]
    public void After_the_end_arrears_are_paid_first_then_credit_is_repaid_then_the_rest_is_a_final_leefgeld()
    {
        var arrear = Installment(FixedCostKind.Water, 38, Due);

        var result = Waterfall.Run(new WaterfallInput(Euros(500), Money.Zero, [arrear], [], Money.Zero, Euros(300), Euros(1500), MayDraw: false));

        result.Paid.Should().Equal(arrear);
        result.Repaid.Should().Be(Euros(300));
        result.Leefgeld.Should().Be(Euros(162));
        result.Drawn.Should().Be(Money.Zero);
    }

    [Test]
    public void No_credit_is_drawn_after_the_end()
    {
        var result = Waterfall.Run(new WaterfallInput(Euros(10), Money.Zero, [Installment(FixedCostKind.Rent, 900, Due)], [], Money.Zero, Money.Zero, Euros(1000), MayDraw: false));

        result.Drawn.Should().Be(Money.Zero);
        result.Arrears.Should().ContainSingle();
        result.KeptBack.Should().Be(Euros(10));
    }

    [Test]
    [Description("Property: over thousands of random months, money is conserved, nothing goes negative, the cap holds and nothing is paid after a misfit")]
    public void Random_months_conserve_money_and_never_break_a_limit()
    {
        var random = new Random(20260401);
        for (var run = 0; run < 5000; run++)
        {
            var due = Enumerable.Range(0, random.Next(0, 6))
                .Select(i => Installment((FixedCostKind)random.Next(1, 8), random.Next(1, 150_000) / 100m, Due.PlusDays(random.Next(0, 28)), i))
                .ToList();
            var carried = Enumerable.Range(10, random.Next(0, 3))
                .Select(i => Installment((FixedCostKind)random.Next(1, 8), random.Next(1, 50_000) / 100m, Due.PlusMonths(-1), i))
                .ToList();
            var cap = Euros(random.Next(0, 2) == 0 ? 1000 : 1500);
            var input = new WaterfallInput(
                new Money(random.Next(0, 200_000)), new Money(random.Next(0, 250_000)), carried, due,
                new Money(random.Next(0, 40_000)), new Money(random.Next(0, (int)cap.Cents + 1)), cap, random.Next(0, 4) > 0);

            var result = Waterfall.Run(input);

            var moneyIn = input.Balance + input.Bijstand + result.Drawn;
            var moneyOut = result.InstallmentsPaid + result.Leefgeld + result.Repaid + result.KeptBack;
            moneyOut.Should().Be(moneyIn, "money is conserved (run {0})", run);
            new[] { result.Drawn, result.Leefgeld, result.Repaid, result.KeptBack, result.CreditOutstandingAfter }.Should().OnlyContain(m => !m.IsNegative);
            result.CreditOutstandingAfter.Should().BeLessThanOrEqualTo(Money.Max(cap, input.CreditOutstanding));
            if (!input.MayDraw)
            {
                result.Drawn.Should().Be(Money.Zero);
            }

            var order = carried.Concat(due).Order(Ontzorging.Domain.Costs.Installment.PaymentOrder).ToList();
            result.Paid.Should().Equal(order.Take(result.Paid.Count), "payment never skips past a misfit (run {0})", run);
            result.Arrears.Should().Equal(order.Skip(result.Paid.Count));
            if (result.Arrears.Count > 0)
            {
                result.Repaid.Should().Be(Money.Zero);
            }
            else
            {
                result.KeptBack.Should().Be(Money.Zero);
            }
        }
    }

    private static WaterfallInput Input(decimal bijstand, IReadOnlyList<Installment> due, decimal minimum, decimal balance = 0, decimal outstanding = 0, decimal cap = 1000, IReadOnlyList<Installment>? carried = null) =>
        new(Euros(balance), Euros(bijstand), carried ?? [], due, Euros(minimum), Euros(outstanding), Euros(cap), MayDraw: true);
}

public sealed class RecoveryTests
{
    private static readonly Ontzorging.Domain.Income.BijstandRate[] Rates = [new(TestData.Euros(1858), new YearMonth(2026, 4), null)];

    [Test]
    public void A_bijstand_end_recorded_after_a_batch_raises_the_overpaid_bijstand_for_recovery_once()
    {
        var decision = new Ontzorging.Domain.Households.Decision(Ontzorging.Domain.Households.DecisionKind.BijstandEnd, new LocalDate(2026, 6, 30), "cw", "work", LastDay: new LocalDate(2026, 6, 15));
        var period = Ontzorging.Domain.Households.OntzorgingPeriod.Derive(new LocalDate(2026, 4, 15), [decision], new LocalDate(2026, 7, 24), Policy.Default);
        (YearMonth, Money)[] past = [(new YearMonth(2026, 5), TestData.Euros(1858)), (new YearMonth(2026, 6), TestData.Euros(1858)), (new YearMonth(2026, 7), TestData.Euros(1858))];

        var issues = Recovery.OverpaidAfterDecisions(period, [decision], new LocalDate(2026, 6, 24), new LocalDate(2026, 7, 24), Rates, past);
        var later = Recovery.OverpaidAfterDecisions(period, [decision], new LocalDate(2026, 7, 24), new LocalDate(2026, 8, 24), Rates, past);

        issues.Select(i => i.Message).Should().SatisfyRespectively(
            june => june.Should().Contain("bijstand 2026-06").And.Contain("929.00 to recover"),
            july => july.Should().Contain("bijstand 2026-07").And.Contain("1858.00 to recover"));
        issues.Should().OnlyContain(i => i.Kind == BatchIssueKind.OverpaidAfterDecision);
        later.Should().BeEmpty("the overpayment was raised in the batch after the decision, not again");
    }

    [Test]
    public void An_extension_raises_nothing()
    {
        var decision = new Ontzorging.Domain.Households.Decision(Ontzorging.Domain.Households.DecisionKind.Extension, new LocalDate(2026, 6, 30), "cw", "art. 57", Months: 2);
        var period = Ontzorging.Domain.Households.OntzorgingPeriod.Derive(new LocalDate(2026, 4, 15), [decision], new LocalDate(2026, 7, 24), Policy.Default);

        Recovery.OverpaidAfterDecisions(period, [decision], new LocalDate(2026, 6, 24), new LocalDate(2026, 7, 24), Rates, [(new YearMonth(2026, 6), TestData.Euros(1858))]).Should().BeEmpty();
    }
}
