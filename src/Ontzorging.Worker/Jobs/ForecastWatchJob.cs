using Microsoft.Extensions.Logging;
using NodaTime;
using Ontzorging.Infrastructure.Forecasts;
using Ontzorging.Infrastructure.Monitoring;
using Quartz;

namespace Ontzorging.Worker.Jobs;

/// <summary>Daily: signal every household whose expected forecast shows a month at risk soon (docs/rules.md §15, §16).</summary>
[DisallowConcurrentExecution]
public sealed partial class ForecastWatchJob(ForecastSignals signals, IClock clock, ILogger<ForecastWatchJob> logger) : ScheduledJob(clock, logger)
{
    public static readonly JobKey Key = new(ScheduledJobNames.ForecastWatch, ScheduledJobNames.Group);

    protected override async Task Run(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var run = await signals.Run(Actor, Today, cancellationToken);
        LogRun(Logger, run.Households, run.Signalled.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forecast watch: {Households} households, {Signalled} with a month at risk soon")]
    private static partial void LogRun(ILogger logger, int households, int signalled);
}
