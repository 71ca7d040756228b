namespace Ontzorging.Domain.Households;

/// <summary>What makes a decision complete (docs/rules.md §12 events), for every way one is recorded.</summary>
public static class DecisionRules
{
    /// <summary>The longest reason a decision keeps (docs/rules.md §10).</summary>
    public const int MaxReasonCharacters = TextRules.MaxReasonLength;

    /// <summary>
    /// Why a decision cannot be recorded, with the field it concerns ("months", "last_day", "score",
    /// "reason", "amount", "date" or "kind"), so a form can say it next to that field; null when it can.
    /// </summary>
    public static Refusal? Refusal(Decision decision) => decision.Kind switch
    {
        _ when !SaneDates.Contains(decision.Date) => Of(RefusalCode.DateOutOfRange, "date"),
        DecisionKind.Extension when decision.Months is not (>= 1 and <= 12) => Of(RefusalCode.ExtensionMonths, "months"),
        DecisionKind.BijstandEnd when decision.LastDay is null => Of(RefusalCode.LastDayMissing, "last_day"),
        DecisionKind.BijstandEnd when !SaneDates.Contains(decision.LastDay!.Value) => Of(RefusalCode.LastDayOutOfRange, "last_day"),
        DecisionKind.ZrmScore when decision.Score is not (>= 1 and <= 5) => Of(RefusalCode.ScoreOutOfRange, "score"),
        DecisionKind.OptOut when string.IsNullOrWhiteSpace(decision.Reason) => Of(RefusalCode.OptOutNeedsReason, "reason"),
        DecisionKind.TrainingCompleted when string.IsNullOrWhiteSpace(decision.Reason) => Of(RefusalCode.TrainingNeedsCourse, "reason"),
        DecisionKind.WriteOff when string.IsNullOrWhiteSpace(decision.Reason) => Of(RefusalCode.WriteOffNeedsReason, "reason"),
        DecisionKind.WriteOff when decision.Amount is { IsPositive: false } => Of(RefusalCode.WriteOffNotPositive, "amount"),
        _ when decision.Reason is { } reason && TextRules.ReasonRefusal(reason, MaxReasonCharacters) is { } text => text,
        _ when string.IsNullOrWhiteSpace(decision.RecordedBy) => Of(RefusalCode.RecorderMissing, "recorded_by"),
        _ => null,
    };

    /// <summary>A write-off of more than the credit outstanding is refused; <c>all</c> never is.</summary>
    public static Refusal? WriteOffRefusal(Money? amount, Money outstanding) =>
        amount is { } requested && requested > outstanding
            ? Domain.Refusal.Of(RefusalCode.WriteOffExceedsCredit, "amount", ("amount", requested), ("outstanding", outstanding))
            : null;

    private static Refusal Of(RefusalCode code, string field) => Domain.Refusal.Of(code, field);
}
