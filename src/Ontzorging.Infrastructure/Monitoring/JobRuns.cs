using Dapper;
using NodaTime;
using Npgsql;

namespace Ontzorging.Infrastructure.Monitoring;

/// <summary>
/// The scheduler's own log: one row per job firing (<c>job_runs</c>) and per heartbeat. These are
/// the record of the schedule itself, not writes a person or a job makes to the municipality's
/// data, so they keep no audit record of their own (docs/architecture.md "One door").
/// </summary>
public sealed class JobRuns(NpgsqlDataSource dataSource, IClock clock)
{
    private const string HeartbeatSql = """
        INSERT INTO heartbeats (instance_id, scheduled_for, recorded_at)
        VALUES (@InstanceId, @ScheduledFor, @RecordedAt)
        ON CONFLICT ON CONSTRAINT uq_heartbeats_scheduled_for DO NOTHING
        """;

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

    /// <summary>One heartbeat per scheduled firing; a recovered re-run adds nothing.</summary>
    public Task Heartbeat(string instanceId, Instant scheduledFor, CancellationToken ct) =>
        Execute(HeartbeatSql, new { InstanceId = instanceId, ScheduledFor = scheduledFor, RecordedAt = clock.GetCurrentInstant() }, ct);

    public Task Started(string jobName, string fireInstanceId, string instanceId, Instant? scheduledFor, bool recovering, CancellationToken ct) =>
        Execute(StartSql, new { JobName = jobName, FireInstanceId = fireInstanceId, InstanceId = instanceId, ScheduledFor = scheduledFor, StartedAt = clock.GetCurrentInstant(), Recovering = recovering }, ct);

    public Task Finished(string fireInstanceId, string instanceId, string? error, CancellationToken ct) =>
        Execute(FinishSql, new { FireInstanceId = fireInstanceId, InstanceId = instanceId, FinishedAt = clock.GetCurrentInstant(), Outcome = error is null ? "succeeded" : "failed", Error = error }, ct);

    private async Task Execute(string sql, object parameters, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: ct));
    }
}
