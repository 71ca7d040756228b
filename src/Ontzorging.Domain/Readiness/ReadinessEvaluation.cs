using NodaTime;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;

namespace Ontzorging.Domain.Readiness;

public enum ReadinessVerdict
{
    InProgress,
    Ready,
    NotReady,
}

public static class ReadinessCriterion
{
    public const string ToeslagenIrregular = "toeslagen_irregular";
    public const string CreditOutstanding = "credit_outstanding";
    public const string Arrears = "arrears";
    public const string ZrmMissing = "zrm_missing";
    public const string ZrmBelow4 = "zrm_below_4";
    public const string TrainingMissing = "training_missing";

    public static IReadOnlyList<string> All { get; } = [Arrears, CreditOutstanding, ToeslagenIrregular, TrainingMissing, ZrmBelow4, ZrmMissing];

    public static string Code(this ReadinessVerdict verdict) => verdict switch
    {
        ReadinessVerdict.InProgress => "in_progress",
        ReadinessVerdict.Ready => "ready",
        ReadinessVerdict.NotReady => "not_ready",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };
}

/// <summary>Everything readiness looks at, as it stood on <see cref="EvaluatedOn"/> (after the batch for that month).</summary>
public sealed record ReadinessFacts(
    LocalDate EvaluatedOn,
    OntzorgingPeriod Period,
    IReadOnlyList<IncomeStream> Streams,
    IReadOnlyList<Receipt> Receipts,
    Money CreditOutstanding,
    Money ArrearsOpen,
    IReadOnlyList<(LocalDate On, int Score)> ZrmScores,
    IReadOnlyList<LocalDate> TrainingsCompleted);

public sealed record ReadinessResult(LocalDate EvaluatedOn, ReadinessVerdict Verdict, IReadOnlyList<string> Unmet)
{
    /// <summary>Unmet codes sorted and ';'-joined, as readiness.csv writes them.</summary>
    public string UnmetText => string.Join(';', Unmet);

    public bool PhaseOutSuggested => Verdict == ReadinessVerdict.Ready;
}

/// <summary>Readiness for financial self-reliance (docs/rules.md §8).</summary>
public static class ReadinessEvaluation
{
    public static ReadinessResult Evaluate(ReadinessFacts facts, Policy policy)
    {
        var d = facts.EvaluatedOn;
        var unmet = new List<string>();
        if (ToeslagenIrregular(facts))
        {
            unmet.Add(ReadinessCriterion.ToeslagenIrregular);
        }

        if (facts.CreditOutstanding.IsPositive)
        {
            unmet.Add(ReadinessCriterion.CreditOutstanding);
        }

        if (facts.ArrearsOpen.IsPositive)
        {
            unmet.Add(ReadinessCriterion.Arrears);
        }

        var zrm = facts.ZrmScores.Where(z => z.On <= d && z.On >= d.PlusDays(-policy.ZrmWindowDays)).OrderBy(z => z.On).LastOrDefault();
        if (zrm == default)
        {
            unmet.Add(ReadinessCriterion.ZrmMissing);
        }
        else if (zrm.Score < policy.ZrmMinimum)
        {
            unmet.Add(ReadinessCriterion.ZrmBelow4);
        }

        if (!facts.TrainingsCompleted.Any(t => t <= d))
        {
            unmet.Add(ReadinessCriterion.TrainingMissing);
        }

        var counted = unmet.Where(c => !policy.DisabledReadinessCriteria.Contains(c)).Order(StringComparer.Ordinal).ToList();
        var verdict = d < facts.Period.End.PlusMonths(-1)
            ? ReadinessVerdict.InProgress
            : counted.Count == 0 ? ReadinessVerdict.Ready : ReadinessVerdict.NotReady;
        return new ReadinessResult(d, verdict, counted);
    }

    /// <summary>
    /// Every expected huurtoeslag, zorgtoeslag and kindgebonden budget stream must have D's month
    /// and the month before covered (where they lie within the stream) by receipts received on or
    /// before D, routed or not.
    /// </summary>
    private static bool ToeslagenIrregular(ReadinessFacts facts)
    {
        var d = facts.EvaluatedOn;
        YearMonth[] months = [d.ToYearMonth(), d.ToYearMonth().PlusMonths(-1)];
        return facts.Streams.Where(s => s.Kind.IsToeslag()).Any(stream =>
            months.Where(stream.Covers).Any(month =>
                !facts.Receipts.Any(r => r.Kind == stream.Kind && r.ReceivedOn <= d && r.Covers(month))));
    }
}
