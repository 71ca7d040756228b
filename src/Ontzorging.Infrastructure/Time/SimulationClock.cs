using NodaTime;

namespace Ontzorging.Infrastructure.Time;

/// <summary>A clock that the simulation moves forward day by day; everything else reads it as usual.</summary>
public sealed class SimulationClock(Instant start) : IClock
{
    private Instant now = start;

    public Instant GetCurrentInstant() => now;

    /// <summary>Moves to 06:00 in Amsterdam on <paramref name="day"/>; never backwards.</summary>
    public void MoveTo(LocalDate day)
    {
        var next = day.At(new LocalTime(6, 0)).InZoneLeniently(MunicipalTime.Zone).ToInstant();
        if (next < now)
        {
            throw new InvalidOperationException($"The simulation clock cannot go back from {now} to {next}");
        }

        now = next;
    }
}
