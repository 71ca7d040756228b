using NodaTime;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;

namespace Ontzorging.Domain.Tests.Households;

/// <summary>docs/rules.md §15: why a household needs attention, and in which order the worklist shows it.</summary>
public sealed class AttentionTests
{
    private static readonly LocalDate Today = new(2026, 9, 1);

    private static AttentionFacts Quiet(LocalDate? end = null) => new(
        [ToeslagStatus.Awarded], Money.Zero, Money.Zero, Money.FromEuros(1000m), false,
        new OntzorgingPeriod(new LocalDate(2026, 4, 1), end ?? new LocalDate(2026, 12, 1), 0, null, null), "in_progress");

    [Test]
    public void A_household_with_nothing_wrong_needs_no_attention_and_comes_after_every_other()
    {
        var reasons = Attention.Reasons(Quiet(), Today);

        reasons.Should().BeEmpty();
        Attention.Rank(reasons).Should().BeGreaterThan(Attention.Rank([AttentionReason.NotReady]));
    }

    [Test]
    public void Every_reason_is_found_and_the_most_urgent_ranks_the_household()
    {
        var facts = Quiet(Today.PlusDays(30)) with
        {
            Toeslagen = [ToeslagStatus.Overdue, ToeslagStatus.DecisionOverdue],
            OpenArrears = Money.FromEuros(12.50m),
            CreditOutstanding = Money.FromEuros(900m),
            LeefgeldBelowMinimumInLastBatch = true,
            Verdict = "not_ready",
            ForecastAtRisk = true,
            OpenSignals = Enum.GetValues<Ontzorging.Domain.Signals.SignalKind>(),
        };

        var reasons = Attention.Reasons(facts, Today);

        reasons.Should().Equal(Enum.GetValues<AttentionReason>());
        Attention.Rank(reasons).Should().Be((int)AttentionReason.ForecastAtRisk, "a warning before the money runs short ranks first (rules §15)");
    }

    [TestCase("899.99", false, TestName = "Credit with more than a tenth of its cap left is not near its cap")]
    [TestCase("900.00", true, TestName = "Credit with exactly a tenth of its cap left is near its cap")]
    [TestCase("1000.00", true, TestName = "Credit at its cap is near its cap")]
    public void Credit_near_its_cap(string outstanding, bool near)
    {
        var facts = Quiet() with { CreditOutstanding = Money.Parse(outstanding).Value };

        Attention.Reasons(facts, Today).Contains(AttentionReason.CreditNearCap).Should().Be(near);
    }

    [TestCase(30, true, TestName = "A period ending in 30 days is ending soon")]
    [TestCase(31, false, TestName = "A period ending in 31 days is not ending soon")]
    public void Period_ending_soon(int days, bool soon)
    {
        Attention.Reasons(Quiet(Today.PlusDays(days)), Today).Contains(AttentionReason.PeriodEndingSoon).Should().Be(soon);
    }

    [Test]
    public void After_the_period_toeslagen_and_leefgeld_no_longer_call_for_attention_but_money_still_owed_does()
    {
        var facts = Quiet(Today.PlusDays(-1)) with
        {
            Toeslagen = [ToeslagStatus.Overdue, ToeslagStatus.DecisionOverdue],
            OpenArrears = Money.FromEuros(5m),
            CreditOutstanding = Money.FromEuros(950m),
            LeefgeldBelowMinimumInLastBatch = true,
        };

        Attention.Reasons(facts, Today).Should().Equal(AttentionReason.OpenArrears, AttentionReason.CreditNearCap);
    }

    [Test]
    public void An_ended_period_is_not_ending_soon()
    {
        Attention.Reasons(Quiet(Today.PlusDays(-1)), Today).Should().NotContain(AttentionReason.PeriodEndingSoon);
    }
}
