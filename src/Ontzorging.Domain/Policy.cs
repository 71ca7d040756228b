using NodaTime;

namespace Ontzorging.Domain;

/// <summary>
/// Every number a municipality may set differently (docs/rules.md), with the rulebook's defaults.
/// Bound from configuration section <c>Ontzorging:Policy</c>.
/// </summary>
public sealed class Policy
{
    public const string SectionName = "Ontzorging:Policy";

    public static readonly Policy Default = new();

    /// <summary>Months of unburdening before extensions (art. 56a Pw: at least six).</summary>
    public int BaseMonths { get; init; } = 6;

    public decimal MinimumLeefgeldPerWeek { get; init; } = 40.00m;

    public decimal MinimumLeefgeldPerExtraMemberPerWeek { get; init; } = 10.00m;

    public int WeeksPerYear { get; init; } = 52;

    public decimal CreditCapSingle { get; init; } = 1000.00m;

    public decimal CreditCapHousehold { get; init; } = 1500.00m;

    /// <summary>Day of month M−1 on which the batch for M is prepared, whatever the weekday.</summary>
    public int PreparationDay { get; init; } = 24;

    /// <summary>
    /// Days after its preparation day (<see cref="PreparationDay"/> of M−1) that the batch for M may
    /// still be prepared without a reason; later, the officer states why (rules §6, issue 22).
    /// </summary>
    public int LatePreparationDays { get; init; } = 7;

    /// <summary>
    /// A household whose batch total differs from the previous month's by more than this percentage
    /// is listed for the approver (issue 22).
    /// </summary>
    public decimal BatchChangePercent { get; init; } = 10m;

    /// <summary>Day of month M−1 on which Dienst Toeslagen pays the advance for M.</summary>
    public int ToeslagAdvanceDay { get; init; } = 20;

    public int ToeslagOverdueWorkingDays { get; init; } = 5;

    public int ToeslagDecisionOverdueWeeks { get; init; } = 13;

    public int ZrmWindowDays { get; init; } = 90;

    /// <summary>How long after its execution money coming back from a creditor may be a return (storno) of our payment.</summary>
    public int StornoWindowDays { get; init; } = 90;

    public int ZrmMinimum { get; init; } = 4;

    /// <summary>Months a toeslag is assumed late in the forecast's <c>late</c> scenario, and how far an overdue one is moved back (rules §16).</summary>
    public int ForecastLateMonths { get; init; } = 3;

    /// <summary>A household is signalled when its expected forecast shows a month at risk within this many months (rules §15, §16).</summary>
    public int ForecastSignalMonths { get; init; } = 2;

    /// <summary>Weeks after receipt within which a complaint is decided (Awb 9:11(1)): six, or <see cref="ComplaintCommitteeWeeks"/> with an advisory committee (Awb 9:14).</summary>
    public int ComplaintDecisionWeeks { get; init; } = 6;

    public int ComplaintCommitteeWeeks { get; init; } = 10;

    /// <summary>The one postponement the municipality may give itself (Awb 9:11(2)), at most this many weeks.</summary>
    public int ComplaintPostponementWeeks { get; init; } = 4;

    /// <summary>
    /// The money signals' tolerances (rules §18), by municipality code (<c>GM0344</c>), with
    /// <c>default</c> for every municipality without its own:
    /// <c>Ontzorging:Policy:SignalTolerances:GM0344:Percent</c>. Unset, the rulebook's defaults.
    /// </summary>
    public IReadOnlyDictionary<string, Signals.SignalTolerances> SignalTolerances { get; init; } = new Dictionary<string, Signals.SignalTolerances>(StringComparer.Ordinal);

    /// <summary>The tolerances of <paramref name="municipality"/>: its own, else <c>default</c>, else the rulebook's.</summary>
    public Signals.SignalTolerances SignalTolerancesFor(string municipality) =>
        SignalTolerances.TryGetValue(municipality, out var own) ? own
        : SignalTolerances.TryGetValue(DefaultTolerances, out var all) ? all
        : DefaultSignalTolerances;

    public const string DefaultTolerances = "default";

    private static readonly Signals.SignalTolerances DefaultSignalTolerances = new();

    /// <summary>Readiness criteria switched off by this municipality (codes as in <c>ReadinessCriterion</c>).</summary>
    public IReadOnlyCollection<string> DisabledReadinessCriteria { get; init; } = [];

    /// <summary>The day the batch for <paramref name="month"/> is prepared: <see cref="PreparationDay"/> of M−1, or that month's last day.</summary>
    public LocalDate PreparationDayOf(YearMonth month)
    {
        var previous = month.PlusMonths(-1);
        return previous.OnDayOfMonth(Math.Min(PreparationDay, previous.Calendar.GetDaysInMonth(previous.Year, previous.Month)));
    }

    public Money CreditCap(int householdSize) => Money.FromEuros(householdSize <= 1 ? CreditCapSingle : CreditCapHousehold);
}
