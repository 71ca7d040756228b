using Ontzorging.Domain.Calendars;

namespace Ontzorging.Domain.Tests.Calendars;

public sealed class CalendarTests
{
    [TestCase(2000, 4, 23)]
    [TestCase(2008, 3, 23, TestName = "Early Easter 2008")]
    [TestCase(2011, 4, 24, TestName = "Late Easter 2011")]
    [TestCase(2026, 4, 5)]
    [TestCase(2038, 4, 25, TestName = "Latest possible Easter, 25 April")]
    [TestCase(2100, 3, 28)]
    public void Easter_sunday_is_computed(int year, int month, int day) =>
        Easter.Sunday(year).Should().Be(new LocalDate(year, month, day));

    [TestCase(2026, 4, 3, TestName = "Good Friday is closed for TARGET")]
    [TestCase(2026, 4, 6, TestName = "Easter Monday is closed for TARGET")]
    [TestCase(2026, 5, 1, TestName = "1 May is closed for TARGET")]
    [TestCase(2026, 12, 25)]
    [TestCase(2026, 12, 26)]
    [TestCase(2027, 1, 1)]
    [TestCase(2026, 4, 4, TestName = "A Saturday is closed")]
    public void Target_is_closed_on(int year, int month, int day) =>
        TargetCalendar.Instance.IsOpen(new LocalDate(year, month, day)).Should().BeFalse();

    [TestCase(2026, 4, 27, TestName = "King's Day is open for TARGET")]
    [TestCase(2026, 5, 14, TestName = "Ascension Day is open for TARGET")]
    [TestCase(2026, 5, 25, TestName = "Whit Monday is open for TARGET")]
    public void Target_is_open_on(int year, int month, int day) =>
        TargetCalendar.Instance.IsOpen(new LocalDate(year, month, day)).Should().BeTrue();

    [TestCase(2026, 4, 6, TestName = "Easter Monday is no Dutch working day")]
    [TestCase(2026, 4, 27, TestName = "King's Day 2026 is no Dutch working day")]
    [TestCase(2026, 5, 14, TestName = "Ascension Day is no Dutch working day")]
    [TestCase(2026, 5, 25, TestName = "Whit Monday is no Dutch working day")]
    [TestCase(2026, 1, 1)]
    [TestCase(2026, 12, 25)]
    [TestCase(2026, 12, 26)]
    [TestCase(2031, 4, 26, TestName = "King's Day moves to the 26th when the 27th is a Sunday (2031)")]
    [TestCase(2008, 4, 30, TestName = "Before 2014 the national day was Queen's Day, 30 April")]
    public void Dutch_working_days_exclude(int year, int month, int day) =>
        DutchWorkingDays.Instance.IsOpen(new LocalDate(year, month, day)).Should().BeFalse();

    [TestCase(2026, 4, 3, TestName = "Good Friday is a Dutch working day")]
    [TestCase(2026, 5, 5, TestName = "5 May is a Dutch working day")]
    [TestCase(2026, 5, 1, TestName = "1 May is a Dutch working day")]
    [TestCase(2025, 4, 28, TestName = "The Monday after a Sunday 27 April is a working day (2025)")]
    public void Dutch_working_days_include(int year, int month, int day) =>
        DutchWorkingDays.Instance.IsOpen(new LocalDate(year, month, day)).Should().BeTrue();

    [Test]
    public void King_s_day_falls_on_saturday_26_april_when_the_27th_is_a_sunday() =>
        DutchWorkingDays.NationalDay(2025).Should().Be(new LocalDate(2025, 4, 26));

    [Test]
    public void The_next_open_day_after_easter_weekend_skips_good_friday_and_easter_monday() =>
        TargetCalendar.Instance.OpenAfter(new LocalDate(2026, 4, 2)).Should().Be(new LocalDate(2026, 4, 7));

    [Test]
    public void Years_outside_2000_to_2100_are_refused()
    {
        var act = () => TargetCalendar.Instance.IsOpen(new LocalDate(2101, 1, 3));

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*2000 to 2100*");
    }
}
