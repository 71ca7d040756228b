using NodaTime;
using Ontzorging.Domain.Income;
using Ontzorging.Domain.Signals;

namespace Ontzorging.Domain.Households;

/// <summary>
/// Why a household needs a caseworker's attention, most urgent first (docs/rules.md §15). The
/// order is the worklist's order: a household is ranked by its most urgent reason.
/// </summary>
public enum AttentionReason
{
    /// <summary>The expected forecast shows a month at risk soon (rules §16): the only reason that warns before the money runs short.</summary>
    ForecastAtRisk,

    /// <summary>A payment came back (rules §18): a creditor or the household is unpaid now.</summary>
    PaymentReturned,
    ToeslagOverdue,

    /// <summary>An expected receipt has not arrived within its tolerance (rules §18).</summary>
    PaymentMissing,
    ToeslagDecisionOverdue,
    OpenArrears,

    /// <summary>A receipt or a settlement differs from what was expected beyond the tolerance (rules §18).</summary>
    AmountUnexpected,

    /// <summary>Several receipts of one stream for one month, or a payment settled twice (rules §18).</summary>
    PaymentsSeveral,
    CreditNearCap,
    LeefgeldBelowMinimum,
    PeriodEndingSoon,
    NotReady,
}

/// <summary>What the worklist knows of one household on one day.</summary>
public sealed record AttentionFacts(
    IReadOnlyCollection<ToeslagStatus> Toeslagen,
    Money OpenArrears,
    Money CreditOutstanding,
    Money CreditCap,
    bool LeefgeldBelowMinimumInLastBatch,
    OntzorgingPeriod Period,
    string? Verdict,
    bool ForecastAtRisk = false,
    IReadOnlyCollection<SignalKind>? OpenSignals = null);

public static class Attention
{
    /// <summary>Credit counts as near its cap when less than this share of the cap is left.</summary>
    public const decimal CreditNearCapShare = 0.10m;

    /// <summary>A period counts as ending soon when it ends within this many days.</summary>
    public const int PeriodEndingDays = 30;

    public static IReadOnlyList<AttentionReason> Reasons(AttentionFacts facts, LocalDate today)
    {
        var reasons = new List<AttentionReason>();
        // Counts after the period too: a month at risk then is an arrear still to pay.
        if (facts.ForecastAtRisk)
        {
            reasons.Add(AttentionReason.ForecastAtRisk);
        }

        var signals = facts.OpenSignals ?? [];
        if (signals.Contains(SignalKind.Returned))
        {
            reasons.Add(AttentionReason.PaymentReturned);
        }

        var active = facts.Period.Contains(today);
        // Toeslagen and leefgeld are the municipality's to watch only while it manages the money.
        if (active && facts.Toeslagen.Contains(ToeslagStatus.Overdue))
        {
            reasons.Add(AttentionReason.ToeslagOverdue);
        }

        if (signals.Contains(SignalKind.Missing))
        {
            reasons.Add(AttentionReason.PaymentMissing);
        }

        if (active && facts.Toeslagen.Contains(ToeslagStatus.DecisionOverdue))
        {
            reasons.Add(AttentionReason.ToeslagDecisionOverdue);
        }

        if (facts.OpenArrears > Money.Zero)
        {
            reasons.Add(AttentionReason.OpenArrears);
        }

        if (signals.Contains(SignalKind.UnexpectedAmount))
        {
            reasons.Add(AttentionReason.AmountUnexpected);
        }

        if (signals.Contains(SignalKind.Several))
        {
            reasons.Add(AttentionReason.PaymentsSeveral);
        }

        if (facts.CreditCap > Money.Zero && facts.CreditOutstanding > Money.Zero
            && facts.CreditCap.ToDecimal() - facts.CreditOutstanding.ToDecimal() <= facts.CreditCap.ToDecimal() * CreditNearCapShare)
        {
            reasons.Add(AttentionReason.CreditNearCap);
        }

        if (active && facts.LeefgeldBelowMinimumInLastBatch)
        {
            reasons.Add(AttentionReason.LeefgeldBelowMinimum);
        }

        if (active && facts.Period.End <= today.PlusDays(PeriodEndingDays))
        {
            reasons.Add(AttentionReason.PeriodEndingSoon);
        }

        if (facts.Verdict == "not_ready")
        {
            reasons.Add(AttentionReason.NotReady);
        }

        return reasons;
    }

    /// <summary>The worklist rank: the most urgent reason's place, after all of them when there is none.</summary>
    public static int Rank(IReadOnlyList<AttentionReason> reasons) =>
        reasons.Count == 0 ? Enum.GetValues<AttentionReason>().Length : reasons.Min(r => (int)r);
}
