using Ontzorging.Domain.Income;
using static Ontzorging.Domain.Tests.TestData;

namespace Ontzorging.Domain.Tests.Income;

public sealed class ToeslagWatchTests
{
    private static readonly IncomeStream Stream = new(IncomeKind.Zorgtoeslag, Euros(129), new YearMonth(2026, 4), null, true, new LocalDate(2026, 4, 3));

    [Test]
    public void The_advance_for_a_month_is_expected_on_the_20th_of_the_month_before() =>
        ToeslagWatch.ExpectedArrival(IncomeKind.Zorgtoeslag, new YearMonth(2026, 8), Policy.Default).Should().Be(new LocalDate(2026, 7, 20));

    [Test]
    public void An_advance_due_on_a_weekend_is_expected_the_next_dutch_working_day() =>
        ToeslagWatch.ExpectedArrival(IncomeKind.Huurtoeslag, new YearMonth(2026, 10), Policy.Default).Should().Be(new LocalDate(2026, 9, 21));

    [Test]
    public void Kinderbijslag_is_expected_on_the_first_working_day_after_its_quarter() =>
        ToeslagWatch.ExpectedArrival(IncomeKind.Kinderbijslag, new YearMonth(2026, 2), Policy.Default).Should().Be(new LocalDate(2026, 4, 1));

    [Test]
    public void A_stream_without_application_is_not_applied() =>
        ToeslagWatch.Status(Stream with { AppliedOn = null }, [], new LocalDate(2026, 5, 1), Policy.Default).Should().Be(ToeslagStatus.NotApplied);

    [Test]
    public void An_application_without_payment_is_applied_until_13_weeks_have_passed()
    {
        ToeslagWatch.Status(Stream, [], new LocalDate(2026, 7, 2), Policy.Default).Should().Be(ToeslagStatus.Applied);
        ToeslagWatch.Status(Stream, [], new LocalDate(2026, 7, 3), Policy.Default).Should().Be(ToeslagStatus.DecisionOverdue);
    }

    [Test]
    public void A_first_receipt_means_awarded()
    {
        var receipt = new Receipt(IncomeKind.Zorgtoeslag, Euros(516), new LocalDate(2026, 6, 22), new YearMonth(2026, 4), new YearMonth(2026, 7), null);

        ToeslagWatch.Status(Stream, [receipt], new LocalDate(2026, 6, 25), Policy.Default).Should().Be(ToeslagStatus.Awarded);
    }

    [Test]
    public void A_month_still_uncovered_five_working_days_after_its_expected_arrival_is_overdue()
    {
        var receipt = new Receipt(IncomeKind.Zorgtoeslag, Euros(516), new LocalDate(2026, 6, 22), new YearMonth(2026, 4), new YearMonth(2026, 7), null);

        // August's advance is expected on 20 July; five working days later is 27 July.
        ToeslagWatch.Status(Stream, [receipt], new LocalDate(2026, 7, 24), Policy.Default).Should().Be(ToeslagStatus.Awarded);
        ToeslagWatch.Status(Stream, [receipt], new LocalDate(2026, 7, 27), Policy.Default).Should().Be(ToeslagStatus.Overdue);
    }

    [TestCase(14, "2026-04", TestName = "A line received before the 15th covers its own month")]
    [TestCase(15, "2026-05", TestName = "A line received on or after the 15th covers the next month")]
    public void A_receipt_without_a_stated_range_covers_a_default_month(int day, string expected) =>
        Receipt.DefaultCoverage(new LocalDate(2026, 4, day)).ToString("yyyy-MM", null).Should().Be(expected);
}
