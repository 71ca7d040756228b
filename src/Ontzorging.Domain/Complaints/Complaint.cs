using NodaTime;
using Ontzorging.Domain.Calendars;

namespace Ontzorging.Domain.Complaints;

/// <summary>How the complaint reached the municipality (docs/rules.md §19).</summary>
public enum ComplaintChannel
{
    Letter,
    Email,
    Counter,
    Phone,
    Representative,
}

/// <summary>Who complains: a member of the household, or someone on its behalf.</summary>
public enum ComplainantKind
{
    Member,
    Representative,
}

/// <summary>What the complaint is about, as the register counts it (Awb 9:12a).</summary>
public enum ComplaintSubject
{
    /// <summary>A payment made for the household (rent, energy, water, health insurance) did not arrive, came late or was wrong.</summary>
    Payment,
    Leefgeld,

    /// <summary>The bridging credit: what was drawn, or a toeslag kept to repay it.</summary>
    Credit,

    /// <summary>Money that came in (bijstand, toeslagen, kinderbijslag).</summary>
    Income,
    Decision,

    /// <summary>How a staff member treated the household.</summary>
    Conduct,
    Other,
}

/// <summary>The outcome of a complaint (Awb 9:12), or that it was withdrawn.</summary>
public enum ComplaintOutcome
{
    WellFounded,
    PartlyWellFounded,
    Unfounded,
    Withdrawn,
}

/// <summary>Why the complainant was not heard: the three grounds of Awb 9:10(2), and no other.</summary>
public enum HearingWaiver
{
    /// <summary>The complaint is clearly unfounded.</summary>
    ClearlyUnfounded,

    /// <summary>The complainant said they do not wish to be heard.</summary>
    ComplainantDeclined,

    /// <summary>The complainant did not say within a reasonable time that they wish to be heard.</summary>
    NoResponse,
}

/// <summary>What the municipality did to put things right, each linked to the write that did it.</summary>
public enum RemedyKind
{
    /// <summary>A payment paid again: linked to the payment that paid it.</summary>
    PaymentResent,

    /// <summary>Credit written off: linked to the write-off decision.</summary>
    WriteOff,
    Apology,
    Other,
}

/// <summary>Which money a complaint is about: a payment, a receipt, a month or a decision of the household.</summary>
public enum ComplaintLinkKind
{
    Payment,
    Receipt,
    Month,
    Decision,
}

/// <summary>How a deadline was moved: the municipality's one postponement (Awb 9:11(2)), or a delay the complainant agreed to in writing.</summary>
public enum DeadlineMoveKind
{
    Postponement,
    Consent,
}

/// <summary>Where an open complaint's clock stands (docs/rules.md §19); the worklist ranks complaints by it.</summary>
public enum ClockState
{
    Overdue,
    AtRisk,
    OnTrack,
    Decided,
}

/// <summary>The codes the engine stores and forms send, one list per kind of value.</summary>
public static class ComplaintCodes
{
    public static readonly CodeList<ComplaintChannel> Channels = new(
        ("letter", ComplaintChannel.Letter), ("email", ComplaintChannel.Email), ("counter", ComplaintChannel.Counter),
        ("phone", ComplaintChannel.Phone), ("representative", ComplaintChannel.Representative));

    public static readonly CodeList<ComplainantKind> Complainants = new(("member", ComplainantKind.Member), ("representative", ComplainantKind.Representative));

    public static readonly CodeList<ComplaintSubject> Subjects = new(
        ("payment", ComplaintSubject.Payment), ("leefgeld", ComplaintSubject.Leefgeld), ("credit", ComplaintSubject.Credit),
        ("income", ComplaintSubject.Income), ("decision", ComplaintSubject.Decision), ("conduct", ComplaintSubject.Conduct), ("other", ComplaintSubject.Other));

    public static readonly CodeList<ComplaintOutcome> Outcomes = new(
        ("well_founded", ComplaintOutcome.WellFounded), ("partly_well_founded", ComplaintOutcome.PartlyWellFounded),
        ("unfounded", ComplaintOutcome.Unfounded), ("withdrawn", ComplaintOutcome.Withdrawn));

