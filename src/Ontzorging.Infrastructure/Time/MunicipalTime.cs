using NodaTime;

namespace Ontzorging.Infrastructure.Time;

/// <summary>All dates in the engine are the municipality's calendar dates, in Europe/Amsterdam (docs/rules.md).</summary>
public static class MunicipalTime
{
    public static DateTimeZone Zone { get; } = DateTimeZoneProviders.Tzdb["Europe/Amsterdam"];

    public static LocalDate DateOf(Instant instant) => instant.InZone(Zone).Date;

    /// <summary>Today's date for the municipality, as the injected clock says.</summary>
    public static LocalDate Today(this IClock clock) => DateOf(clock.GetCurrentInstant());
}
