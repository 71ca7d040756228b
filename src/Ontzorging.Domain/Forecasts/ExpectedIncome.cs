using NodaTime;
using Ontzorging.Domain.Calendars;
using Ontzorging.Domain.Income;

namespace Ontzorging.Domain.Forecasts;

/// <summary>What a forecast assumes about the toeslagen and other uncertain income not yet received (docs/rules.md §16).</summary>
public enum ForecastScenario
{
    /// <summary>Each stream pays as it is due; one not yet awarded pays by its decision deadline; one overdue is moved back.</summary>
    Expected,

    /// <summary>As expected, but a stream not yet awarded pays its first payment, with the back-payment, N months later.</summary>
    Late,

    /// <summary>A stream not yet awarded, or overdue, never pays.</summary>
    Never,
}

public static class ForecastScenarios
{
    public static string Code(this ForecastScenario scenario) => scenario switch
    {
        ForecastScenario.Expected => "expected",
        ForecastScenario.Late => "late",
        ForecastScenario.Never => "never",
        _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
    };

    public static ParseResult<ForecastScenario> Parse(string? code) => code switch
    {
        "expected" => ParseResult<ForecastScenario>.Ok(ForecastScenario.Expected),
        "late" => ParseResult<ForecastScenario>.Ok(ForecastScenario.Late),
        "never" => ParseResult<ForecastScenario>.Ok(ForecastScenario.Never),
        _ => ParseResult<ForecastScenario>.Fail($"unknown scenario '{code}'; expected one of expected, late, never"),
    };
}

/// <summary>A payment the forecast expects: one receipt as the bank would show it, covering one or more months.</summary>
public sealed record ExpectedReceipt(IncomeKind Kind, Money Amount, LocalDate ReceivedOn, YearMonth CoversFrom, YearMonth CoversTo, bool Routed);

/// <summary>
/// When the months of an income stream that are not yet covered will be paid, under a scenario,
/// as seen on <c>asOf</c> (docs/rules.md §16). The regular date of a month is
/// <see cref="ToeslagWatch.ExpectedArrival"/>. Months paid together (a back-payment, or a quarter
/// of kinderbijslag) make one receipt.
/// </summary>
public static class ExpectedIncome
{
    private static readonly DutchWorkingDays WorkingDays = DutchWorkingDays.Instance;

    public static IReadOnlyList<ExpectedReceipt> For(IncomeStream stream, IReadOnlyList<Receipt> received, LocalDate asOf, YearMonth through,
        ForecastScenario scenario, Policy policy)
    {
        var known = received.Where(r => r.Kind == stream.Kind && r.ReceivedOn <= asOf).ToList();
        var last = stream.To is { } to && to < through ? to : through;
        var open = new List<YearMonth>();
        for (var month = stream.From; month <= last; month = month.PlusMonths(1))
        {
            if (!known.Any(r => r.Covers(month)))
            {
                open.Add(month);
            }
        }

        if (open.Count == 0 || Resumes(stream, known.Count > 0, open, asOf, scenario, policy) is not { } resume)
        {
            return [];
        }

        // Every open month whose regular date falls before the stream resumes is paid with it.
        var arrivals = open.Select(m => (Month: m, On: Max(ToeslagWatch.ExpectedArrival(stream.Kind, m, policy), resume))).ToList();
        var receipts = new List<ExpectedReceipt>();
        foreach (var group in arrivals.GroupBy(a => a.On).OrderBy(g => g.Key))
        {
            // A run of consecutive months is one receipt; a month already covered in between splits it.
            var months = group.Select(g => g.Month).Order().ToList();
            var start = 0;
            for (var i = 1; i <= months.Count; i++)
            {
                if (i == months.Count || months[i] != months[i - 1].PlusMonths(1))
                {
                    var count = i - start;
                    receipts.Add(new ExpectedReceipt(stream.Kind, new Money(checked(stream.ExpectedAmount.Cents * count)), group.Key, months[start], months[i - 1], stream.Routed));
                    start = i;
                }
            }
        }

        return receipts.Where(r => r.Amount.IsPositive).ToList();
    }

    /// <summary>
    /// The first day on which the stream is assumed to pay again, or null when the scenario says it
    /// never does. A toeslag never applied for is never expected.
    /// </summary>
    private static LocalDate? Resumes(IncomeStream stream, bool awarded, List<YearMonth> open, LocalDate asOf, ForecastScenario scenario, Policy policy)
    {
        var tomorrow = asOf.PlusDays(1);
        var movedBack = FirstRegular(stream, asOf.PlusMonths(policy.ForecastLateMonths), policy);
        if (!awarded && stream.Kind.IsToeslag())
        {
            if (stream.AppliedOn is not { } applied)
            {
                return null;
            }

            var deadline = applied.PlusWeeks(policy.ToeslagDecisionOverdueWeeks);
            if (scenario == ForecastScenario.Never)
            {
                return null;
            }

            var first = asOf >= deadline ? movedBack : FirstRegular(stream, Max(deadline, tomorrow), policy);
            return scenario == ForecastScenario.Late ? FirstRegular(stream, first.PlusMonths(policy.ForecastLateMonths), policy) : first;
        }

        // Awarded (or a stream that needs no application): overdue when a month's regular date plus
        // the grace of rules §5 has passed without it; a month still within its grace is paid by then.
        var overdue = open.Any(m => WorkingDays.AddOpenDays(ToeslagWatch.ExpectedArrival(stream.Kind, m, policy), policy.ToeslagOverdueWorkingDays) <= asOf);
        if (overdue)
        {
            return scenario == ForecastScenario.Never ? null : movedBack;
        }

        var late = scenario == ForecastScenario.Late && !awarded;
        // The last working day before the month would count as overdue.
        var graceEnd = WorkingDays.AddOpenDays(ToeslagWatch.ExpectedArrival(stream.Kind, open[0], policy), Math.Max(0, policy.ToeslagOverdueWorkingDays - 1));
        var resume = ToeslagWatch.ExpectedArrival(stream.Kind, open[0], policy) > asOf ? tomorrow : Max(tomorrow, graceEnd);
        if (scenario == ForecastScenario.Never && !awarded)
        {
            return null;
        }

        return late ? FirstRegular(stream, resume.PlusMonths(policy.ForecastLateMonths), policy) : resume;
    }

    /// <summary>The first regular date of the stream on or after <paramref name="day"/>.</summary>
    private static LocalDate FirstRegular(IncomeStream stream, LocalDate day, Policy policy)
    {
        for (var month = day.ToYearMonth().PlusMonths(-1); ; month = month.PlusMonths(1))
        {
            var arrival = ToeslagWatch.ExpectedArrival(stream.Kind, month, policy);
            if (arrival >= day)
            {
                return arrival;
            }
        }
    }

    private static LocalDate Max(LocalDate a, LocalDate b) => a >= b ? a : b;
}
