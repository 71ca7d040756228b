using Microsoft.Extensions.Logging;
using NodaTime;
using Ontzorging.Infrastructure.Ledger;
using Ontzorging.Infrastructure.Monitoring;
using Quartz;

namespace Ontzorging.Worker.Jobs;

/// <summary>Early each day: book the receipts received by today and the write-offs dated by today (idempotent).</summary>
[DisallowConcurrentExecution]
public sealed partial class DailyBookkeepingJob(DailyBookkeeping bookkeeping, IClock clock, ILogger<DailyBookkeepingJob> logger) : ScheduledJob(clock, logger)
{
    public static readonly JobKey Key = new(ScheduledJobNames.DailyBookkeeping, ScheduledJobNames.Group);

    protected override async Task Run(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var (receipts, writeOffs) = await bookkeeping.Run(Actor, Today, cancellationToken);
        LogBooked(Logger, receipts, writeOffs);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Booked {Receipts} receipts and {WriteOffs} write-offs")]
    private static partial void LogBooked(ILogger logger, int receipts, int writeOffs);
}