    public static readonly CodeList<HearingWaiver> Waivers = new(
        ("clearly_unfounded", HearingWaiver.ClearlyUnfounded), ("complainant_declined", HearingWaiver.ComplainantDeclined), ("no_response", HearingWaiver.NoResponse));

    public static readonly CodeList<RemedyKind> Remedies = new(
        ("payment_resent", RemedyKind.PaymentResent), ("write_off", RemedyKind.WriteOff), ("apology", RemedyKind.Apology), ("other", RemedyKind.Other));

    public static readonly CodeList<ComplaintLinkKind> Links = new(
        ("payment", ComplaintLinkKind.Payment), ("receipt", ComplaintLinkKind.Receipt), ("month", ComplaintLinkKind.Month), ("decision", ComplaintLinkKind.Decision));

    public static readonly CodeList<DeadlineMoveKind> Moves = new(("postponement", DeadlineMoveKind.Postponement), ("consent", DeadlineMoveKind.Consent));
}

/// <summary>A fixed list of codes and the values they stand for.</summary>
public sealed class CodeList<T>(params (string Code, T Value)[] all)
    where T : struct, Enum
{
    public IReadOnlyList<(string Code, T Value)> All { get; } = all;

    public string Code(T value) => all.First(c => EqualityComparer<T>.Default.Equals(c.Value, value)).Code;

    /// <summary>The value of <paramref name="code"/> (exact, as stored and sent), or null.</summary>
    public T? Parse(string? code) => all.Where(c => c.Code == code?.Trim()).Select(c => (T?)c.Value).FirstOrDefault();
}

/// <summary>A deadline moved: to <see cref="NewDeadline"/>, noticed to or agreed by the complainant on <see cref="On"/>.</summary>
public sealed record DeadlineMove(DeadlineMoveKind Kind, LocalDate NewDeadline, LocalDate On);

/// <summary>
/// A complaint's clock (Awb 9:11; docs/rules.md §19). The decision is due six weeks after the day of
/// receipt, ten with an advisory committee (<see cref="StatutoryDeadlineOf"/>, kept with the complaint
/// when it is registered), the term ending on the next day that is no Saturday, Sunday or holiday
/// (Algemene termijnenwet). The municipality may postpone it once, by at most four weeks, telling the
/// complainant before the term ends; any later delay needs the complainant's written consent. The
/// deadline is the latest move's, else the statutory one.
/// </summary>
public sealed record ComplaintClock(LocalDate Received, LocalDate StatutoryDeadline, IReadOnlyList<DeadlineMove> Moves, LocalDate? Decided)
{
    public static LocalDate StatutoryDeadlineOf(LocalDate received, bool advisoryCommittee, Policy policy) =>
        TermCalendar.Instance.TermEnd(received.PlusWeeks(advisoryCommittee ? policy.ComplaintCommitteeWeeks : policy.ComplaintDecisionWeeks));

    public LocalDate Deadline => Moves.Count == 0 ? StatutoryDeadline : Moves[^1].NewDeadline;

    /// <summary>
    /// Decided; overdue after its deadline; at risk when less than a quarter of the time from receipt
    /// to the deadline is left; on track otherwise.
    /// </summary>
    public ClockState State(LocalDate today)
    {
        if (Decided is not null)
        {
            return ClockState.Decided;
        }

        if (today > Deadline)
        {
            return ClockState.Overdue;
        }

        var total = Period.DaysBetween(Received, Deadline);
        var left = Period.DaysBetween(today, Deadline);
        return left * 4 < total ? ClockState.AtRisk : ClockState.OnTrack;
    }

    /// <summary>Days from receipt to today, or to the decision.</summary>
    public int DaysOpen(LocalDate today) => Period.DaysBetween(Received, Decided ?? today);

    public bool DecidedLate => Decided is { } decided && decided > Deadline;

    /// <summary>The latest the one postponement may move the deadline to: four weeks after the term it postpones, ending on a working day.</summary>
    public LocalDate LatestPostponement(Policy policy) => TermCalendar.Instance.TermEnd(Deadline.PlusWeeks(policy.ComplaintPostponementWeeks));
}
