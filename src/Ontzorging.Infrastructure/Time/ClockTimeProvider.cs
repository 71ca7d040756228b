using NodaTime;

namespace Ontzorging.Infrastructure.Time;

/// <summary>
/// A <see cref="TimeProvider"/> that reads the injected NodaTime <see cref="IClock"/>, so that
/// Quartz and our own code agree on "now" — also under a fake clock in tests and simulation.
/// </summary>
public sealed class ClockTimeProvider(IClock clock) : TimeProvider
{
    public IClock Clock { get; } = clock;

    public override DateTimeOffset GetUtcNow() => Clock.GetCurrentInstant().ToDateTimeOffset();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
