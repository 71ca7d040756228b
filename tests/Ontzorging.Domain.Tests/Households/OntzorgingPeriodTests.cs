using Ontzorging.Domain.Households;

namespace Ontzorging.Domain.Tests.Households;

public sealed class OntzorgingPeriodTests
{
    private static readonly LocalDate AsOf = new(2030, 1, 1);

    [Test]
    public void Six_months_from_31_march_end_on_30_september() =>
        Derive(new LocalDate(2026, 3, 31)).End.Should().Be(new LocalDate(2026, 9, 30));

    [Test]
    public void An_extension_is_counted_from_the_start_so_31_march_plus_7_months_is_31_october() =>
        Derive(new LocalDate(2026, 3, 31), Extension(1, new LocalDate(2026, 9, 1))).End.Should().Be(new LocalDate(2026, 10, 31));

    [TestCase("2026-12-04", "2027-01-01", "2027-03-01", TestName = "An extension recorded after the end counts from the next month not yet prepared (recorded 4 December: January and February)")]
    [TestCase("2026-12-24", "2027-01-01", "2027-03-01", TestName = "An extension recorded on a preparation day counts from the month prepared that day")]
    [TestCase("2026-12-25", "2027-02-01", "2027-04-01", TestName = "An extension recorded after a preparation day counts from the month after the one prepared")]
    [TestCase("2026-09-01", "2026-10-01", "2026-12-01", TestName = "An extension recorded on the end day itself counts from the next month not yet prepared")]
    public void An_extension_after_the_end_restarts_the_period_from_the_next_month_not_yet_prepared(string recorded, string restart, string end)
    {
        var start = new LocalDate(2026, 3, 1);
        var period = Derive(start, Extension(2, Date(recorded)));

        period.End.Should().Be(Date(end), "the two months come after {0}, the first month not yet prepared", restart);
        period.DaysInside(Date(restart).ToYearMonth()).Should().BeGreaterThan(0);
        period.Touches(Date(restart).PlusMonths(-1).ToYearMonth()).Should().BeFalse("the month before the restart was prepared as after the end: it stays outside");
        period.Contains(new LocalDate(2026, 9, 1)).Should().BeFalse("September lies between the end and the restart");
    }

    [Test]
    public void An_extension_dated_after_the_months_first_preparation_day_but_before_the_end_restarts_too()
    {
        // Ends 1 September; September was prepared on 24 August; an extension dated 25 August can no
        // longer give September, so its two months are October and November.
        var period = Derive(new LocalDate(2026, 3, 1), Extension(2, new LocalDate(2026, 8, 25)));

        period.End.Should().Be(new LocalDate(2026, 12, 1));
        period.Touches(new YearMonth(2026, 9)).Should().BeFalse();
        period.Touches(new YearMonth(2026, 10)).Should().BeTrue();
    }

    [Test]
    public void An_extension_dated_before_the_preparation_of_the_month_it_adds_counts_from_the_start()
    {
        var period = Derive(new LocalDate(2026, 3, 1), Extension(2, new LocalDate(2026, 8, 24)));

        period.End.Should().Be(new LocalDate(2026, 11, 1));
        (period.GapFrom, period.GapTo).Should().Be(((LocalDate?)null, (LocalDate?)null));
    }

    [Test]
    public void An_extension_inside_a_restarted_period_adds_to_it()
    {
        var period = Derive(new LocalDate(2026, 3, 1), Extension(2, new LocalDate(2026, 12, 4)), Extension(1, new LocalDate(2027, 1, 10)));

        period.End.Should().Be(new LocalDate(2027, 4, 1));
        period.ExtensionMonths.Should().Be(3);
    }

    [Test]
    public void The_order_of_decisions_does_not_matter()
    {
        var start = new LocalDate(2026, 1, 31);
        Decision[] decisions = [Extension(2, new LocalDate(2026, 6, 1)), Extension(1, new LocalDate(2026, 5, 1)), BijstandEnd(new LocalDate(2026, 10, 15), new LocalDate(2026, 7, 1))];

        Derive(start, decisions).Should().Be(Derive(start, decisions.Reverse().ToArray()));
    }

    [Test]
    public void Bijstand_ending_early_ends_the_period_the_day_after_its_last_day() =>
        Derive(new LocalDate(2026, 4, 15), BijstandEnd(new LocalDate(2026, 8, 31), new LocalDate(2026, 8, 10))).End.Should().Be(new LocalDate(2026, 9, 1));

    [Test]
    public void An_opt_out_ends_the_period_on_its_date() =>
        Derive(new LocalDate(2026, 4, 1), new Decision(DecisionKind.OptOut, new LocalDate(2026, 6, 10), "cw", "maatwerk")).End.Should().Be(new LocalDate(2026, 6, 10));

    [Test]
    public void A_decision_dated_after_the_as_of_day_does_not_count_yet()
    {
        var period = OntzorgingPeriod.Derive(new LocalDate(2026, 4, 15), [BijstandEnd(new LocalDate(2026, 8, 31), new LocalDate(2026, 8, 10))], new LocalDate(2026, 7, 24), Policy.Default);

        period.End.Should().Be(new LocalDate(2026, 10, 15));
    }

    [Test]
    public void Days_inside_a_month_count_from_a_mid_month_start()
    {
        var period = Derive(new LocalDate(2026, 4, 15));

        period.DaysInside(new YearMonth(2026, 4)).Should().Be(16);
        period.DaysInside(new YearMonth(2026, 10)).Should().Be(14);
        period.IsAfterEnd(new YearMonth(2026, 10)).Should().BeFalse();
        period.IsAfterEnd(new YearMonth(2026, 11)).Should().BeTrue();
    }

    private static OntzorgingPeriod Derive(LocalDate start, params Decision[] decisions) =>
        OntzorgingPeriod.Derive(start, decisions, AsOf, Policy.Default);

    private static Decision Extension(int months, LocalDate on) => new(DecisionKind.Extension, on, "cw", "art. 57", Months: months);

    private static Decision BijstandEnd(LocalDate lastDay, LocalDate on) => new(DecisionKind.BijstandEnd, on, "cw", "work", LastDay: lastDay);

    private static LocalDate Date(string text) => NodaTime.Text.LocalDatePattern.Iso.Parse(text).Value;
}
