using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Ontzorging.Infrastructure.Resilience;

/// <summary>
/// The one retry policy for the database (Polly), for units of work that are safe to repeat whole:
/// a scheduled job, a statement import (it keeps each transaction once), a batch preparation (it
/// returns the batch it already made). A municipality's database restarts for maintenance or fails
/// over; such a unit is tried again on a lost connection, a terminated backend, a serialization
/// failure or a deadlock, up to five times over about half a minute. Anything else — a refused
/// value, a constraint, a missing table — is not transient and fails at once.
/// </summary>
public static partial class TransientRetry
{
    public const int MaxRetries = 5;

    private static readonly ResiliencePipeline Pipeline = Build(TimeSpan.FromSeconds(1));

    /// <summary>Whether <paramref name="exception"/> is a failure that trying the whole unit again can cure.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
            or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.TooManyConnections || postgres.IsTransient,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or System.Net.Sockets.SocketException,
        _ => false,
    };

    /// <summary>Runs <paramref name="unit"/>, again from the start after a transient failure.</summary>
    public static async Task<T> Run<T>(Func<CancellationToken, Task<T>> unit, ILogger? logger, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        try
        {
            context.Properties.Set(LoggerKey, logger);
            return await Pipeline.ExecuteAsync(static async (ctx, state) => await state(ctx.CancellationToken), context, unit);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static readonly ResiliencePropertyKey<ILogger?> LoggerKey = new("ontzorging.logger");

    private static ResiliencePipeline Build(TimeSpan firstDelay) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = MaxRetries,
                Delay = firstDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    // Connections of the pool may be as dead as the one that failed.
                    NpgsqlConnection.ClearAllPools();
                    if (args.Context.Properties.TryGetValue(LoggerKey, out var logger) && logger is not null)
                    {
                        LogRetry(logger, args.Outcome.Exception, args.AttemptNumber + 1, args.RetryDelay.TotalSeconds);
                    }

                    return default;
                },
            })
            .Build();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database failed transiently; trying the whole unit again (retry {Attempt}) in {Seconds:0.0} s")]
    private static partial void LogRetry(ILogger logger, Exception? exception, int attempt, double seconds);
}
