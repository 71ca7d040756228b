namespace Ontzorging.Domain.Households;

/// <summary>What makes a decision complete (docs/rules.md §12 events), for every way one is recorded.</summary>
public static class DecisionRules
{
    /// <summary>The reason a decision cannot be recorded, or null when it can.</summary>
    public static string? Problem(Decision decision) => decision.Kind switch
    {
        DecisionKind.Extension when decision.Months is not (>= 1 and <= 12) => "an extension is 1 to 12 whole months",
        DecisionKind.BijstandEnd when decision.LastDay is null => "a bijstand end needs the last day of bijstand",
        DecisionKind.ZrmScore when decision.Score is not (>= 1 and <= 5) => "a ZRM score is 1 to 5",
        DecisionKind.OptOut when string.IsNullOrWhiteSpace(decision.Reason) => "an opt-out needs a reason",
        DecisionKind.TrainingCompleted when string.IsNullOrWhiteSpace(decision.Reason) => "a completed training needs the course name",
        DecisionKind.WriteOff when string.IsNullOrWhiteSpace(decision.Reason) => "a write-off needs a reason",
        DecisionKind.WriteOff when decision.Amount is { IsPositive: false } => "a write-off amount must be positive (or 'all')",
        _ when string.IsNullOrWhiteSpace(decision.RecordedBy) => "who recorded the decision is required",
        _ => null,
    };
}
