using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;
using static Ontzorging.Domain.Tests.TestData;

namespace Ontzorging.Domain.Tests.Batches;

/// <summary>
/// docs/rules.md §11 through the pure rules, month by month (the database-backed run of the same
/// examples is in the integration tests). Each row: bijstand, receipts, drawn, installments,
/// leefgeld, repaid, outstanding.
/// </summary>
public sealed class WorkedExampleTests
{
    [Test]
    public void Example_A_the_fifteen_euro_a_week_single_adult_is_reproduced_to_the_cent()
    {
        var household = new HouseholdProfile("HH-A", 1, 0, Iban.Of("NL91ABNA0417164300"), LeefgeldFrequency.Monthly);
        ContractVersion[] contracts =
        [
            Contract(FixedCostKind.Rent, 905, id: 1), Contract(FixedCostKind.HealthInsurance, 159, id: 2),
            Contract(FixedCostKind.Energy, 150, id: 3), Contract(FixedCostKind.Water, 20, id: 4),
        ];
        (LocalDate, decimal)[] routedReceipts =
        [
            (new(2026, 6, 22), 1520 + 516), (new(2026, 7, 20), 509), (new(2026, 8, 20), 509), (new(2026, 9, 21), 509),
        ];

        var rows = Run(household, new LocalDate(2026, 4, 1), 1300, contracts, routedReceipts, [], new YearMonth(2026, 4), new YearMonth(2026, 10));

        rows.Should().Equal(
            "2026-04 1300.00 0.00 107.33 1234.00 173.33 0.00 107.33",
            "2026-05 1300.00 0.00 107.33 1234.00 173.33 0.00 214.66",
            "2026-06 1300.00 0.00 107.33 1234.00 173.33 0.00 321.99",
            "2026-07 1300.00 2036.00 0.00 1234.00 1780.01 321.99 0.00",
            "2026-08 1300.00 509.00 0.00 1234.00 575.00 0.00 0.00",
            "2026-09 1300.00 509.00 0.00 1234.00 575.00 0.00 0.00",
            "2026-10 0.00 509.00 0.00 0.00 509.00 0.00 0.00");
    }

    [Test]
    public void Example_B_family_of_five_weekly_mid_month_start_bijstand_ending_early_is_reproduced_to_the_cent()
    {
        var household = new HouseholdProfile("HH-B", 2, 3, Iban.Of("NL44RABO0123456789"), LeefgeldFrequency.Weekly);
        ContractVersion[] contracts =
        [
            Contract(FixedCostKind.Rent, 1250, id: 1), Contract(FixedCostKind.HealthInsurance, 318, id: 2),
            Contract(FixedCostKind.Energy, 260, id: 3), Contract(FixedCostKind.Water, 38, 15, id: 4),
            Contract(FixedCostKind.MunicipalTax, 45, 28, id: 5, consent: new LocalDate(2026, 4, 10)),
        ];
        (LocalDate, decimal)[] routedReceipts = [(new(2026, 7, 20), 984), (new(2026, 8, 20), 246)];
        Decision[] decisions = [new(DecisionKind.BijstandEnd, new LocalDate(2026, 8, 10), "cw", "found work", LastDay: new LocalDate(2026, 8, 31))];

        var rows = Run(household, new LocalDate(2026, 4, 15), 1858, contracts, routedReceipts, decisions, new YearMonth(2026, 4), new YearMonth(2026, 9));

        rows.Should().Equal(
            "2026-04 990.93 0.00 0.00 83.00 907.93 0.00 0.00",
            "2026-05 1858.00 0.00 399.67 1911.00 346.67 0.00 399.67",
            "2026-06 1858.00 0.00 399.67 1911.00 346.67 0.00 799.34",
            "2026-07 1858.00 0.00 399.67 1911.00 346.67 0.00 1199.01",
            "2026-08 1858.00 984.00 0.00 1911.00 346.67 584.33 614.68",
            "2026-09 0.00 246.00 0.00 0.00 0.00 246.00 368.68");
    }

    [Test]
    public void Example_B_april_leefgeld_is_split_over_the_two_mondays_inside_the_period()
    {
        var household = new HouseholdProfile("HH-B", 2, 3, Iban.Of("NL44RABO0123456789"), LeefgeldFrequency.Weekly);
        var context = new HouseholdMonthContext(household, new LocalDate(2026, 4, 15), [], [Contract(FixedCostKind.Water, 38, 15), Contract(FixedCostKind.MunicipalTax, 45, 28, id: 5, consent: new LocalDate(2026, 4, 10))],
            [new BijstandRate(Euros(1858), new YearMonth(2026, 4), null)], Money.Zero, [], Money.Zero, new YearMonth(2026, 4), new LocalDate(2026, 3, 24));

        var leefgeld = HouseholdMonth.Plan(context, Policy.Default).Payments.Where(p => p.Kind == PaymentKind.Leefgeld);

        leefgeld.Select(p => (p.ExecutionDate, p.Amount)).Should().Equal((new LocalDate(2026, 4, 20), Euros(453.96m)), (new LocalDate(2026, 4, 27), Euros(453.97m)));
    }

    private static List<string> Run(HouseholdProfile household, LocalDate start, decimal bijstand, ContractVersion[] contracts, (LocalDate On, decimal Amount)[] receipts, Decision[] decisions, YearMonth from, YearMonth to)
    {
        var rows = new List<string>();
        var keptBack = Money.Zero;
        var outstanding = Money.Zero;
        IReadOnlyList<Installment> arrears = [];
        var lastPrepared = LocalDate.MinIsoValue;
        for (var month = from; month <= to; month = month.PlusMonths(1))
        {
            var prepared = HouseholdMonth.PreparationDay(month, Policy.Default);
            var booked = Money.Sum(receipts.Where(r => r.On > lastPrepared && r.On <= prepared).Select(r => Euros(r.Amount)));
            var context = new HouseholdMonthContext(household, start, decisions, contracts, [new BijstandRate(Euros(bijstand), from, null)],
                keptBack + booked, arrears, outstanding, month, prepared);

            var result = HouseholdMonth.Plan(context, Policy.Default);

            var w = result.Waterfall;
            rows.Add($"{month:yyyy-MM} {result.Bijstand} {booked} {w.Drawn} {w.InstallmentsPaid} {w.Leefgeld} {w.Repaid} {w.CreditOutstandingAfter}");
            (keptBack, outstanding, arrears, lastPrepared) = (w.KeptBack, w.CreditOutstandingAfter, w.Arrears, prepared);
        }

        return rows;
    }
}
