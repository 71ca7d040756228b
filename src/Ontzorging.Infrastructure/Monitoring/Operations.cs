using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Database;

namespace Ontzorging.Infrastructure.Monitoring;

/// <summary>
/// The scheduled jobs by name (the worker's Quartz keys are made from these) and which of them an
/// administrator may run at once. All are idempotent; the monthly preparation is left out because
/// preparing a month has its own page, with what it will do and a reason when it is late.
/// </summary>
public static class ScheduledJobNames
{
    public const string Group = "ontzorging";
    public const string Heartbeat = "heartbeat";
    public const string DailyBookkeeping = "daily-bookkeeping";
    public const string PrepareMonthlyBatch = "prepare-monthly-batch";
    public const string ToeslagWatch = "toeslag-watch";
    public const string PeriodEndNotices = "period-end-notices";
    public const string MonthEndReadiness = "month-end-readiness";
    public const string ForecastWatch = "forecast-watch";
    public const string StatementRender = "statement-render";
    public const string SignalWatch = "signal-watch";

    /// <summary>The worker's own dispatcher of run-now requests (not shown as a job of the municipality).</summary>
    public const string JobRequests = "job-requests";

    public static IReadOnlyList<string> RunNowAllowed { get; } = [Heartbeat, DailyBookkeeping, ToeslagWatch, SignalWatch, ForecastWatch, StatementRender, PeriodEndNotices, MonthEndReadiness];
}

public sealed record JobRunView(long Id, Instant StartedAt, Instant? FinishedAt, string Outcome, string? Error, string InstanceId, bool Recovering);

public sealed record JobRequestView(long Id, string JobName, string RequestedBy, Instant RequestedAt, Instant? TakenAt, string? TakenBy);

/// <summary>One scheduled job: its trigger's next and previous firing (Quartz), its last runs and last failure (job_runs).</summary>
public sealed record ScheduledJobView(string Name, string? Description, Instant? NextFiring, Instant? PreviousFiring, string? TriggerState,
    IReadOnlyList<JobRunView> LastRuns, JobRunView? LastFailure, JobRequestView? OpenRequest)
{
    public bool RunNowAllowed => ScheduledJobNames.RunNowAllowed.Contains(Name);
}

/// <summary>A worker node of the Quartz cluster and its last check-in; late when it missed two of its own intervals.</summary>
public sealed record ClusterNode(string InstanceId, Instant LastCheckin, Duration CheckinInterval, bool Late);

public sealed record DatabaseState(bool Reachable, string? ServerVersion, long? SizeBytes, int AppliedMigrations, IReadOnlyList<string> PendingMigrations, string? Problem);

/// <summary>What an administrator sees of the running engine (<c>/beheer</c>): read only.</summary>
public sealed class Operations(NpgsqlDataSource dataSource, IClock clock)
{
    private const string JobsSql = """
        SELECT j.job_name AS Name, j.description, t.next_fire_time AS NextTicks, t.prev_fire_time AS PreviousTicks, t.trigger_state AS TriggerState
          FROM qrtz_job_details j
          LEFT JOIN LATERAL (SELECT next_fire_time, prev_fire_time, trigger_state FROM qrtz_triggers t
                              WHERE t.sched_name = j.sched_name AND t.job_name = j.job_name AND t.job_group = j.job_group
                              ORDER BY t.trigger_name = j.job_name || '-cron' DESC, next_fire_time LIMIT 1) t ON true
         WHERE j.sched_name = @Scheduler AND j.job_group = @Group AND j.job_name <> @Dispatcher
         ORDER BY j.job_name
        """;

    private const string RunsSql = """
        SELECT r.id, r.started_at AS StartedAt, r.finished_at AS FinishedAt, r.outcome, r.error, r.instance_id AS InstanceId, r.recovering, r.job_name AS JobName
          FROM unnest(@Names::text[]) AS n(name)
          CROSS JOIN LATERAL (SELECT * FROM job_runs WHERE job_name = n.name ORDER BY started_at DESC LIMIT @Last) r
        UNION ALL
        SELECT f.id, f.started_at, f.finished_at, f.outcome, f.error, f.instance_id, f.recovering, 'failed:' || f.job_name
          FROM unnest(@Names::text[]) AS n(name)
          CROSS JOIN LATERAL (SELECT * FROM job_runs WHERE job_name = n.name AND outcome = 'failed' ORDER BY started_at DESC LIMIT 1) f
        """;

