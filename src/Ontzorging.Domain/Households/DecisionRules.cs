namespace Ontzorging.Domain.Households;

/// <summary>What makes a decision complete (docs/rules.md §12 events), for every way one is recorded.</summary>
public static class DecisionRules
{
    /// <summary>The reason a decision cannot be recorded, or null when it can.</summary>
    public static string? Problem(Decision decision) => Refusal(decision)?.Message;

    /// <summary>
    /// The reason a decision cannot be recorded and the field it concerns ("months", "last_day",
    /// "score", "reason", "amount", "date" or "recorded_by"), so a form can say it next to that field.
    /// </summary>
    public static (string Field, string Message)? Refusal(Decision decision) => decision.Kind switch
    {
        _ when !SaneDates.Contains(decision.Date) => ("date", "the date must lie between 1900 and 2099"),
        DecisionKind.Extension when decision.Months is not (>= 1 and <= 12) => ("months", "an extension is 1 to 12 whole months"),
        DecisionKind.BijstandEnd when decision.LastDay is null => ("last_day", "a bijstand end needs the last day of bijstand"),
        DecisionKind.BijstandEnd when !SaneDates.Contains(decision.LastDay!.Value) => ("last_day", "the last day must lie between 1900 and 2099"),
        DecisionKind.ZrmScore when decision.Score is not (>= 1 and <= 5) => ("score", "a ZRM score is 1 to 5"),
        DecisionKind.OptOut when string.IsNullOrWhiteSpace(decision.Reason) => ("reason", "an opt-out needs a reason"),
        DecisionKind.TrainingCompleted when string.IsNullOrWhiteSpace(decision.Reason) => ("reason", "a completed training needs the course name"),
        DecisionKind.WriteOff when string.IsNullOrWhiteSpace(decision.Reason) => ("reason", "a write-off needs a reason"),
        DecisionKind.WriteOff when decision.Amount is { IsPositive: false } => ("amount", "a write-off amount must be positive (or 'all')"),
        _ when decision.Reason is { } reason && TextRules.Problem(reason, MaxReasonCharacters) is { } text => ("reason", "the reason " + text),
        _ when string.IsNullOrWhiteSpace(decision.RecordedBy) => ("recorded_by", "who recorded the decision is required"),
        _ => null,
    };

    /// <summary>The longest reason a decision keeps (docs/rules.md §10).</summary>
    public const int MaxReasonCharacters = 500;
}
