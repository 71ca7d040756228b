using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;
using Ontzorging.Infrastructure.Monitoring;
using Quartz;

namespace Ontzorging.Worker.Jobs;

/// <summary>
/// Every few seconds: hands the administrators' run-now requests (<c>/beheer</c>) to Quartz as
/// immediate firings of their jobs, on whichever node takes them first. Its own firings are too
/// frequent to log in job_runs (<see cref="JobRunRecorder"/> skips them); an untaken request shows
/// on /beheer with its age.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class JobRequestsJob(JobRequests requests, IClock clock, ILogger<JobRequestsJob> logger) : IJob
{
    public static readonly JobKey Key = new(ScheduledJobNames.JobRequests, ScheduledJobNames.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            var taken = await requests.Take(context.Scheduler.SchedulerInstanceId, clock.GetCurrentInstant(),
                async (job, token) => await context.Scheduler.TriggerJob(new JobKey(job, ScheduledJobNames.Group), token), cancellationToken);
            if (taken > 0)
            {
                LogTaken(logger, taken);
            }
        }
        catch (NpgsqlException ex)
        {
            // The next firing tries again; the request stays open meanwhile.
            LogFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started {Count} job(s) an administrator asked to run now")]
    private static partial void LogTaken(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not take the run-now requests")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
