using CsCheck;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;
using Ontzorging.Domain.Signals;

namespace Ontzorging.Domain.Tests.Signals;

/// <summary>The money signals' rule (docs/rules.md §18), without a database.</summary>
public sealed class MoneySignalRulesTests
{
    private static readonly Policy Policy = Policy.Default;
    private static readonly SignalTolerances Tolerances = new();
    private static readonly OntzorgingPeriod Period = OntzorgingPeriod.Derive(new LocalDate(2026, 3, 1), [], new LocalDate(2026, 3, 1), Policy);

    private static IncomeStream Huurtoeslag(LocalDate? applied = null) =>
        new(IncomeKind.Huurtoeslag, Money.FromEuros(420m), new YearMonth(2026, 3), null, true, applied ?? new LocalDate(2026, 3, 6));

    private static Receipt Paid(decimal amount, LocalDate on, int from, int to) => new(IncomeKind.Huurtoeslag, Money.FromEuros(amount), on, new YearMonth(2026, from), new YearMonth(2026, to), null);

    [Test]
    public void A_toeslag_not_yet_awarded_is_expected_after_its_decision_deadline_and_missing_five_working_days_later()
    {
        MoneySignalRules.ForStream(Huurtoeslag(), [], Period, new LocalDate(2026, 6, 26), Tolerances, Policy).Should().BeEmpty("22 June plus five working days is 29 June");

        var missing = MoneySignalRules.ForStream(Huurtoeslag(), [], Period, new LocalDate(2026, 6, 29), Tolerances, Policy);

        missing.Select(f => (f.Kind, f.Key.Month, f.ExpectedOn)).Should().Equal(Enumerable.Range(3, 5)
            .Select(m => (SignalKind.Missing, new YearMonth(2026, m), (LocalDate?)new LocalDate(2026, 6, 22))));
    }

    [Test]
    public void A_toeslag_never_applied_for_and_bijstand_are_never_missing()
    {
        var notApplied = Huurtoeslag() with { AppliedOn = null };
        MoneySignalRules.ForStream(notApplied, [], Period, new LocalDate(2026, 12, 1), Tolerances, Policy).Should().BeEmpty();
        var bijstand = new IncomeStream(IncomeKind.Bijstand, Money.FromEuros(1300m), new YearMonth(2026, 3), null, true, null);
        MoneySignalRules.ForStream(bijstand, [], Period, new LocalDate(2026, 12, 1), Tolerances, Policy).Should().BeEmpty();
    }

    [Test]
    public void Only_months_the_period_touches_are_watched()
    {
        var findings = MoneySignalRules.ForStream(Huurtoeslag(), [], Period, new LocalDate(2026, 12, 1), Tolerances, Policy);

        findings.Select(f => f.Key.Month).Should().OnlyContain(m => Period.Touches(m));
        findings.Should().HaveCount(6, "March to August");
    }

    [Test]
    public void A_back_payment_is_shared_over_its_months_and_a_receipt_at_80_percent_differs()
    {
        var today = new LocalDate(2026, 8, 1);
        var receipts = new[] { Paid(2100m, new LocalDate(2026, 6, 22), 3, 7), Paid(336m, new LocalDate(2026, 7, 20), 8, 8) };

        var findings = MoneySignalRules.ForStream(Huurtoeslag(), receipts, Period, today, Tolerances, Policy);

        findings.Should().ContainSingle().Which.Should().Be(new SignalFinding(new SignalKey(SignalKind.UnexpectedAmount, "huurtoeslag", new YearMonth(2026, 8)),
            Money.FromEuros(420m), new LocalDate(2026, 7, 20), Money.FromEuros(336m), new LocalDate(2026, 7, 20)));
    }

    [TestCase("412.00", false, TestName = "An amount within 2 % of the expected is no signal")]
    [TestCase("411.59", true, TestName = "An amount more than 2 % off is a signal")]
    public void The_tolerance_is_the_larger_of_one_euro_and_two_percent(string amount, bool differs) =>
        Tolerances.Differs(Money.FromEuros(420m), Money.Parse(amount).Value).Should().Be(differs);

    [Test]
    public void Two_receipts_for_one_month_are_several()
    {
        var receipts = new[] { Paid(420m, new LocalDate(2026, 7, 20), 8, 8), Paid(420m, new LocalDate(2026, 7, 21), 8, 8) };

        var finding = MoneySignalRules.ForStream(Huurtoeslag() with { AppliedOn = new LocalDate(2026, 1, 1) }, receipts, Period, new LocalDate(2026, 7, 22), Tolerances, Policy)
            .Single(f => f.Key.Month == new YearMonth(2026, 8));

        (finding.Kind, finding.Actual, finding.Detail).Should().Be((SignalKind.Several, (Money?)Money.FromEuros(840m), "2"));
    }

    [Test]
    public void A_returned_payment_is_signalled_with_the_banks_reason_until_its_resend_settles()
    {
        var payment = new PaymentFacts("HH-0002/C5/260801/1", "rent", Money.FromEuros(890m), new LocalDate(2026, 7, 31), new LocalDate(2026, 7, 31), new LocalDate(2026, 8, 12), "AC04", false, []);

        var returned = MoneySignalRules.ForPayment(payment, new LocalDate(2026, 8, 12), Tolerances).Single();

        (returned.Kind, returned.Detail, returned.ActualOn).Should().Be((SignalKind.Returned, "AC04", (LocalDate?)new LocalDate(2026, 8, 12)));
        MoneySignalRules.ForPayment(payment, new LocalDate(2026, 8, 11), Tolerances).Should().BeEmpty("not yet returned that day");
        MoneySignalRules.ForPayment(payment with { ResendSettled = true }, new LocalDate(2026, 9, 1), Tolerances).Should().BeEmpty();
    }

