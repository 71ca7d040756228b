using CsCheck;
using NodaTime;
using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Households;

namespace Ontzorging.Domain.Tests.Households;

/// <summary>docs/rules.md §20: the months of an opening position follow the timetable of §6.</summary>
public sealed class OpeningRulesTests
{
    [TestCase("2026-06-24", "2026-07", TestName = "A cut-over on a preparation day follows that day's month")]
    [TestCase("2026-06-23", "2026-06", TestName = "A cut-over the day before a preparation day follows the month before")]
    [TestCase("2026-06-30", "2026-07", TestName = "A cut-over at the end of June follows July's preparation on 24 June")]
    [TestCase("2026-12-31", "2027-01", TestName = "A cut-over at the end of the year follows January's preparation")]
    public void The_months_unburdened_outside_the_engine_are_those_prepared_by_the_cut_over(string cutover, string through)
    {
        var day = NodaTime.Text.LocalDatePattern.Iso.Parse(cutover).Value;
        var month = NodaTime.Text.LocalDatePattern.Iso.Parse(through + "-01").Value.ToYearMonth();

        OpeningRules.LastPreparedBy(day, Policy.Default).Should().Be(month);
        OpeningRules.MonthProblem(day, month, Policy.Default).Should().BeNull();
        OpeningRules.MonthProblem(day, month.PlusMonths(-1), Policy.Default).Should().Contain($"run through {through}");
    }

    [Test]
    public void The_last_month_prepared_by_any_day_was_prepared_by_then_and_its_next_month_was_not()
    {
        Gen.Int[0, 365 * 5].Sample(offset =>
        {
            var day = new LocalDate(2025, 1, 1).PlusDays(offset);
            var month = OpeningRules.LastPreparedBy(day, Policy.Default);
            HouseholdMonth.PreparationDay(month, Policy.Default).Should().BeLessThanOrEqualTo(day);
            HouseholdMonth.PreparationDay(month.PlusMonths(1), Policy.Default).Should().BeGreaterThan(day);
        });
    }

    [Test]
    public void Credit_up_to_the_cap_is_taken_over_and_a_cent_more_is_refused()
    {
        OpeningRules.CreditProblem(Money.FromEuros(1000.00m), 1, Policy.Default).Should().BeNull();
        OpeningRules.CreditProblem(Money.FromEuros(1000.01m), 1, Policy.Default).Should().Contain("above the credit cap of 1000.00");
        OpeningRules.CreditProblem(Money.FromEuros(1500.00m), 2, Policy.Default).Should().BeNull();
    }

    [Test]
    public void An_arrear_is_of_a_month_done_outside_the_engine_and_a_receipt_of_a_day_by_the_cut_over()
    {
        OpeningRules.ArrearDueProblem(new LocalDate(2026, 7, 31), new YearMonth(2026, 7)).Should().BeNull();
        OpeningRules.ArrearDueProblem(new LocalDate(2026, 8, 1), new YearMonth(2026, 7)).Should().Contain("pays that installment itself");
        OpeningRules.ReceivedProblem(new LocalDate(2026, 6, 30), new LocalDate(2026, 6, 30)).Should().BeNull();
        OpeningRules.ReceivedProblem(new LocalDate(2026, 7, 1), new LocalDate(2026, 6, 30)).Should().Contain("after the cut-over");
        OpeningRules.CutoverProblem(new LocalDate(2026, 7, 2), new LocalDate(2026, 7, 1)).Should().Contain("after today");
    }
}
