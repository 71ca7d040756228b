using Microsoft.Extensions.Logging;
using NodaTime;
using Ontzorging.Infrastructure.Monitoring;
using Ontzorging.Infrastructure.Signals;
using Quartz;

namespace Ontzorging.Worker.Jobs;

/// <summary>Daily: the money signals from the ledger and the bank lines (docs/rules.md §15, §18).</summary>
[DisallowConcurrentExecution]
public sealed partial class SignalWatchJob(MoneySignals signals, IClock clock, ILogger<SignalWatchJob> logger) : ScheduledJob(clock, logger)
{
    public static readonly JobKey Key = new(ScheduledJobNames.SignalWatch, ScheduledJobNames.Group);

    protected override async Task Run(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var run = await signals.Run(Actor, Today, cancellationToken);
        LogRun(Logger, run.Households, run.Found, run.Added, run.Resolved);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signal watch: {Households} households, {Found} signals found, {Added} new, {Resolved} resolved")]
    private static partial void LogRun(ILogger logger, int households, int found, int added, int resolved);
}
