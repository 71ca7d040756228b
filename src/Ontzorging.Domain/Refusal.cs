using System.Globalization;

namespace Ontzorging.Domain;

/// <summary>
/// Every reason a rule says no, as a code. Each channel turns a code and its parameters into words
/// in one place: the site through its resource files (<c>Refusal_&lt;Code&gt;</c>), the CLI and the
/// audit log through <see cref="Refusal.Message"/> (plain English, the words staff read in records).
/// </summary>
public enum RefusalCode
{
    // Operations: only the idempotent scheduled jobs may be run at once (JobRequests).
    JobNotRunnable,

    // A period asked for (van … tot) must not end before it starts.
    PeriodReversed,

    // The decision form, the CLI's options and the intake events read the same way (DecisionInput).
    DecisionKindUnknown,
    DateUnreadable,
    WholeNumberUnreadable,
    AmountMissing,
    AmountUnreadable,
    AmountAmbiguous,

    // What makes a decision complete (DecisionRules).
    DateOutOfRange,
    ExtensionMonths,
    LastDayMissing,
    LastDayOutOfRange,
    ScoreOutOfRange,
    OptOutNeedsReason,
    TrainingNeedsCourse,
    WriteOffNeedsReason,
    WriteOffNotPositive,
    ReasonText,
    ReasonHidden,
    RecorderMissing,

    // Against what the database holds.
    HouseholdUnknown,
    WriteOffExceedsCredit,

    // A what-if on the household page (WhatIf): the changes that are not decisions.
    WhatIfNothingToTry,
    NoRentContract,
    ToeslagKindUnknown,
    FrequencyUnknown,

    // Batches (BatchStates, MonthOrder).
    BatchUnknown,
    BatchWrongState,
    FourEyes,
    UndoNeedsReason,
    LaterBatchBuildsOn,
    EarlierBatchIsDraft,
    LaterMonthPrepared,
    MonthSkipped,
    MonthsSkipped,
    PreparationLate,
    ExceptionsUnacknowledged,
    AcknowledgedByPreparer,
    ExceptionUnknown,
    MonthUnreadable,
    VersionUnknown,

    // An export writes exactly what was approved (PaymentsDigest).
    PaymentsNotAsApproved,
    ApprovedWithoutDigest,

    // Bank lines confirmed by a person.
    LineNotWaiting,
    LineOfOtherAccount,
    CoverageBackwards,
    ReceiptAlreadyRecorded,
    BijstandIsNoReceipt,

    // Linking a person's subjects (People).
    SubjectNotAPerson,
    PersonsStayApart,
    LoginOfAnotherPerson,

    // Files (intake, bank statements): each error names its file, line and field.
    InputRejected,

    // An opening position exported as of a day the engine had not caught up with (OpeningRules, rules §20).
    OpeningMonthsBehind,

    // Money signals suppressed by a caseworker (rules §18).
    SuppressNeedsReason,
    SignalUnknown,
    SignalNotOpen,
    NoRefusedAccount,

    // A person's free text in a form field (TextRules.FieldRefusal).
    TextMissing,
    TextControl,
    TextHidden,
    TextTooLong,
    DateInFuture,

    // Complaints (ComplaintRules, Awb chapter 9).
    ComplaintUnknown,
    ComplaintCodeUnknown,
    DateBeforeReceipt,
    ComplaintTooManyLinks,
    ComplaintLinkNotOfHousehold,
    ComplaintAlreadyAcknowledged,
    ComplaintPostponedOnce,
    ComplaintNoticeAfterDeadline,
    ComplaintPostponementTooLong,
    ComplaintDeadlineNotLater,
    HearingHeldOrWaived,
    ComplaintHeard,
    HearingHeldAndWaived,
    OutcomeAfterClearlyUnfounded,
    DecidedBeforeHearing,
    OutcomeNeedsFindings,
    OutcomeNeedsHearing,
    RemedyNeedsLink,
    ComplaintDecided,

    // A guard of the database itself (a check the engine did not make first, e.g. a race).
    DatabaseRefused,
}

