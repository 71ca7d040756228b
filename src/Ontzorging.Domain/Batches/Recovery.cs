using NodaTime;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;

namespace Ontzorging.Domain.Batches;

/// <summary>
/// docs/rules.md §3: a prepared batch is never recomputed. When a decision recorded since the previous
/// batch (bijstand ended, opt-out) shortens the period so that an earlier batch booked more
/// bijstand than the household was entitled to, the difference is raised once, in the next batch,
/// as an exception for recovery (terugvordering).
/// </summary>
public static class Recovery
{
    public static IReadOnlyList<BatchIssue> OverpaidAfterDecisions(
        OntzorgingPeriod periodNow,
        IEnumerable<Decision> decisions,
        LocalDate? previousPreparationDay,
        LocalDate preparationDay,
        IEnumerable<BijstandRate> rates,
        IEnumerable<(YearMonth Month, Money Booked)> pastBijstand)
    {
        var news = decisions.Where(d => d.Kind is DecisionKind.BijstandEnd or DecisionKind.OptOut
            && d.Date <= preparationDay && (previousPreparationDay is null || d.Date > previousPreparationDay)).ToList();
        if (news.Count == 0)
        {
            return [];
        }

        var rateList = rates.ToList();
        var why = string.Join(", ", news.Select(d => $"{(d.Kind == DecisionKind.OptOut ? "opt-out" : "bijstand end")} recorded {d.Date:yyyy-MM-dd}"));
        var issues = new List<BatchIssue>();
        foreach (var (month, booked) in pastBijstand.OrderBy(p => p.Month))
        {
            var entitled = Bijstand.For(month, periodNow, rateList);
            if (booked > entitled)
            {
                issues.Add(new BatchIssue(BatchIssueKind.OverpaidAfterDecision,
                    $"bijstand {month:yyyy-MM} was booked as {booked} but the period now ends {periodNow.End:yyyy-MM-dd} ({why}): {booked - entitled} to recover (terugvordering)"));
            }
        }

        return issues;
    }
}
