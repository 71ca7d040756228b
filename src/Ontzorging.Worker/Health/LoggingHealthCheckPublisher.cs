using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Ontzorging.Worker.Health;

/// <summary>
/// The worker has no HTTP endpoint; its health (database reachable, scheduler running) is
/// published to the log periodically, and a change to unhealthy is logged as an error.
/// </summary>
public sealed partial class LoggingHealthCheckPublisher(ILogger<LoggingHealthCheckPublisher> logger) : IHealthCheckPublisher
{
    private HealthStatus? last;

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        if (report.Status == HealthStatus.Healthy)
        {
            if (last != HealthStatus.Healthy)
            {
                LogHealthy(logger);
            }
        }
        else
        {
            var failing = string.Join(", ", report.Entries
                .Where(e => e.Value.Status != HealthStatus.Healthy)
                .Select(e => $"{e.Key}: {e.Value.Description ?? e.Value.Exception?.Message}"));
            LogUnhealthy(logger, report.Status, failing);
        }

        last = report.Status;
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker healthy")]
    private static partial void LogHealthy(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker {Status}: {Failing}")]
    private static partial void LogUnhealthy(ILogger logger, HealthStatus status, string failing);
}
