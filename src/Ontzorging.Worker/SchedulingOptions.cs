namespace Ontzorging.Worker;

/// <summary>Bound from <c>Ontzorging:Scheduling</c>. Cron expressions are Quartz's (with seconds).</summary>
public sealed class SchedulingOptions
{
    public const string SectionName = "Ontzorging:Scheduling";

    /// <summary>Every cron trigger fires in this zone, so 06:00 means 06:00 in the municipality.</summary>
    public string TimeZone { get; set; } = "Europe/Amsterdam";

    public string HeartbeatCron { get; set; } = "0 0/5 * * * ?";

    /// <summary>When to prepare next month's batch; empty means 06:00 on the policy's preparation day.</summary>
    public string? PrepareBatchCron { get; set; }

    public string BookkeepingCron { get; set; } = "0 30 5 * * ?";

    public string ToeslagWatchCron { get; set; } = "0 0 7 * * ?";

    /// <summary>The money signals (rules §18): after the bookkeeping and the toeslag watch, before the forecast watch.</summary>
    public string SignalWatchCron { get; set; } = "0 15 7 * * ?";

    /// <summary>After the bookkeeping and the toeslag watch, so the day's receipts are known.</summary>
    public string ForecastWatchCron { get; set; } = "0 30 7 * * ?";

    public string PeriodEndNoticesCron { get; set; } = "0 15 7 * * ?";

    /// <summary>22:00 on the last day of every month.</summary>
    public string MonthEndReadinessCron { get; set; } = "0 0 22 L * ?";

    /// <summary>How often a node looks for jobs an administrator asked to run now (/beheer).</summary>
    public string JobRequestsCron { get; set; } = "0/10 * * * * ?";

    public int PeriodEndNoticeDays { get; set; } = 30;

    /// <summary>Every 15 minutes: a batch exported since is soon followed by its statements.</summary>
    public string StatementRenderCron { get; set; } = "0 0/15 * * * ?";

    /// <summary>Where the monthly statements are printed, a folder per month (only the worker's user may read them).</summary>
    public string StatementDirectory { get; set; } = "out/statements";

    /// <summary>Where the month-end readiness reports are written.</summary>
    public string ReportDirectory { get; set; } = "out/reports";

    /// <summary>How often a node tells the cluster it is alive; a silent node's jobs are recovered.</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan ClusterCheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(30);

    public int ThreadCount { get; set; } = 4;
}
