using Microsoft.Extensions.Logging;
using NodaTime;
using Ontzorging.Domain;
using Npgsql;
using Quartz;
using Ontzorging.Infrastructure.Resilience;
using Ontzorging.Infrastructure.Time;

namespace Ontzorging.Worker.Jobs;

/// <summary>
/// What every Ontzorging job shares: "today" is the municipality's date under the injected clock,
/// a transient database failure runs the job again (<see cref="TransientRetry"/>), and a failure
/// is handed to Quartz as a <see cref="JobExecutionException"/> (recorded in job_runs) instead of
/// escaping the job.
/// </summary>
public abstract partial class ScheduledJob(IClock clock, ILogger logger) : IJob
{
    public const string User = "scheduler";

    /// <summary>Who acts in every job's writes: the scheduler, a system subject (docs/rules.md §14).</summary>
    protected static Actor Actor { get; } = Domain.Actor.System(User);

    protected LocalDate Today => clock.Today();

    protected ILogger Logger { get; } = logger;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            // Every job is idempotent: a transient database failure runs it again from the start.
            await TransientRetry.Run(async token =>
            {
                await Run(context, token);
                return true;
            }, Logger, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException)
        {
            LogFailed(Logger, ex, context.JobDetail.Key.ToString());
            throw new JobExecutionException($"{context.JobDetail.Key} failed: {ex.Message}", ex);
        }
    }

    protected abstract Task Run(IJobExecutionContext context, CancellationToken cancellationToken);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Job} failed")]
    private static partial void LogFailed(ILogger logger, Exception ex, string job);
}
