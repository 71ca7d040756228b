using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;
using Ontzorging.Infrastructure.Monitoring;
using Quartz;

namespace Ontzorging.Worker.Jobs;

/// <summary>
/// Writes every job firing to <c>job_runs</c>: when it was due, which node ran it, how it ended.
/// Recording must never stop a job, so a failure to record is logged, not thrown.
/// </summary>
public sealed partial class JobRunRecorder(JobRuns runs, ILogger<JobRunRecorder> logger) : IJobListener
{
    public string Name => nameof(JobRunRecorder);

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        Record(context, () => runs.Started(context.JobDetail.Key.ToString(), context.FireInstanceId, context.Scheduler.SchedulerInstanceId,
            context.ScheduledFireTimeUtc is { } due ? Instant.FromDateTimeOffset(due) : null, context.Recovering, cancellationToken));

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default) =>
        Record(context, () => runs.Finished(context.FireInstanceId, context.Scheduler.SchedulerInstanceId,
            jobException is null ? null : jobException.InnerException?.Message ?? jobException.Message, cancellationToken));

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobProgressChanged(IJobExecutionContext context, Quartz.Extensibility.FireInstanceProgress progress, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    private async ValueTask Record(IJobExecutionContext context, Func<Task> record)
    {
        if (context.JobDetail.Key.Equals(JobRequestsJob.Key))
        {
            // Fires every few seconds; what it starts is logged as those jobs' own runs.
            return;
        }

        try
        {
            await record();
        }
        catch (NpgsqlException ex)
        {
            LogRecordFailed(logger, ex, context.JobDetail.Key.ToString());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the run of job {Job}")]
    private static partial void LogRecordFailed(ILogger logger, Exception ex, string job);
}
