namespace Ontzorging.Infrastructure.Audit;

/// <summary>Every action the audit log keeps, named once (the site has words for each).</summary>
public static class AuditActions
{
    public const string DecisionRecord = "decision.record";
    public const string IntakeImport = "intake.import";
    public const string Bookkeeping = "ledger.bookkeeping";
    public const string LedgerImport = "ledger.import";
    public const string LedgerStatusReport = "ledger.status_report";
    public const string CreditorAccountConfirm = "contract.account_confirm";
    public const string LedgerConfirm = "ledger.confirm";
    public const string LedgerExport = "ledger.export";
    public const string BatchPrepare = "batch.prepare";
    public const string ReadinessEvaluate = "readiness.evaluate";
    public const string ToeslagWatch = "watch.toeslagen";
    public const string PeriodEndWatch = "watch.period_ends";
    public const string ForecastWatch = "watch.forecast";
    public const string SignalWatch = "watch.signals";
    public const string SignalSuppress = "signal.suppress";
    public const string StatementRender = "statement.render";
    public const string StatementView = "statement.view";
    public const string HouseholdView = "household.view";
    public const string BsnReveal = "household.bsn_unmasked";
    public const string SignIn = "session.sign_in";
    public const string SignOut = "session.sign_out";
    public const string PersonLink = "person.link";
    public const string AuditExport = "audit.export";
    public const string JobRunNow = "job.run_now";
    public const string BatchAcknowledge = "batch.acknowledge";
    public const string ComplaintRegister = "complaint.register";
    public const string ComplaintAcknowledge = "complaint.acknowledge";
    public const string ComplaintPostpone = "complaint.postpone";
    public const string ComplaintExtend = "complaint.extend";
    public const string ComplaintHearing = "complaint.hearing";
    public const string ComplaintDecide = "complaint.decide";
    public const string ComplaintRemedy = "complaint.remedy";
    public const string ComplaintView = "complaint.view";
    public const string OpeningExport = "household.export_opening";

    /// <summary>A step on a batch: batch.approve, batch.reject, batch.cancel, batch.export, batch.settle.</summary>
    public static string BatchStep(Domain.Batches.BatchAction action) => "batch." + action.ToString().ToLowerInvariant();

    public static IReadOnlyList<string> All { get; } =
    [
        DecisionRecord, IntakeImport, Bookkeeping, LedgerImport, LedgerStatusReport, CreditorAccountConfirm, LedgerConfirm, LedgerExport, BatchPrepare, ReadinessEvaluate, ToeslagWatch, PeriodEndWatch,
        SignalWatch, SignalSuppress, HouseholdView, BsnReveal, SignIn, SignOut, PersonLink, AuditExport, JobRunNow, BatchAcknowledge,
        ComplaintRegister, ComplaintAcknowledge, ComplaintPostpone, ComplaintExtend, ComplaintHearing, ComplaintDecide, ComplaintRemedy, ComplaintView,
        OpeningExport,
        .. Enum.GetValues<Domain.Batches.BatchAction>().Select(BatchStep),
    ];
}
