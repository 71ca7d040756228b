using Microsoft.Extensions.Logging;
using NodaTime;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Readiness;
using Ontzorging.Infrastructure.Monitoring;
using Quartz;

namespace Ontzorging.Worker.Jobs;

/// <summary>
/// On the last day of the month: evaluate readiness for every household whose period has started,
/// store it, and write the month's report (readiness-yyyy-MM.csv) to the report folder.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class MonthEndReadinessJob(ReadinessService readiness, ReadinessReport report, SchedulingOptions options, IClock clock, ILogger<MonthEndReadinessJob> logger)
    : ScheduledJob(clock, logger)
{
    public static readonly JobKey Key = new(ScheduledJobNames.MonthEndReadiness, ScheduledJobNames.Group);

    protected override async Task Run(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var today = Today;
        var day = Formats.Text(today);
        var evaluated = await readiness.Evaluate(Actor, today, cancellationToken);
        var month = today.ToYearMonth();
        var lines = await report.For(month, cancellationToken);
        var file = Path.Combine(options.ReportDirectory, $"readiness-{Formats.Text(month)}.csv");
        await CsvFiles.Write(file, ["household_ref", "evaluated_on", "verdict", "unmet", "became_ready"],
            lines.Select(l => new[] { l.Household, Formats.Text(l.EvaluatedOn), l.Verdict, l.Unmet, l.BecameReady ? "true" : "false" }));
        LogEvaluated(Logger, evaluated.Count, day, file);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Readiness of {Count} households evaluated on {Day}; report {File}")]
    private static partial void LogEvaluated(ILogger logger, int count, string day, string file);
}
