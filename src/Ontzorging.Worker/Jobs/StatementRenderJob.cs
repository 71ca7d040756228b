using Microsoft.Extensions.Logging;
using NodaTime;
using Ontzorging.Infrastructure.Monitoring;
using Ontzorging.Infrastructure.Statements;
using Quartz;

namespace Ontzorging.Worker.Jobs;

/// <summary>After each export: prints the monthly statements of every exported batch not printed yet (docs/rules.md §17).</summary>
[DisallowConcurrentExecution]
public sealed partial class StatementRenderJob(StatementRenderer renderer, SchedulingOptions options, IClock clock, ILogger<StatementRenderJob> logger)
    : ScheduledJob(clock, logger)
{
    public static readonly JobKey Key = new(ScheduledJobNames.StatementRender, ScheduledJobNames.Group);

    protected override async Task Run(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        foreach (var run in await renderer.RenderExported(Actor, options.StatementDirectory, cancellationToken))
        {
            LogRun(Logger, run.Statements, run.Month, run.Directory);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Statements: {Count} printed for {Month} into {Directory}")]
    private static partial void LogRun(ILogger logger, int count, YearMonth month, string directory);
}