    private const string RequestsSql = """
        SELECT id, job_name AS JobName, requested_by AS RequestedBy, requested_at AS RequestedAt, taken_at AS TakenAt, taken_by AS TakenBy
          FROM job_requests ORDER BY requested_at DESC LIMIT @Limit
        """;

    public const string SchedulerName = "Ontzorging";

    /// <summary>The scheduled jobs with their last <paramref name="lastRuns"/> runs each.</summary>
    public async Task<IReadOnlyList<ScheduledJobView>> Jobs(int lastRuns = 5, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var jobs = (await connection.QueryAsync<JobRow>(new CommandDefinition(JobsSql,
            new { Scheduler = SchedulerName, ScheduledJobNames.Group, Dispatcher = ScheduledJobNames.JobRequests }, cancellationToken: ct))).ToList();
        var names = jobs.Select(j => $"{ScheduledJobNames.Group}.{j.Name}").ToArray();
        var runs = (await connection.QueryAsync<RunRow>(new CommandDefinition(RunsSql, new { Names = names, Last = lastRuns }, cancellationToken: ct))).ToList();
        var open = (await connection.QueryAsync<JobRequestView>(new CommandDefinition(
            "SELECT id, job_name AS JobName, requested_by AS RequestedBy, requested_at AS RequestedAt, taken_at AS TakenAt, taken_by AS TakenBy FROM job_requests WHERE taken_at IS NULL",
            cancellationToken: ct))).ToDictionary(r => r.JobName);
        return jobs.Select(j =>
        {
            var key = $"{ScheduledJobNames.Group}.{j.Name}";
            return new ScheduledJobView(j.Name, j.Description, Ticks(j.NextTicks), Ticks(j.PreviousTicks), j.TriggerState,
                runs.Where(r => r.JobName == key).Select(r => r.View).ToList(),
                runs.FirstOrDefault(r => r.JobName == "failed:" + key)?.View,
                open.GetValueOrDefault(j.Name));
        }).ToList();
    }

    /// <summary>The latest run-now requests, newest first.</summary>
    public async Task<IReadOnlyList<JobRequestView>> Requests(int limit = 20, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<JobRequestView>(new CommandDefinition(RequestsSql, new { Limit = limit }, cancellationToken: ct))).ToList();
    }

    /// <summary>The cluster's worker nodes as Quartz knows them (each checks in every few seconds).</summary>
    public async Task<IReadOnlyList<ClusterNode>> Nodes(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var now = clock.GetCurrentInstant();
        return (await connection.QueryAsync<(string Instance, long Checkin, long Interval)>(new CommandDefinition(
                "SELECT instance_name, last_checkin_time, checkin_interval FROM qrtz_scheduler_state WHERE sched_name = @Scheduler ORDER BY instance_name",
                new { Scheduler = SchedulerName }, cancellationToken: ct)))
            .Select(n =>
            {
                var checkin = Ticks(n.Checkin)!.Value;
                var interval = Duration.FromMilliseconds(n.Interval);
                return new ClusterNode(n.Instance, checkin, interval, now - checkin > interval * 2 + Duration.FromSeconds(5));
            }).ToList();
    }

    /// <summary>Whether the database answers, its version and size, and the migrations this release would still apply.</summary>
    public async Task<DatabaseState> Database(string connectionString, CancellationToken ct = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            var (version, size) = await connection.QuerySingleAsync<(string, long)>(new CommandDefinition(
                "SELECT current_setting('server_version'), pg_database_size(current_database())", cancellationToken: ct));
            var status = new DatabaseMigrator(connectionString).Status();
            return new DatabaseState(true, version, size, status.Applied.Count, status.Pending, null);
        }
        catch (NpgsqlException ex)
        {
            return new DatabaseState(false, null, null, 0, [], ex.Message);
        }
    }

    /// <summary>Quartz keeps moments as .NET ticks (100 ns since 0001-01-01, UTC).</summary>
    private static Instant? Ticks(long? ticks) => ticks is { } t && t > 0 ? Instant.FromUnixTimeTicks(t - DateTime.UnixEpoch.Ticks) : null;

    private sealed class JobRow
    {
        public string Name { get; set; } = "";

        public string? Description { get; set; }

        public long? NextTicks { get; set; }

        public long? PreviousTicks { get; set; }

        public string? TriggerState { get; set; }
    }

    private sealed class RunRow
    {
        public long Id { get; set; }

        public Instant StartedAt { get; set; }

        public Instant? FinishedAt { get; set; }

        public string Outcome { get; set; } = "";

        public string? Error { get; set; }

        public string InstanceId { get; set; } = "";

        public bool Recovering { get; set; }

        public string JobName { get; set; } = "";

        public JobRunView View => new(Id, StartedAt, FinishedAt, Outcome, Error, InstanceId, Recovering);
    }
}

