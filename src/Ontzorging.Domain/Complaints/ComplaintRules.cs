using NodaTime;

namespace Ontzorging.Domain.Complaints;

/// <summary>Money of the household a complaint is about: a payment, receipt or decision by its id, or a month.</summary>
public sealed record ComplaintLink(ComplaintLinkKind Kind, long? Id, YearMonth? Month)
{
    public static ComplaintLink OfMonth(YearMonth month) => new(ComplaintLinkKind.Month, null, month);

    public static ComplaintLink Of(ComplaintLinkKind kind, long id) => new(kind, id, null);
}

/// <summary>A complaint as it is registered (Awb 9:1, 9:4).</summary>
public sealed record NewComplaint(
    LocalDate Received,
    ComplaintChannel Channel,
    ComplainantKind Complainant,
    string ComplainantName,
    ComplaintSubject Subject,
    string Description,
    string? Conduct,
    string? StaffMember,
    bool AdvisoryCommittee,
    IReadOnlyList<ComplaintLink> Links);

/// <summary>The hearing (Awb 9:10): held on a day, or waived on one of the law's grounds.</summary>
public sealed record Hearing(LocalDate? HeldOn, HearingWaiver? Waiver, string? Note);

/// <summary>The decision on the complaint (Awb 9:12): its outcome, the day, and the findings the letter gives as its reasons.</summary>
public sealed record ComplaintDecision(ComplaintOutcome Outcome, LocalDate DecidedOn, string Findings);

/// <summary>What was put right, linked to the payment or the write-off decision that did it.</summary>
public sealed record Remedy(RemedyKind Kind, long? PaymentId, long? DecisionId, string? Note);

/// <summary>Where a complaint stands, as far as its rules need to know: the hearing's day when it was held, or the ground it was waived on.</summary>
public sealed record ComplaintState(ComplaintClock Clock, LocalDate? Acknowledged, bool Heard, LocalDate? HeardOn = null, HearingWaiver? Waiver = null);

/// <summary>
/// What a complaint's steps must satisfy (Awb chapter 9; docs/rules.md §19). Each rule answers with
/// a refusal naming its form field, or null. Whether a linked payment, receipt or decision is the
/// household's own is checked against the database by the use case (<see cref="RefusalCode.ComplaintLinkNotOfHousehold"/>).
/// </summary>
public static class ComplaintRules
{
    public const int MaxDescriptionLength = 4000;
    public const int MaxConductLength = 1000;
    public const int MaxFindingsLength = 4000;
    public const int MaxLinks = 50;

    public static Refusal? Register(NewComplaint complaint, LocalDate today) =>
        Day("received", complaint.Received, null, today)
        ?? TextRules.FieldRefusal("complainant_name", complaint.ComplainantName, TextRules.MaxNameLength, required: true)
        ?? TextRules.FieldRefusal("description", complaint.Description, MaxDescriptionLength, required: true, lineBreaks: true)
        ?? TextRules.FieldRefusal("conduct", complaint.Conduct, MaxConductLength, required: false, lineBreaks: true)
        ?? TextRules.FieldRefusal("staff_member", complaint.StaffMember, TextRules.MaxNameLength, required: false)
        ?? (complaint.Links.Count > MaxLinks ? Refusal.Of(RefusalCode.ComplaintTooManyLinks, "links", ("max", MaxLinks)) : null)
        ?? complaint.Links.Where(l => l.Month is { } m && !SaneDates.Contains(m)).Select(_ => Refusal.Of(RefusalCode.DateOutOfRange, "links")).FirstOrDefault();

    /// <summary>The acknowledgement of receipt (Awb 9:6), sent on a day between receipt and today; once.</summary>
    public static Refusal? Acknowledge(ComplaintState state, LocalDate sentOn, LocalDate today) =>
        Decided(state)
        ?? (state.Acknowledged is { } sent && sent != sentOn ? Refusal.Of(RefusalCode.ComplaintAlreadyAcknowledged, "sent_on", ("date", sent)) : null)
        ?? Day("sent_on", sentOn, state.Clock.Received, today);

    /// <summary>
    /// The municipality's one postponement (Awb 9:11(2)): told to the complainant before the term ends,
    /// to a later day at most four weeks after it. A deadline already moved is moved again only with
    /// the complainant's written consent (<see cref="Extend"/>).
    /// </summary>
    public static Refusal? Postpone(ComplaintState state, LocalDate newDeadline, LocalDate noticeOn, LocalDate today, Policy policy)
    {
        var deadline = state.Clock.Deadline;
        return Decided(state)
            ?? (state.Clock.Moves.Count > 0 ? Refusal.Of(RefusalCode.ComplaintPostponedOnce, "new_deadline", ("deadline", deadline)) : null)
            ?? Day("notice_on", noticeOn, state.Clock.Received, today)
            ?? (noticeOn > deadline ? Refusal.Of(RefusalCode.ComplaintNoticeAfterDeadline, "notice_on", ("deadline", deadline)) : null)
            ?? Later(newDeadline, deadline)
            ?? (newDeadline > state.Clock.LatestPostponement(policy)
                ? Refusal.Of(RefusalCode.ComplaintPostponementTooLong, "new_deadline", ("weeks", policy.ComplaintPostponementWeeks), ("latest", state.Clock.LatestPostponement(policy)))
                : null);
    }

