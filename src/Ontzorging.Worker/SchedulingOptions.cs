namespace Ontzorging.Worker;

/// <summary>Bound from <c>Ontzorging:Scheduling</c>. Cron expressions are Quartz's (with seconds).</summary>
public sealed class SchedulingOptions
{
    public const string SectionName = "Ontzorging:Scheduling";

    /// <summary>Every cron trigger fires in this zone, so 06:00 means 06:00 in the municipality.</summary>
    public string TimeZone { get; set; } = "Europe/Amsterdam";

    public string HeartbeatCron { get; set; } = "0 0/5 * * * ?";

    /// <summary>How often a node tells the cluster it is alive; a silent node's jobs are recovered.</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan ClusterCheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(30);

    public int ThreadCount { get; set; } = 4;
}