/// <summary>
/// "Run now": an administrator asks the cluster to run an idempotent scheduled job at once. The
/// request is a row written with its audit record (one door); a worker node takes it within
/// seconds and hands the job to Quartz (<see cref="Take"/>), so it runs like any scheduled firing,
/// as <c>system:scheduler</c>, and shows in job_runs.
/// </summary>
public sealed class JobRequests(WriteDoor door, NpgsqlDataSource dataSource)
{
    public sealed record Requested(long Id, string JobName, bool AlreadyWaiting);

    public Task<Result<Requested>> RunNow(Actor actor, string jobName, CancellationToken ct = default) =>
        door.Run(actor, AuditActions.JobRunNow, $"job {jobName}", async (scope, token) =>
        {
            if (!ScheduledJobNames.RunNowAllowed.Contains(jobName))
            {
                throw new RefusedException(Refusal.Of(RefusalCode.JobNotRunnable, "job", ("job", jobName)));
            }

            var waiting = await scope.Connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                "SELECT id FROM job_requests WHERE job_name = @Name AND taken_at IS NULL", new { Name = jobName }, scope.Transaction, cancellationToken: token));
            if (waiting is { } open)
            {
                scope.NothingChanged = true;
                return new Requested(open, jobName, AlreadyWaiting: true);
            }

            var id = await scope.Connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO job_requests (job_name, requested_by, requested_at) VALUES (@Name, @Subject, @At)
                ON CONFLICT (job_name) WHERE taken_at IS NULL DO NOTHING RETURNING id
                """, new { Name = jobName, actor.Subject, At = scope.Now }, scope.Transaction, cancellationToken: token));
            scope.After = new { Job = jobName, Request = id };
            return new Requested(id, jobName, AlreadyWaiting: false);
        }, ct);

    /// <summary>
    /// For a worker node: takes the open requests and calls <paramref name="start"/> for each job,
    /// in one transaction, so a request is taken only when its job was handed over (a node that
    /// dies in between leaves it open for another; the jobs are idempotent).
    /// </summary>
    public async Task<int> Take(string instanceId, Instant now, Func<string, CancellationToken, Task> start, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var open = (await connection.QueryAsync<(long Id, string JobName)>(new CommandDefinition(
            "SELECT id, job_name FROM job_requests WHERE taken_at IS NULL ORDER BY id FOR UPDATE SKIP LOCKED", transaction: transaction, cancellationToken: ct))).ToList();
        foreach (var request in open)
        {
            await start(request.JobName, ct);
            await connection.ExecuteAsync(new CommandDefinition("UPDATE job_requests SET taken_at = @Now, taken_by = @Instance WHERE id = @Id",
                new { Now = now, Instance = instanceId, request.Id }, transaction, cancellationToken: ct));
        }

        await transaction.CommitAsync(ct);
        return open.Count;
    }
}
