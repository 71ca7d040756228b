using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Ledger;
using Ontzorging.Infrastructure.Readiness;
using Ontzorging.Infrastructure.Sepa;

namespace Ontzorging.IntegrationTests.Support;

/// <summary>
/// The use cases as the engine's own tests call them: by a login name (an operating-system user,
/// as the CLI acts, or a full subject such as <c>system:tests</c>), with a refusal thrown
/// (<see cref="UseCaseResults.OrThrow{T}"/>) where a test expects the write to go through. Tests of the
/// door itself call the use cases directly and read their <see cref="Result{T}"/>.
/// </summary>
internal static class UseCaseCalls
{
    public static Actor As(string who) => who.Contains(':', StringComparison.Ordinal) ? new Actor(who, who, ActorChannel.Cli) : Actor.OperatingSystemUser(who);

    public static async Task<PreparedBatch> Prepare(this BatchPreparer preparer, YearMonth month, LocalDate day, string who, CancellationToken ct = default) =>
        (await preparer.Prepare(As(who), month, day, null, ct)).OrThrow();

    public static async Task<PreparedBatch> Prepare(this BatchPreparer preparer, YearMonth month, LocalDate day, string who, string? reason, CancellationToken ct = default) =>
        (await preparer.Prepare(As(who), month, day, reason, ct)).OrThrow();

    /// <summary>Acknowledges every exception of the batch (issue 22) and approves it, as <paramref name="who"/>.</summary>
    public static async Task Approve(this BatchLifecycle lifecycle, long id, string who)
    {
        // Refused to the preparer (or on a batch that is no draft): the approval then says why, as it did before.
        _ = await lifecycle.AcknowledgeAll(As(who), id);
        (await lifecycle.Approve(As(who), id)).OrThrow();
    }

    public static async Task Reject(this BatchLifecycle lifecycle, long id, string who, string reason) => (await lifecycle.Reject(As(who), id, reason)).OrThrow();

    public static async Task Cancel(this BatchLifecycle lifecycle, long id, string who, string reason) => (await lifecycle.Cancel(As(who), id, reason)).OrThrow();

    public static async Task<BatchExport> Export(this BatchLifecycle lifecycle, long id, string who, Pain001Version version, string file) =>
        (await lifecycle.Export(As(who), id, version, file)).OrThrow();

    public static async Task<BatchSettlement> Settle(this BatchLifecycle lifecycle, long id, LocalDate through, string who) =>
        (await lifecycle.Settle(As(who), id, through)).OrThrow();

    public static async Task<ImportReport> Import(this IntakeImporter importer, string directory, string who, CancellationToken ct = default) =>
        (await importer.Import(As(who), directory, ct)).OrThrow();

    public static async Task<BankImportReport> Import(this BankStatementImporter importer, string path, BankFormat? format, string who, bool dryRun,
        IProgress<(string Stage, double Done)>? progress = null, CancellationToken ct = default) =>
        (await importer.Import(As(who), path, format, dryRun, progress, ct)).OrThrow();

    public static async Task Confirm(this IncomingMatcher matcher, long lineId, string household, IncomeKind kind, YearMonth? from, YearMonth? to, LocalDate today, string who) =>
        (await matcher.Confirm(As(who), lineId, household, kind, from, to, today)).OrThrow();

    public static Task<(int Receipts, int WriteOffs)> Run(this DailyBookkeeping bookkeeping, LocalDate today, string who, CancellationToken ct = default) =>
        bookkeeping.Run(As(who), today, ct);

    public static Task<IReadOnlyList<HouseholdReadiness>> Evaluate(this ReadinessService readiness, LocalDate day) => readiness.Evaluate(As("system:tests"), day);

    public static async Task<bool> Record(this DecisionRecorder recorder, string household, Decision decision, LocalDate today) =>
        (await recorder.Record(As(decision.RecordedBy), household, decision, today)).OrThrow().Added;
}
