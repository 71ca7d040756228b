using NodaTime;
using NodaTime.Testing;

namespace Ontzorging.IntegrationTests.Support;

/// <summary>A clock standing on a day of a test's scenario (noon in Amsterdam, so the municipality's today is that day).</summary>
public static class ScenarioClock
{
    public static FakeClock On(int year, int month, int day) => new(Instant.FromUtc(year, month, day, 11, 0));
}
