using Dapper;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;
using Quartz;

namespace Ontzorging.Worker.Jobs;

/// <summary>
/// Writes every job firing to <c>job_runs</c>: when it was due, which node ran it, how it ended.
/// Recording must never stop a job, so a failure to record is logged, not thrown.
/// </summary>
public sealed partial class JobRunRecorder(NpgsqlDataSource dataSource, IClock clock, ILogger<JobRunRecorder> logger) : IJobListener
{
    private const string StartSql = """
        INSERT INTO job_runs (job_name, fire_instance_id, instance_id, scheduled_for, started_at, recovering)
        VALUES (@JobName, @FireInstanceId, @InstanceId, @ScheduledFor, @StartedAt, @Recovering)
        ON CONFLICT (fire_instance_id, instance_id) DO NOTHING
        """;

    private const string FinishSql = """
        UPDATE job_runs
           SET finished_at = @FinishedAt, outcome = @Outcome, error = @Error
         WHERE fire_instance_id = @FireInstanceId AND instance_id = @InstanceId
        """;

    public string Name => nameof(JobRunRecorder);

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        Record(context, StartSql, new
        {
            JobName = context.JobDetail.Key.ToString(),
            context.FireInstanceId,
            InstanceId = context.Scheduler.SchedulerInstanceId,
            ScheduledFor = context.ScheduledFireTimeUtc is { } due ? Instant.FromDateTimeOffset(due) : (Instant?)null,
            StartedAt = clock.GetCurrentInstant(),
            context.Recovering,
        }, cancellationToken);

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default) =>
        Record(context, FinishSql, new
        {
            context.FireInstanceId,
            InstanceId = context.Scheduler.SchedulerInstanceId,
            FinishedAt = clock.GetCurrentInstant(),
            Outcome = jobException is null ? "succeeded" : "failed",
            Error = jobException?.InnerException?.Message ?? jobException?.Message,
        }, cancellationToken);

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobProgressChanged(IJobExecutionContext context, Quartz.Extensibility.FireInstanceProgress progress, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    private async ValueTask Record(IJobExecutionContext context, string sql, object parameters, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        }
        catch (NpgsqlException ex)
        {
            LogRecordFailed(logger, ex, context.JobDetail.Key.ToString());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the run of job {Job}")]
    private static partial void LogRecordFailed(ILogger logger, Exception ex, string job);
}
