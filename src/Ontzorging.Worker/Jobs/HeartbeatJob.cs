using Dapper;
using NodaTime;
using Npgsql;
using Quartz;

namespace Ontzorging.Worker.Jobs;

/// <summary>
/// Records one row per scheduled firing: visible proof that the clustered schedule runs and that a
/// job's writes reach the database. Keyed on the scheduled time, so a recovered re-run adds nothing.
/// </summary>
[DisallowConcurrentExecution]
public sealed class HeartbeatJob(NpgsqlDataSource dataSource, IClock clock) : IJob
{
    public static readonly JobKey Key = new("heartbeat", "ontzorging");

    private const string InsertSql = """
        INSERT INTO heartbeats (instance_id, scheduled_for, recorded_at)
        VALUES (@InstanceId, @ScheduledFor, @RecordedAt)
        ON CONFLICT ON CONSTRAINT uq_heartbeats_scheduled_for DO NOTHING
        """;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                InsertSql,
                new
                {
                    InstanceId = context.Scheduler.SchedulerInstanceId,
                    ScheduledFor = Instant.FromDateTimeOffset(context.ScheduledFireTimeUtc ?? context.FireTimeUtc),
                    RecordedAt = clock.GetCurrentInstant(),
                },
                cancellationToken: cancellationToken));
        }
        catch (NpgsqlException ex)
        {
            throw new JobExecutionException("heartbeat could not be recorded", ex);
        }
    }
}
