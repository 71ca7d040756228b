using NodaTime;

namespace Ontzorging.Domain.Households;

/// <summary>What caseworkers record about a household (docs/rules.md §3, §8, §7).</summary>
public enum DecisionKind
{
    Extension,
    BijstandEnd,
    OptOut,
    ZrmScore,
    TrainingCompleted,
    WriteOff,
}

/// <summary>
/// One recorded decision: who, when, why. The period and readiness are derived from these, never
/// edited. <see cref="Date"/> is the day the decision counts from: the day a batch or evaluation
/// compares with.
/// </summary>
public sealed record Decision(
    DecisionKind Kind,
    LocalDate Date,
    string RecordedBy,
    string? Reason,
    int? Months = null,
    LocalDate? LastDay = null,
    int? Score = null,
    Money? Amount = null);