/// <summary>
/// A rule's "no": its <see cref="Code"/>, the form field it concerns (when one does), and the
/// values the words need. Parameters keep their types (<see cref="Money"/>, dates, numbers), so each
/// channel writes them in its own culture.
/// </summary>
public sealed record Refusal(RefusalCode Code, string? Field, IReadOnlyDictionary<string, object> Parameters)
{
    public static Refusal Of(RefusalCode code, string? field = null, params (string Name, object Value)[] parameters) =>
        new(code, field, parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal));

    /// <summary>A parameter as invariant text.</summary>
    internal string Text(string name) => Parameters.TryGetValue(name, out var value) ? Invariant(value) : "";

    /// <summary>The refusal in plain English: what the CLI prints and the audit log keeps.</summary>
    public string Message => RefusalMessages.English(this);

    public override string ToString() => Message;

    internal static string Invariant(object value) => value switch
    {
        Batches.BatchStatus status => Batches.BatchStates.Code(status),
        IEnumerable<Batches.BatchStatus> statuses => string.Join(" or ", statuses.Select(Batches.BatchStates.Code)),
        IFormattable formattable => formattable.ToString(value is NodaTime.YearMonth ? "yyyy-MM" : null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>A rule said no. Thrown inside a use case; the door records it and returns it as a value.</summary>
public sealed class RefusedException(Refusal refusal) : Exception(refusal.Message)
{
    public Refusal Refusal { get; } = refusal;
}

/// <summary>The English words of every refusal, in one place.</summary>
public static class RefusalMessages
{
    private static string Field(Refusal r) => r.Field is { } field ? $"'{field}'" : "the text";

    public static string English(Refusal r) => r.Code switch
    {
        RefusalCode.DecisionKindUnknown => $"'{r.Text("text")}' is not a kind of decision ({string.Join(", ", Households.DecisionKinds.All.Select(k => k.Code))})",
        RefusalCode.DateUnreadable => $"'{r.Text("text")}' is not a date like 2026-08-01",
        RefusalCode.WholeNumberUnreadable => $"'{r.Text("text")}' is not a whole number",
        RefusalCode.AmountMissing => "give an amount like 150,00, or 'all'",
        RefusalCode.AmountUnreadable => $"'{r.Text("text")}' is not an amount like 150,00 or 1.500,00",
        RefusalCode.AmountAmbiguous => $"'{r.Text("text")}' could be read two ways; write {r.Text("text")},00 or use a decimal comma, like 150,00",
        RefusalCode.DateOutOfRange => "the date must lie between 1900 and 2099",
        RefusalCode.ExtensionMonths => "an extension is 1 to 12 whole months",
        RefusalCode.LastDayMissing => "a bijstand end needs the last day of bijstand",
        RefusalCode.LastDayOutOfRange => "the last day must lie between 1900 and 2099",
        RefusalCode.ScoreOutOfRange => "a ZRM score is 1 to 5",
        RefusalCode.OptOutNeedsReason => "an opt-out needs a reason",
        RefusalCode.TrainingNeedsCourse => "a completed training needs the course name",
        RefusalCode.WriteOffNeedsReason => "a write-off needs a reason",
        RefusalCode.WriteOffNotPositive => "a write-off amount must be positive (or 'all')",
        RefusalCode.ReasonText => "the reason " + r.Text("problem"),
        RefusalCode.ReasonHidden => $"the reason holds the hidden character {r.Text("character")} at character {r.Text("position")}; bidi controls, zero-width characters and line separators are not allowed (they often come along when text is copied)",
        RefusalCode.RecorderMissing => "who recorded the decision is required",
        RefusalCode.SuppressNeedsReason => "suppressing a signal needs a reason",
        RefusalCode.SignalUnknown => $"household '{r.Text("household")}' has no signal {r.Text("signal")}",
        RefusalCode.SignalNotOpen => $"signal {r.Text("signal")} is {r.Text("status")}, not open; only an open signal is suppressed",
        RefusalCode.HouseholdUnknown => $"unknown household '{r.Text("household")}'",
        RefusalCode.NoRefusedAccount => $"{r.Text("household")} has no {r.Text("kind")} contract whose account the bank refused and no one has confirmed",
        RefusalCode.WriteOffExceedsCredit => $"cannot write off {r.Text("amount")}: only {r.Text("outstanding")} of credit is outstanding",
        RefusalCode.WhatIfNothingToTry => "fill in at least one change to try",
        RefusalCode.NoRentContract => "the household has no rent contract whose amount could change",
        RefusalCode.ToeslagKindUnknown => $"'{r.Text("text")}' is not a toeslag (huurtoeslag, zorgtoeslag, kindgebonden_budget)",
        RefusalCode.FrequencyUnknown => $"'{r.Text("text")}' is not a leefgeld frequency (monthly, weekly)",
        RefusalCode.BatchUnknown => $"there is no batch {r.Text("batch")}",
        RefusalCode.BatchWrongState => $"cannot {r.Text("action")} batch {r.Text("batch")}: it is {r.Text("status")} (only a batch that is {r.Text("allowed")} can be)",
        RefusalCode.FourEyes => $"batch {r.Text("batch")} was prepared by {r.Text("preparer")}; a second person must approve it (four eyes)",
        RefusalCode.UndoNeedsReason => $"a reason is required to mark a batch {r.Text("status")}",
        RefusalCode.LaterBatchBuildsOn => $"batch {r.Text("later")} for a later month builds on batch {r.Text("batch")}; reject or cancel that one first",
        RefusalCode.EarlierBatchIsDraft => $"cannot prepare {r.Text("month")}: the batch for {r.Text("draft")} is still a draft; approve, reject or cancel it before preparing {r.Text("month")}",
        RefusalCode.LaterMonthPrepared => $"cannot prepare {r.Text("month")}: the batch for {r.Text("later")} is already prepared; {r.Text("month")} would pay the balances it paid (cancel or reject the later batch first)",
        RefusalCode.MonthSkipped => $"cannot prepare {r.Text("month")}: {r.Text("from")} was never prepared; prepare it first, or state why {r.Text("month")} comes now (--reason)",
        RefusalCode.MonthsSkipped => $"cannot prepare {r.Text("month")}: {r.Text("from")} to {r.Text("through")} were never prepared; prepare them first, or state why {r.Text("month")} comes now (--reason)",
        RefusalCode.PreparationLate => $"cannot prepare {r.Text("month")} without a reason: its preparation day was {r.Text("scheduled")}, {r.Text("days")} days ago (more than {r.Text("allowed")}), so payments will go out late; state why it comes now (--reason)",
        RefusalCode.ExceptionsUnacknowledged => $"batch {r.Text("batch")} cannot be approved: {r.Text("open")} exception(s) are not acknowledged yet; the approver acknowledges each one first (batch acknowledge)",
        RefusalCode.AcknowledgedByPreparer => $"batch {r.Text("batch")} was prepared by {r.Text("preparer")}; its exceptions are acknowledged by a second person, as it is approved",
        RefusalCode.MonthUnreadable => $"'{r.Text("text")}' is not a month like 2026-11",
        RefusalCode.VersionUnknown => $"'{r.Text("text")}' is not a pain.001 version (09 or 03)",
        RefusalCode.ExceptionUnknown => $"batch {r.Text("batch")} has no exception {r.Text("exception")}",
        RefusalCode.PaymentsNotAsApproved => $"batch {r.Text("batch")} was not exported: its payments are not the ones approved ({r.Text("approvedCount")} payment(s) of {r.Text("approvedSum")} in total were approved; the batch now holds {r.Text("count")} of {r.Text("sum")}, or a payee, IBAN, amount, date or reference differs). Someone changed them past the database's guards: report it; a batch not yet exported is cancelled and prepared again",
        RefusalCode.ApprovedWithoutDigest => $"batch {r.Text("batch")} was not exported: it was approved before an approval kept a digest of the payments (migration 0022), so what it would pay cannot be checked against what was approved; a batch not yet exported is cancelled and prepared again",
        RefusalCode.LineNotWaiting => $"bank line {r.Text("line")} is not an incoming line waiting for confirmation",
        RefusalCode.LineOfOtherAccount => $"bank line {r.Text("line")} is a line of account {r.Text("account")}, not of the managed account: its money is not ours to book",
        RefusalCode.CoverageBackwards => "the covered months end before they start",
        RefusalCode.ReceiptAlreadyRecorded => "the same receipt is already recorded",
        RefusalCode.BijstandIsNoReceipt => "bijstand is never a receipt: the batch books it",
        RefusalCode.SubjectNotAPerson => $"'{r.Text("subject")}' is not a person's subject; link an OS login (os:<login>) and a provider subject (oidc:<sub>)",
        RefusalCode.PersonsStayApart => $"{r.Text("first")} belongs to {r.Text("firstPerson")} and {r.Text("second")} to {r.Text("secondPerson")}, who each have more than one subject already; two such persons are never merged",
        RefusalCode.LoginOfAnotherPerson => $"the identity provider names the login {r.Text("login")}, which belongs to {r.Text("person")}; an administrator must look into it before this sign-in",
        RefusalCode.InputRejected => $"{r.Text("errors")} error(s) in {r.Text("source")}; nothing was written",
        RefusalCode.OpeningMonthsBehind => $"no opening position as of {r.Text("date")}: by then the timetable had reached {r.Text("expected")}, but the engine had prepared only through {r.Text("prepared")}; choose a day on or after that month's preparation, or prepare it first",
        RefusalCode.PeriodReversed => $"the period ends ({r.Text("to")}) before it starts ({r.Text("from")})",
        RefusalCode.JobNotRunnable => $"the job {r.Text("job")} cannot be run from here; only the idempotent daily jobs can",
        RefusalCode.TextMissing => $"{Field(r)} is required",
        RefusalCode.TextControl => $"{Field(r)} holds the control character {r.Text("character")} at character {r.Text("position")}; remove it",
        RefusalCode.TextHidden => $"{Field(r)} holds the hidden character {r.Text("character")} at character {r.Text("position")}; bidi controls, zero-width characters and line separators are not allowed",
        RefusalCode.TextTooLong => $"{Field(r)} is {r.Text("length")} characters long; at most {r.Text("max")}",
        RefusalCode.DateInFuture => $"{Field(r)} {r.Text("date")} lies in the future",
        RefusalCode.ComplaintUnknown => $"there is no complaint {r.Text("complaint")}",
        RefusalCode.ComplaintCodeUnknown => $"'{r.Text("text")}' is not one of {r.Text("codes")}",
        RefusalCode.DateBeforeReceipt => $"{Field(r)} lies before the complaint was received ({r.Text("received")})",
        RefusalCode.ComplaintTooManyLinks => $"a complaint links at most {r.Text("max")} payments, receipts, months or decisions",
        RefusalCode.ComplaintLinkNotOfHousehold => $"{r.Text("kind")} {r.Text("id")} is not one of household {r.Text("household")}'s",
        RefusalCode.ComplaintAlreadyAcknowledged => $"the receipt was already acknowledged on {r.Text("date")}",
        RefusalCode.ComplaintPostponedOnce => $"the deadline ({r.Text("deadline")}) was already moved once; a further delay needs the complainant's written consent (Awb 9:11(2))",
        RefusalCode.ComplaintNoticeAfterDeadline => $"a postponement is told to the complainant before the term ends ({r.Text("deadline")})",
        RefusalCode.ComplaintPostponementTooLong => $"a postponement is at most {r.Text("weeks")} weeks: the latest new deadline is {r.Text("latest")}",
        RefusalCode.ComplaintDeadlineNotLater => $"the new deadline must lie after the current one ({r.Text("deadline")})",
        RefusalCode.HearingHeldOrWaived => "give the day of the hearing, or why it was waived",
        RefusalCode.ComplaintHeard => "the hearing was already recorded",
        RefusalCode.HearingHeldAndWaived => "a hearing is either held (its day) or waived (its ground), not both",
        RefusalCode.OutcomeAfterClearlyUnfounded => "the hearing was waived because the complaint is clearly unfounded (Awb 9:10(2)(a)); hear the complainant before deciding otherwise",
        RefusalCode.DecidedBeforeHearing => $"the decision cannot come before the hearing ({r.Text("date")})",
        RefusalCode.OutcomeNeedsFindings => "an outcome needs its findings: they are the letter's reasons (Awb 9:12)",
        RefusalCode.OutcomeNeedsHearing => "hear the complainant first, or record why the hearing was waived (Awb 9:10)",
        RefusalCode.RemedyNeedsLink => "name the payment or the write-off decision that put it right",
        RefusalCode.ComplaintDecided => $"the complaint was decided on {r.Text("date")}; nothing more can be recorded",
        RefusalCode.DatabaseRefused => $"the database refused it: {r.Text("message")}",
        _ => r.Code.ToString(),
    };
}
