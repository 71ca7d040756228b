using System.Numerics;
using NodaTime;
using NodaTime.Text;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>
/// How a format writes its dates: the pattern that reads (and explains) any field, and the same
/// read straight from a field's UTF-8 bytes or characters when it has exactly the pattern's shape, the usual case.
/// </summary>
internal sealed class DateFormat(LocalDatePattern pattern, char? separator)
{
    public static readonly DateFormat Iso = new(LocalDatePattern.Iso, '-');

    public static readonly DateFormat Compact = new(LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd"), null);

    public LocalDatePattern Pattern => pattern;

    /// <summary>The date, when <paramref name="text"/> is exactly uuuu-MM-dd (or uuuuMMdd) and a day that exists; otherwise false, for the pattern to read.</summary>
    public bool TryRead(ReadOnlySpan<byte> text, out LocalDate date) => TryRead<byte>(text, out date);

    /// <inheritdoc cref="TryRead(ReadOnlySpan{byte}, out LocalDate)"/>
    public bool TryRead(ReadOnlySpan<char> text, out LocalDate date) => TryRead<char>(text, out date);

    private bool TryRead<T>(ReadOnlySpan<T> text, out LocalDate date)
        where T : unmanaged, IBinaryInteger<T>
    {
        date = default;
        var gap = separator is null ? 0 : 1;
        if (text.Length != 8 + (2 * gap) || (separator is { } between && (text[4] != T.CreateTruncating(between) || text[7] != T.CreateTruncating(between))))
        {
            return false;
        }

        var (year, month, day) = (Number(text[..4]), Number(text.Slice(4 + gap, 2)), Number(text.Slice(6 + (2 * gap), 2)));
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month))
        {
            return false;
        }

        date = new LocalDate(year, month, day);
        return true;
    }

    /// <summary>The digits as a number; -1 when one is not a digit.</summary>
    private static int Number<T>(ReadOnlySpan<T> digits)
        where T : unmanaged, IBinaryInteger<T>
    {
        var value = 0;
        foreach (var digit in digits)
        {
            var d = int.CreateTruncating(digit) - '0';
            if (d is < 0 or > 9)
            {
                return -1;
            }

            value = (value * 10) + d;
        }

        return value;
    }
}
