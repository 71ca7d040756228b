using NodaTime;
using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;

namespace Ontzorging.Domain.Forecasts;

/// <summary>A routed receipt received by the forecast's day that no batch has taken yet.</summary>
public sealed record PendingReceipt(IncomeKind Kind, Money Amount, LocalDate ReceivedOn);

/// <summary>A write-off decision that no bookkeeping has booked yet: <see cref="Amount"/> null means <c>all</c>.</summary>
public sealed record PendingWriteOff(LocalDate Date, Money? Amount);

/// <summary>
/// Where a household stands after its latest batch prepared on or before <see cref="AsOf"/>, and
/// what is known about it: the forecast's starting point (docs/rules.md §16). <see cref="FirstMonth"/>
/// is the first month no batch has been prepared for; <see cref="Balance"/> is what the last batch
/// kept back plus payments the bank returned since; <see cref="Received"/> holds every receipt
/// received by <see cref="AsOf"/>, routed or not (what is covered), <see cref="Pending"/> the routed
/// ones no batch took yet.
/// </summary>
public sealed record ForecastStart(
    HouseholdProfile Household,
    LocalDate BijstandStart,
    IReadOnlyList<Decision> Decisions,
    IReadOnlyList<ContractVersion> Contracts,
    IReadOnlyList<BijstandRate> BijstandRates,
    IReadOnlyList<IncomeStream> Streams,
    IReadOnlyList<Receipt> Received,
    IReadOnlyList<PendingReceipt> Pending,
    IReadOnlyList<PendingWriteOff> WriteOffs,
    LocalDate AsOf,
    YearMonth FirstMonth,
    LocalDate? LastPreparationDay,
    Money Balance,
    IReadOnlyList<Installment> Arrears,
    Money CreditOutstanding,
    IReadOnlyList<(YearMonth Month, Money Booked)> PastBijstand,
    IReadOnlyList<ReturnedLeefgeld> ReturnedLeefgeld);

[Flags]
public enum RiskKind
{
    None = 0,

    /// <summary>Credit outstanding reaches the cap, or more is needed than the cap allows.</summary>
    CreditCap = 1,

    /// <summary>The household would get less than the minimum leefgeld.</summary>
    LeefgeldBelowMinimum = 2,

    /// <summary>An installment would not be paid and become an arrear.</summary>
    Arrear = 4,
}

public static class RiskKinds
{
    /// <summary>The codes of the kinds set, in a fixed order: credit_cap, leefgeld_below_minimum, arrear.</summary>
    public static IReadOnlyList<string> Codes(this RiskKind kind) =>
        new[] { (RiskKind.CreditCap, "credit_cap"), (RiskKind.LeefgeldBelowMinimum, "leefgeld_below_minimum"), (RiskKind.Arrear, "arrear") }
            .Where(k => kind.HasFlag(k.Item1)).Select(k => k.Item2).ToList();
}

/// <summary>
/// One projected month: the batch the engine would prepare for it (<see cref="Result"/>, from the
/// same <see cref="HouseholdMonth.Plan"/>), the routed receipts it would take, what arrives in the
/// window before it (routed or not), and whether it is at risk and by how much.
/// </summary>
public sealed record ForecastMonth(
    YearMonth Month,
    LocalDate PreparationDay,
    HouseholdMonthResult Result,
    Money Receipts,
    IReadOnlyList<ExpectedReceipt> Arriving,
    Money CreditWrittenOff,
    Money CreditCap,
    RiskKind Risk,
    Money Missing)
{
    public bool AtRisk => Risk != RiskKind.None;
}

public sealed record HouseholdForecast(ForecastScenario Scenario, LocalDate AsOf, IReadOnlyList<ForecastMonth> Months, IReadOnlyList<ExpectedReceipt> Expected)
{
    /// <summary>The first month the household is at risk, if any.</summary>
    public ForecastMonth? FirstRisk => Months.FirstOrDefault(m => m.AtRisk);

    /// <summary>The months in which the household is in a batch: the rows of monthly.csv (rules §12).</summary>
    public IEnumerable<ForecastMonth> InBatch => Months.Where(m => m.Result.InBatch);
}