    /// <summary>A further delay the complainant agreed to in writing (Awb 9:11(2)): the day of the consent is kept.</summary>
    public static Refusal? Extend(ComplaintState state, LocalDate newDeadline, LocalDate consentOn, LocalDate today) =>
        Decided(state)
        ?? Day("consent_on", consentOn, state.Clock.Received, today)
        ?? Later(newDeadline, state.Clock.Deadline);

    /// <summary>The hearing: held on a day between receipt and today, or waived on one of the law's grounds; a note of at most 500 characters.</summary>
    public static Refusal? Hear(ComplaintState state, Hearing hearing, LocalDate today) =>
        Decided(state)
        ?? (state.Heard ? Refusal.Of(RefusalCode.ComplaintHeard, "hearing") : null)
        ?? (hearing is { HeldOn: null, Waiver: null } ? Refusal.Of(RefusalCode.HearingHeldOrWaived, "held_on") : null)
        ?? (hearing is { HeldOn: not null, Waiver: not null } ? Refusal.Of(RefusalCode.HearingHeldAndWaived, "waiver") : null)
        ?? (hearing is { HeldOn: { } held } ? Day("held_on", held, state.Clock.Received, today) : null)
        ?? TextRules.FieldRefusal("hearing_note", hearing.Note, TextRules.MaxReasonLength, required: false, lineBreaks: true);

    /// <summary>
    /// The decision: findings are required whatever the outcome (they are the letter's reasons), and the
    /// complainant must have been heard or the hearing waived first, unless the complaint was withdrawn.
    /// </summary>
    public static Refusal? Decide(ComplaintState state, ComplaintDecision decision, LocalDate today) =>
        Decided(state)
        ?? (string.IsNullOrWhiteSpace(decision.Findings) ? Refusal.Of(RefusalCode.OutcomeNeedsFindings, "findings") : null)
        ?? TextRules.FieldRefusal("findings", decision.Findings, MaxFindingsLength, required: true, lineBreaks: true)
        ?? (!state.Heard && decision.Outcome != ComplaintOutcome.Withdrawn ? Refusal.Of(RefusalCode.OutcomeNeedsHearing, "outcome") : null)
        ?? (state.Waiver == HearingWaiver.ClearlyUnfounded && decision.Outcome is not (ComplaintOutcome.Unfounded or ComplaintOutcome.Withdrawn)
            ? Refusal.Of(RefusalCode.OutcomeAfterClearlyUnfounded, "outcome") : null)
        ?? Day("decided_on", decision.DecidedOn, state.Clock.Received, today)
        ?? (state.HeardOn is { } heard && decision.DecidedOn < heard ? Refusal.Of(RefusalCode.DecidedBeforeHearing, "decided_on", ("date", heard)) : null);

    /// <summary>A remedy: a payment paid again names that payment, a write-off names its decision, and "other" says what was done.</summary>
    public static Refusal? Remedy(Remedy remedy) =>
        remedy switch
        {
            { Kind: RemedyKind.PaymentResent, PaymentId: null } => Refusal.Of(RefusalCode.RemedyNeedsLink, "remedy_payment"),
            { Kind: RemedyKind.WriteOff, DecisionId: null } => Refusal.Of(RefusalCode.RemedyNeedsLink, "remedy_decision"),
            { Kind: RemedyKind.Other } => TextRules.FieldRefusal("remedy_note", remedy.Note, TextRules.MaxReasonLength, required: true, lineBreaks: true),
            _ => TextRules.FieldRefusal("remedy_note", remedy.Note, TextRules.MaxReasonLength, required: false, lineBreaks: true),
        };

    private static Refusal? Decided(ComplaintState state) =>
        state.Clock.Decided is { } decided ? Refusal.Of(RefusalCode.ComplaintDecided, null, ("date", decided)) : null;

    private static Refusal? Later(LocalDate newDeadline, LocalDate deadline) =>
        !Countable(newDeadline) ? Refusal.Of(RefusalCode.DateOutOfRange, "new_deadline")
        : newDeadline <= deadline ? Refusal.Of(RefusalCode.ComplaintDeadlineNotLater, "new_deadline", ("deadline", deadline))
        : null;

    /// <summary>
    /// A complaint's days lie where its terms can be counted: the term calendar covers 2000–2100,
    /// and a term of ten weeks plus a postponement must end within it.
    /// </summary>
    private static bool Countable(LocalDate day) => SaneDates.Contains(day) && day.Year >= Calendars.BusinessCalendar.FirstYear && day.Year < Calendars.BusinessCalendar.LastYear;

    /// <summary>A day that lies within the engine's dates, not before <paramref name="received"/> and not after today.</summary>
    private static Refusal? Day(string field, LocalDate day, LocalDate? received, LocalDate today) =>
        !Countable(day) ? Refusal.Of(RefusalCode.DateOutOfRange, field)
        : day > today ? Refusal.Of(RefusalCode.DateInFuture, field, ("date", day))
        : received is { } r && day < r ? Refusal.Of(RefusalCode.DateBeforeReceipt, field, ("received", r))
        : null;
}
