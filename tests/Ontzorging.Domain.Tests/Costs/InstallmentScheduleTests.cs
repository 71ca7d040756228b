using Ontzorging.Domain.Costs;
using static Ontzorging.Domain.Tests.TestData;

namespace Ontzorging.Domain.Tests.Costs;

public sealed class InstallmentScheduleTests
{
    [Test]
    public void A_due_day_of_31_is_clamped_to_29_february_in_a_leap_year()
    {
        var due = InstallmentSchedule.DueIn(new YearMonth(2028, 2), Period(new LocalDate(2028, 1, 1)), [Contract(FixedCostKind.Rent, 900, dueDay: 31)]);

        due.Single().DueDate.Should().Be(new LocalDate(2028, 2, 29));
    }

    [Test]
    public void A_due_day_of_31_is_clamped_to_30_april() =>
        Contract(FixedCostKind.Rent, 900, dueDay: 31).DueDateIn(new YearMonth(2026, 4)).Should().Be(new LocalDate(2026, 4, 30));

    [Test]
    public void An_installment_due_before_the_start_is_not_taken_over() =>
        InstallmentSchedule.DueIn(new YearMonth(2026, 4), Period(new LocalDate(2026, 4, 15)), [Contract(FixedCostKind.Rent, 1250)]).Should().BeEmpty();

    [Test]
    public void An_installment_due_on_the_end_date_is_not_taken_over()
    {
        var period = Period(new LocalDate(2026, 1, 31));

        // Due day 31 clamps to 31 July, which is the (exclusive) end: only five rent installments.
        var months = Enumerable.Range(0, 8).Select(i => new YearMonth(2026, 1).PlusMonths(i));
        var count = months.Sum(m => InstallmentSchedule.DueIn(m, period, [Contract(FixedCostKind.Rent, 900, dueDay: 31)]).Count);

        period.End.Should().Be(new LocalDate(2026, 7, 31));
        count.Should().Be(6, "31 Jan … 30 Jun are inside, 31 Jul is the end");
    }

    [Test]
    public void An_installment_of_zero_is_neither_paid_nor_an_arrear() =>
        InstallmentSchedule.DueIn(new YearMonth(2026, 5), Period(new LocalDate(2026, 4, 1)), [Contract(FixedCostKind.Water, 0), Contract(FixedCostKind.Rent, 900)])
            .Select(i => i.Kind).Should().Equal(FixedCostKind.Rent);

    [Test]
    public void An_optional_kind_without_consent_is_not_taken_over() =>
        InstallmentSchedule.DueIn(new YearMonth(2026, 5), Period(new LocalDate(2026, 4, 1)), [Contract(FixedCostKind.MunicipalTax, 45, 28)]).Should().BeEmpty();

    [Test]
    public void An_optional_kind_is_taken_over_from_its_consent_date()
    {
        var contract = Contract(FixedCostKind.MunicipalTax, 45, 28, consent: new LocalDate(2026, 5, 10));
        var period = Period(new LocalDate(2026, 4, 1));

        InstallmentSchedule.DueIn(new YearMonth(2026, 4), period, [contract]).Should().BeEmpty();
        InstallmentSchedule.DueIn(new YearMonth(2026, 5), period, [contract]).Should().ContainSingle();
    }

    [Test]
    public void A_mid_period_contract_switch_takes_the_version_valid_on_the_due_date()
    {
        ContractVersion[] versions =
        [
            Contract(FixedCostKind.Rent, 900, id: 1, to: new LocalDate(2026, 6, 30)),
            Contract(FixedCostKind.Rent, 925, id: 1, from: new LocalDate(2026, 7, 1)),
        ];
        var period = Period(new LocalDate(2026, 4, 1));

        InstallmentSchedule.DueIn(new YearMonth(2026, 6), period, versions).Single().Amount.Should().Be(Euros(900));
        InstallmentSchedule.DueIn(new YearMonth(2026, 7), period, versions).Single().Amount.Should().Be(Euros(925));
    }

    [Test]
    public void Installments_are_ordered_by_priority_then_due_date_then_creditor_iban()
    {
        var period = Period(new LocalDate(2026, 4, 1));
        ContractVersion[] contracts =
        [
            Contract(FixedCostKind.Water, 20, 1, id: 4),
            Contract(FixedCostKind.Energy, 150, 1, id: 3, iban: Iban.Of("NL69INGB0123456789")),
            Contract(FixedCostKind.Energy, 50, 1, id: 5, iban: Iban.Of("NL02ABNA0123456789")),
            Contract(FixedCostKind.Rent, 905, 15, id: 1),
            Contract(FixedCostKind.HealthInsurance, 159, 1, id: 2),
        ];

        var due = InstallmentSchedule.DueIn(new YearMonth(2026, 5), period, contracts);

        due.Select(i => i.ContractId).Should().Equal(1, 2, 5, 3, 4);
    }

    [Test]
    public void Overlapping_versions_are_detected()
    {
        var a = Contract(FixedCostKind.Rent, 900, to: new LocalDate(2026, 7, 1));
        var b = Contract(FixedCostKind.Rent, 925, from: new LocalDate(2026, 7, 1));

        a.Overlaps(b).Should().BeTrue();
    }
}