/// <summary>
/// docs/rules.md §16: projects a household month by month from its state after its latest batch,
/// through the period and the two months after it, by preparing each month as the batch would
/// (<see cref="HouseholdMonth.Plan"/>, so the waterfall, credit and arrears rules are the batch's
/// own) and carrying its outcome into the next: what it kept back, its arrears, its credit, the
/// receipts the scenario expects before the next preparation day, and the write-offs booked by then.
/// </summary>
public static class Forecaster
{
    public static HouseholdForecast Project(ForecastStart start, ForecastScenario scenario, Policy policy)
    {
        var period = OntzorgingPeriod.Derive(start.BijstandStart, start.Decisions, LocalDate.MaxIsoValue, policy);
        var lastMonth = period.End > period.Start ? period.End.PlusDays(-1).ToYearMonth() : start.FirstMonth;
        var through = lastMonth.PlusMonths(2);
        if (through < start.FirstMonth)
        {
            through = start.FirstMonth;
        }

        var expected = start.Streams
            .SelectMany(s => ExpectedIncome.For(s, start.Received, start.AsOf, through, scenario, policy))
            .OrderBy(r => r.ReceivedOn).ThenBy(r => r.Kind).ToList();
        var pending = start.Pending.Select(p => (p.ReceivedOn, p.Amount)).ToList();
        var arriving = expected.Where(r => r.Routed).Select(r => (r.ReceivedOn, r.Amount)).ToList();
        var writeOffs = start.WriteOffs.OrderBy(w => w.Date).ToList();

        var balance = start.Balance;
        var arrears = start.Arrears;
        var credit = start.CreditOutstanding;
        var pastBijstand = start.PastBijstand.ToList();
        var previous = start.LastPreparationDay;
        var returned = start.ReturnedLeefgeld;
        var cap = policy.CreditCap(start.Household.Size);
        var months = new List<ForecastMonth>();
        for (var month = start.FirstMonth; month <= through; month = month.PlusMonths(1))
        {
            // A month prepared late is prepared no earlier than the forecast's day.
            var preparation = HouseholdMonth.PreparationDay(month, policy);
            var takesUntil = preparation < start.AsOf ? start.AsOf : preparation;
            var isFirst = month == start.FirstMonth;
            bool Window(LocalDate day) => (isFirst || day > previous) && day <= takesUntil;

            var receipts = Money.Sum(pending.Where(p => isFirst || Window(p.ReceivedOn)).Select(p => p.Amount))
                + Money.Sum(arriving.Where(a => Window(a.ReceivedOn)).Select(a => a.Amount));
            if (isFirst)
            {
                pending.Clear();
            }

            var writtenOff = Money.Zero;
            foreach (var writeOff in writeOffs.Where(w => w.Date <= takesUntil).ToList())
            {
                var amount = CreditWriteOff.Amount(writeOff.Amount, credit);
                credit -= amount;
                writtenOff += amount;
                writeOffs.Remove(writeOff);
            }

            var context = new HouseholdMonthContext(start.Household, start.BijstandStart, start.Decisions, start.Contracts, start.BijstandRates,
                balance + receipts, arrears, credit, month, preparation, pastBijstand, previous, returned);
            var result = HouseholdMonth.Plan(context, policy);
            var (risk, missing) = result.InBatch ? Risk(result, cap) : (RiskKind.None, Money.Zero);
            months.Add(new ForecastMonth(month, preparation, result, result.InBatch ? receipts : Money.Zero,
                expected.Where(r => Window(r.ReceivedOn)).ToList(), writtenOff, cap, risk, missing));

            if (result.InBatch)
            {
                balance = result.Waterfall.KeptBack;
                arrears = result.Waterfall.Arrears;
                credit = result.Waterfall.CreditOutstandingAfter;
                // What the balance could not hold this month is sent again next month, as the batch does.
                var resent = result.Payments.Where(p => p.Resends is not null).Select(p => p.Resends!.Value).ToHashSet();
                returned = returned.Where(r => !resent.Contains(r.PaymentId)).ToList();
                if (result.Bijstand.IsPositive)
                {
                    pastBijstand.Add((month, result.Bijstand));
                }
            }
            else
            {
                // Not in the batch: nothing is taken, so what arrived stays in the balance.
                balance += receipts;
            }

            previous = takesUntil;
        }

        return new HouseholdForecast(scenario, start.AsOf, months, expected);
    }

    /// <summary>
    /// At risk: credit reaches the cap (or more is needed than it allows), leefgeld falls below the
    /// minimum, or an installment becomes an arrear. Missing is what it would take to pay every
    /// installment due and the minimum leefgeld: the arrears, plus the leefgeld short of the minimum,
    /// less what is kept back.
    /// </summary>
    private static (RiskKind Risk, Money Missing) Risk(HouseholdMonthResult result, Money cap)
    {
        var w = result.Waterfall;
        var risk = RiskKind.None;
        if (w.CreditOutstandingAfter >= cap || w.Issues.Any(i => i.Kind == BatchIssueKind.ShortfallBeyondCap))
        {
            risk |= RiskKind.CreditCap;
        }

        var shortOfMinimum = Money.Max(Money.Zero, result.MinimumLeefgeld - w.Leefgeld);
        if (shortOfMinimum.IsPositive)
        {
            risk |= RiskKind.LeefgeldBelowMinimum;
        }

        if (w.Arrears.Count > 0)
        {
            risk |= RiskKind.Arrear;
        }

        return (risk, Money.Max(Money.Zero, w.ArrearsOpen + shortOfMinimum - w.KeptBack));
    }
}
