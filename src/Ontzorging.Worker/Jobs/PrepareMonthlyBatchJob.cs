using Microsoft.Extensions.Logging;
using NodaTime;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Monitoring;
using Quartz;

namespace Ontzorging.Worker.Jobs;

/// <summary>
/// On the preparation day (06:00 Amsterdam): prepare the batch for next month (the preparer books
/// what arrived up to today first). Preparing again returns the existing batch, and the preparer's
/// advisory lock makes a recovered or concurrent run harmless. A month the rules refuse (an earlier
/// month still a draft, or one never prepared) fails the job, logged for the officers. The batch
/// then waits for two people.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class PrepareMonthlyBatchJob(BatchPreparer preparer, IClock clock, ILogger<PrepareMonthlyBatchJob> logger)
    : ScheduledJob(clock, logger)
{
    public static readonly JobKey Key = new(ScheduledJobNames.PrepareMonthlyBatch, ScheduledJobNames.Group);

    protected override async Task Run(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var today = Today;
        var outcome = await preparer.Prepare(Actor, today.ToYearMonth().PlusMonths(1), today, null, cancellationToken);
        if (outcome.Refusal is { } refusal)
        {
            // Recorded in the audit log by the use case; the job fails so the officers see it in job_runs.
            throw new InvalidOperationException(refusal.Message);
        }

        var batch = outcome.Value;
        LogPrepared(Logger, batch.Id, batch.Month, batch.Created, batch.Households, batch.Payments, batch.Issues);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchId} for {Month} (new: {Created}): {Households} households, {Payments} payments, {Issues} exceptions; awaiting approval")]
    private static partial void LogPrepared(ILogger logger, long batchId, YearMonth month, bool created, int households, int payments, int issues);
}
