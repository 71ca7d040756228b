using Microsoft.Extensions.Logging;
using NodaTime;
using Ontzorging.Infrastructure.Monitoring;
using Quartz;

namespace Ontzorging.Worker.Jobs;

/// <summary>Daily: notice the households whose period ends within the configured number of days (once per period end).</summary>
[DisallowConcurrentExecution]
public sealed partial class PeriodEndNoticesJob(Watches watches, SchedulingOptions options, IClock clock, ILogger<PeriodEndNoticesJob> logger) : ScheduledJob(clock, logger)
{
    public static readonly JobKey Key = new(ScheduledJobNames.PeriodEndNotices, ScheduledJobNames.Group);

    protected override async Task Run(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var notices = await watches.PeriodEnds(Actor, Today, options.PeriodEndNoticeDays, cancellationToken);
        LogNotices(Logger, notices.Count, options.PeriodEndNoticeDays);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} households' periods end within {Days} days")]
    private static partial void LogNotices(ILogger logger, int count, int days);
}
