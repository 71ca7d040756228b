using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Households;
using static Ontzorging.Domain.Tests.TestData;

namespace Ontzorging.Domain.Tests.Batches;

public sealed class ExecutionDatesTests
{
    [TestCase("2026-04-01", "2026-03-24", "2026-03-31", TestName = "April rent leaves on the last business day before the 1st")]
    [TestCase("2026-08-01", "2026-07-24", "2026-07-31", TestName = "A due date on Saturday leaves on Friday")]
    [TestCase("2026-06-28", "2026-05-24", "2026-06-26", TestName = "A due date on Sunday leaves on Friday")]
    [TestCase("2026-04-07", "2026-03-24", "2026-04-02", TestName = "Before the Tuesday after Easter: Good Friday and Easter Monday are closed")]
    [TestCase("2026-03-25", "2026-03-24", "2026-03-25", TestName = "Never before the first business day after the preparation day")]
    public void Installments_leave_on_the_last_business_day_before_they_are_due(string due, string prepared, string expected) =>
        ExecutionDates.ForInstallment(LocalDate(due), LocalDate(prepared)).Should().Be(LocalDate(expected));

    [TestCase(2026, 5, "2026-04-01", "2026-05-04", TestName = "May leefgeld moves past the closed 1 May and the weekend")]
    [TestCase(2026, 4, "2026-04-15", "2026-04-15", TestName = "The first month's leefgeld is paid from the period start")]
    public void Monthly_leefgeld_is_paid_on_the_first_business_day(int year, int month, string start, string expected) =>
        ExecutionDates.ForMonthlyLeefgeld(new YearMonth(year, month), Period(LocalDate(start))).Should().Be(LocalDate(expected));

    [Test]
    public void Weekly_leefgeld_is_paid_on_the_mondays_inside_the_period() =>
        ExecutionDates.ForWeeklyLeefgeld(new YearMonth(2026, 4), Period(new LocalDate(2026, 4, 15)))
            .Should().Equal(new LocalDate(2026, 4, 20), new LocalDate(2026, 4, 27));

    [Test]
    public void A_closed_monday_moves_to_the_next_business_day() =>
        ExecutionDates.ForWeeklyLeefgeld(new YearMonth(2026, 4), Period(new LocalDate(2026, 4, 1)))
            .Should().StartWith(new LocalDate(2026, 4, 7), "Easter Monday 6 April is closed");

    [Test]
    public void A_closed_monday_at_the_end_of_the_month_moves_back_into_the_month()
    {
        // 2029-12-31 is a Monday and the next business day, 2 January, lies in another month.
        var dates = ExecutionDates.ForWeeklyLeefgeld(new YearMonth(2029, 12), Period(new LocalDate(2029, 10, 1)));

        dates.Should().NotContain(d => d.Month != 12);
    }

    [Test]
    public void Weekly_shares_are_floored_and_the_last_payment_gets_the_rest()
    {
        var payments = ExecutionDates.SplitLeefgeld(Euros(346.67m), new YearMonth(2026, 6), Period(new LocalDate(2026, 4, 15)), LeefgeldFrequency.Weekly);

        payments.Select(p => p.Amount).Should().Equal(Euros(69.33m), Euros(69.33m), Euros(69.33m), Euros(69.33m), Euros(69.35m));
    }

    [Test]
    public void A_weekly_household_without_a_monday_in_the_period_is_paid_monthly()
    {
        var period = Period(new LocalDate(2026, 4, 1), new LocalDate(2026, 9, 1));

        var payments = ExecutionDates.SplitLeefgeld(Euros(100), new YearMonth(2026, 9), period, LeefgeldFrequency.Weekly);

        payments.Should().Equal((new LocalDate(2026, 9, 1), Euros(100)));
    }

    [Test]
    public void No_payment_of_zero_is_ever_planned() =>
        ExecutionDates.SplitLeefgeld(Money.Zero, new YearMonth(2026, 6), Period(new LocalDate(2026, 4, 1)), LeefgeldFrequency.Monthly).Should().BeEmpty();

    private static LocalDate LocalDate(string text) => NodaTime.Text.LocalDatePattern.Iso.Parse(text).Value;
}

public sealed class PaymentKeyTests
{
    [Test]
    public void Leefgeld_of_two_months_leaving_on_the_same_day_gets_two_keys()
    {
        // A period starting on Sunday 31 May 2026: May's one-day leefgeld leaves on Monday 1 June, as June's does.
        var period = TestData.Period(new LocalDate(2026, 5, 31));
        var may = ExecutionDates.ForMonthlyLeefgeld(new YearMonth(2026, 5), period);
        var june = ExecutionDates.ForMonthlyLeefgeld(new YearMonth(2026, 6), period);

        may.Should().Be(june);
        new PaymentKey("HH-1", PaymentKey.LeefgeldObligation(new YearMonth(2026, 5)), may, 1).EndToEndId
            .Should().NotBe(new PaymentKey("HH-1", PaymentKey.LeefgeldObligation(new YearMonth(2026, 6)), june, 1).EndToEndId);
    }

    [Test]
    public void The_longest_key_fits_the_35_characters_of_an_end_to_end_id() =>
        new PaymentKey("HH-ABCDEFGHIJKLM", PaymentKey.ContractObligation(9_999_999), new LocalDate(2026, 12, 31), 99).EndToEndId.Length.Should().BeLessThanOrEqualTo(35);
}

public sealed class PaymentKeyRecognitionTests
{
    [TestCase("Naam: Vitens Omschrijving: water Kenmerk: HH-0015/C11/261101/1 Valutadatum", "HH-0015/C11/261101/1", TestName = "An EndToEndId echoed in a bank description is found")]
    [TestCase("Leefgeld HH-0001/LG2606/260601/2", "HH-0001/LG2606/260601/2", TestName = "A leefgeld key with a later attempt is found")]
    [TestCase("Betaling huur juni 2026", null, TestName = "A description without our key yields none")]
    public void Our_end_to_end_id_is_recognised_in_text(string text, string? expected) =>
        PaymentKey.FindIn(text).Should().Be(expected);

    [Test]
    public void Every_key_we_make_is_recognised_again() =>
        PaymentKey.FindIn($"ref {new PaymentKey("HH-0001", PaymentKey.ContractObligation(12), new LocalDate(2026, 4, 1), 1).EndToEndId} end").Should().Be("HH-0001/C12/260401/1");

    [Test]
    public void A_key_reads_back_from_its_end_to_end_id_and_a_resend_differs_only_in_the_attempt()
    {
        var key = new PaymentKey("HH-0001", PaymentKey.LeefgeldObligation(new YearMonth(2026, 6)), new LocalDate(2026, 6, 8), 1);

        var parsed = PaymentKey.Parse(key.EndToEndId);

        parsed.Should().Be(key);
        (parsed! with { Attempt = 2 }).EndToEndId.Should().Be("HH-0001/LG2606/260608/2");
        PaymentKey.Parse("HH-0001/LG2606/260608/1 and more").Should().BeNull();
        PaymentKey.Parse("HH-0001/C12/261332/1").Should().BeNull("there is no 32nd of a 13th month");
    }
}
