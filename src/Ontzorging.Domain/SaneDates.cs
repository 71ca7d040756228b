using NodaTime;

namespace Ontzorging.Domain;

/// <summary>
/// The dates the engine accepts from any input (rules §10): from 1900 through 2099. Birth dates go
/// back that far; nothing the engine pays, books or schedules lies beyond 2099, and month arithmetic
/// on a date near NodaTime's end of time would overflow in the middle of a batch.
/// </summary>
public static class SaneDates
{
    public static readonly LocalDate Earliest = new(1900, 1, 1);

    public static readonly LocalDate Latest = new(2099, 12, 31);

    public const string Description = "the dates the engine accepts (1900-01-01 to 2099-12-31)";

    public static bool Contains(LocalDate date) => date >= Earliest && date <= Latest;

    public static bool Contains(YearMonth month) => Contains(month.OnDayOfMonth(1));
}
