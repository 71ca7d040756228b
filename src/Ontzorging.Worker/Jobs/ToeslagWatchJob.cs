using Microsoft.Extensions.Logging;
using NodaTime;
using Ontzorging.Infrastructure.Monitoring;
using Quartz;

namespace Ontzorging.Worker.Jobs;

/// <summary>Daily: flag toeslag streams that are overdue or whose decision is overdue (13 weeks after application).</summary>
[DisallowConcurrentExecution]
public sealed partial class ToeslagWatchJob(Watches watches, IClock clock, ILogger<ToeslagWatchJob> logger) : ScheduledJob(clock, logger)
{
    public static readonly JobKey Key = new(ScheduledJobNames.ToeslagWatch, ScheduledJobNames.Group);

    protected override async Task Run(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var flags = await watches.Toeslagen(Actor, Today, cancellationToken);
        var overdue = flags.Count(f => f.Status == "overdue");
        LogFlags(Logger, overdue, flags.Count - overdue);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Toeslag watch: {Overdue} overdue, {DecisionOverdue} decision overdue")]
    private static partial void LogFlags(ILogger logger, int overdue, int decisionOverdue);
}
