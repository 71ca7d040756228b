using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ontzorging.Infrastructure.Households;

/// <summary>
/// Keeps a site's worklist current when someone else writes: another instance of the site, the CLI
/// or a scheduled job. The database announces every committed change to what the worklist shows on
/// the channel <see cref="Channel"/> (migrations/always/worklist.sql); this service listens on one
/// connection of its own and drops the computed lists at each announcement. While the connection is
/// down nothing is announced, so the lists are dropped when it is lost and again when it is back.
/// </summary>
public sealed partial class WorklistChanges(NpgsqlDataSource dataSource, HouseholdWorklist worklist, ILogger<WorklistChanges> logger) : BackgroundService
{
    public const string Channel = "ontzorging_worklist";

    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan Quiet = TimeSpan.FromMinutes(1);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the database's worklist announcements; listening again in {Retry}")]
    private static partial void Lost(ILogger logger, TimeSpan retry, Exception exception);

    /// <summary>Completes once the first LISTEN is in place (tests wait for it).</summary>
    public Task Listening => listening.Task;

    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => worklist.Changed();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // What was written while nobody listened is not announced again.
                worklist.Changed();
                listening.TrySetResult();
                while (true)
                {
                    // A quiet minute: ask the server, so a connection that died silently is noticed.
                    if (!await connection.WaitAsync(Quiet, stoppingToken))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.IO.IOException)
            {
                worklist.Changed();
                Lost(logger, Retry, ex);
                await Task.Delay(Retry, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
