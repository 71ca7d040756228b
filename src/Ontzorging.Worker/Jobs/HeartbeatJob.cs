using NodaTime;
using Npgsql;
using Ontzorging.Infrastructure.Monitoring;
using Quartz;

namespace Ontzorging.Worker.Jobs;

/// <summary>
/// Records one row per scheduled firing: visible proof that the clustered schedule runs and that a
/// job's writes reach the database. Keyed on the scheduled time, so a recovered re-run adds nothing.
/// </summary>
[DisallowConcurrentExecution]
public sealed class HeartbeatJob(JobRuns runs) : IJob
{
    public static readonly JobKey Key = new(ScheduledJobNames.Heartbeat, ScheduledJobNames.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await runs.Heartbeat(context.Scheduler.SchedulerInstanceId, Instant.FromDateTimeOffset(context.ScheduledFireTimeUtc ?? context.FireTimeUtc), cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            throw new JobExecutionException("heartbeat could not be recorded", ex);
        }
    }
}