    [Test]
    public void A_second_line_of_the_same_amount_is_a_payment_settled_twice_and_another_amount_differs()
    {
        var payment = new PaymentFacts("E2E", "energy", Money.FromEuros(140m), new LocalDate(2026, 7, 15), new LocalDate(2026, 7, 15), null, null, false,
            [new StrayLine(Money.FromEuros(140m), new LocalDate(2026, 7, 15)), new StrayLine(Money.FromEuros(150m), new LocalDate(2026, 7, 16))]);

        MoneySignalRules.ForPayment(payment, new LocalDate(2026, 7, 20), Tolerances).Select(f => (f.Kind, f.Actual)).Should().BeEquivalentTo([
            (SignalKind.Several, (Money?)Money.FromEuros(280m)), (SignalKind.UnexpectedAmount, (Money?)Money.FromEuros(150m))]);
    }

    [Test]
    public void Shortage_signals_follow_the_worklists_reasons()
    {
        var batch = new LastBatchFacts(new YearMonth(2026, 6), new LocalDate(2026, 5, 24), Money.FromEuros(100m), Money.FromEuros(173.33m));
        var arrear = new ArrearFacts("arrear:7", "rent", Money.FromEuros(890m), new LocalDate(2026, 6, 1));

        MoneySignalRules.ForShortage([AttentionReason.OpenArrears, AttentionReason.CreditNearCap, AttentionReason.LeefgeldBelowMinimum], [arrear],
            Money.FromEuros(1000m), Money.FromEuros(1000m), batch, new LocalDate(2026, 6, 2)).Select(f => f.Key).Should().Equal(
            new SignalKey(SignalKind.Shortage, "arrear:7", new YearMonth(2026, 6)),
            new SignalKey(SignalKind.Shortage, MoneySignalRules.CreditCapSubject, new YearMonth(2026, 6)),
            new SignalKey(SignalKind.Shortage, MoneySignalRules.LeefgeldSubject, new YearMonth(2026, 6)));
        MoneySignalRules.ForShortage([], [arrear], Money.Zero, Money.FromEuros(1000m), batch, new LocalDate(2026, 6, 2)).Should().BeEmpty();
    }

    [Test]
    public void Reconciling_adds_the_new_updates_the_changed_resolves_the_gone_and_leaves_suppressed_ones()
    {
        var day = new LocalDate(2026, 7, 1);
        SignalKey Key(int month) => new(SignalKind.Missing, "huurtoeslag", new YearMonth(2026, month));
        var stored = new[]
        {
            new StoredSignal(Key(3), SignalStatus.Open, day.PlusDays(-3), null, null, null),
            new StoredSignal(Key(4), SignalStatus.Open, day.PlusDays(-3), null, null, null),
            new StoredSignal(Key(5), SignalStatus.Suppressed, day.PlusDays(-3), null, null, null),
            new StoredSignal(Key(9), SignalStatus.Open, day.PlusDays(5), null, null, null),
        };
        var found = new[]
        {
            new SignalFinding(Key(3), Money.FromEuros(420m), day, null, null),
            new SignalFinding(Key(6), Money.FromEuros(420m), day, null, null),
        };

        var changes = MoneySignalRules.Reconcile(stored, found, day);

        changes.Added.Select(a => a.Key).Should().Equal(Key(6));
        changes.Updated.Should().BeEmpty();
        changes.Resolved.Should().Equal([Key(4)], "a signal first seen after the day is not resolved by it; a suppressed one stays suppressed");
    }

    [Test]
    public void Running_the_same_facts_twice_changes_nothing_the_second_time()
    {
        var gen = Gen.Select(Gen.Int[0, 6], Gen.Int[0, 150], Gen.Int[0, 4], (receipts, percent, late) => (receipts, percent, late));
        gen.Sample(t =>
        {
            var today = new LocalDate(2026, 9, 1);
            var receipts = Enumerable.Range(0, t.receipts)
                .Select(i => Paid(420m * t.percent / 100m, new LocalDate(2026, 6, 22).PlusWeeks(i + t.late), 3 + i, 3 + i)).ToList();
            var found = MoneySignalRules.ForStream(Huurtoeslag(), receipts, Period, today, Tolerances, Policy);
            var first = MoneySignalRules.Reconcile([], found, today);
            var stored = first.Added.Select(f => new StoredSignal(f.Key, SignalStatus.Open, today, f.Actual, f.ActualOn, f.Detail)).ToList();

            var second = MoneySignalRules.Reconcile(stored, found, today);

            second.Added.Should().BeEmpty();
            second.Updated.Should().BeEmpty();
            second.Resolved.Should().BeEmpty();
            // No missing signal before its date; a draw with no signals at all holds too (OnlyContain refuses an empty collection).
            found.Where(f => f.Kind == SignalKind.Missing && f.ExpectedOn!.Value >= today).Should().BeEmpty();
        });
    }
}
