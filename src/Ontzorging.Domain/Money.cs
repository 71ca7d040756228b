using System.Globalization;
using System.Numerics;
using System.Text;

namespace Ontzorging.Domain;

/// <summary>
/// An amount in euros held as whole cents. Arithmetic is checked (an overflow throws, it never
/// wraps), and the only rounding in the engine is <see cref="Prorate"/>: computed in full, rounded
/// once, half away from zero.
/// </summary>
public readonly record struct Money(long Cents) : IComparable<Money>
{
    public static readonly Money Zero = new(0);

    public bool IsZero => Cents == 0;

    public bool IsPositive => Cents > 0;

    public bool IsNegative => Cents < 0;

    public static Money FromEuros(decimal euros)
    {
        var cents = euros * 100m;
        if (cents != decimal.Truncate(cents))
        {
            throw new ArgumentException($"{euros} has more than two decimals", nameof(euros));
        }

        return new Money(checked((long)cents));
    }

    /// <summary>this × numerator / denominator, rounded once, half away from zero, to the cent.</summary>
    public Money Prorate(long numerator, long denominator) => new(RoundHalfAwayFromZero((Int128)Cents * numerator, denominator));

    /// <summary>The one rounding rule of docs/rules.md §6, for any exact fraction of cents.</summary>
    public static long RoundHalfAwayFromZero(Int128 numerator, Int128 denominator)
    {
        if (denominator == 0)
        {
            throw new DivideByZeroException("Cannot prorate over zero");
        }

        if (denominator < 0)
        {
            (numerator, denominator) = (-numerator, -denominator);
        }

        var quotient = Int128.DivRem(Int128.Abs(numerator), denominator);
        var magnitude = quotient.Quotient + (quotient.Remainder * 2 >= denominator ? 1 : 0);
        return checked((long)(numerator < 0 ? -magnitude : magnitude));
    }

    /// <summary>
    /// Reads an amount as the exchange formats write it: digits, optionally a '.' and one or two
    /// decimals; no sign, no thousands separator.
    /// </summary>
    public static ParseResult<Money> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ParseResult<Money>.Fail("amount is empty");
        }

        var s = text.Trim();
        if (s.StartsWith('-'))
        {
            return ParseResult<Money>.Fail($"'{s}' is negative; amounts are never negative");
        }

        return Read(s.AsSpan(), out var cents) switch
        {
            Reading.Amount => ParseResult<Money>.Ok(new Money(cents)),
            Reading.TooManyDecimals => ParseResult<Money>.Fail($"'{s}' has more than two decimals"),
            Reading.TooLarge => ParseResult<Money>.Fail($"'{s}' is too large"),
            _ => ParseResult<Money>.Fail($"'{s}' is not an amount like 1234.56"),
        };
    }

    /// <summary>
    /// <see cref="Parse"/> for UTF-8 text without surrounding spaces, without allocating: for
    /// readers of large files, which fall back to <see cref="Parse"/> for the reason when this fails.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Money amount)
    {
        var ok = Read(utf8, out var cents) == Reading.Amount;
        amount = new Money(ok ? cents : 0);
        return ok;
    }

    private enum Reading
    {
        Amount,
        NotAnAmount,
        TooManyDecimals,
        TooLarge,
    }

    /// <summary>Digits, optionally a '.' and decimals; the checks in the order <see cref="Parse"/> reports them.</summary>
    private static Reading Read<T>(ReadOnlySpan<T> s, out long cents)
        where T : unmanaged, IBinaryInteger<T>
    {
        cents = 0;
        var dot = s.IndexOf(T.CreateTruncating('.'));
        var whole = dot < 0 ? s : s[..dot];
        var fraction = dot < 0 ? [] : s[(dot + 1)..];
        if (whole.Length == 0 || !AllDigits(whole) || !AllDigits(fraction) || (dot >= 0 && fraction.Length == 0))
        {
            return Reading.NotAnAmount;
        }

        if (fraction.Length > 2)
        {
            return Reading.TooManyDecimals;
        }

        if (whole.Length > 13)
        {
            return Reading.TooLarge;
        }

        foreach (var digit in whole)
        {
            cents = (cents * 10) + Digit(digit);
        }

        cents *= 100;
        cents += fraction.Length switch
        {
            0 => 0,
            1 => Digit(fraction[0]) * 10,
            _ => (Digit(fraction[0]) * 10) + Digit(fraction[1]),
        };
        return Reading.Amount;
    }

    private static bool AllDigits<T>(ReadOnlySpan<T> s)
        where T : unmanaged, IBinaryInteger<T>
    {
        foreach (var c in s)
        {
            if (Digit(c) is < 0 or > 9)
            {
                return false;
            }
        }

        return true;
    }

    private static int Digit<T>(T c)
        where T : IBinaryInteger<T> => int.CreateTruncating(c) - '0';

    public static Money operator +(Money a, Money b) => new(checked(a.Cents + b.Cents));

    public static Money operator -(Money a, Money b) => new(checked(a.Cents - b.Cents));

    public static Money operator -(Money a) => new(checked(-a.Cents));

    public static bool operator <(Money a, Money b) => a.Cents < b.Cents;

    public static bool operator >(Money a, Money b) => a.Cents > b.Cents;

    public static bool operator <=(Money a, Money b) => a.Cents <= b.Cents;

    public static bool operator >=(Money a, Money b) => a.Cents >= b.Cents;

    public static Money Min(Money a, Money b) => a <= b ? a : b;

    public static Money Max(Money a, Money b) => a >= b ? a : b;

    public static Money Sum(IEnumerable<Money> amounts) => amounts.Aggregate(Zero, (total, m) => total + m);

    public int CompareTo(Money other) => Cents.CompareTo(other.Cents);

    public decimal ToDecimal() => Cents / 100m;

    /// <summary>Two decimals with a '.', as every output format writes it: 1234.50, -3.07.</summary>
    public override string ToString()
    {
        Span<byte> text = stackalloc byte[MaxTextLength];
        TryFormat(text, out var written);
        return Encoding.ASCII.GetString(text[..written]);
    }

    /// <summary>The longest <see cref="ToString"/>: a sign, 17 digits of euros, a point and two digits of cents.</summary>
    public const int MaxTextLength = 21;

    /// <summary>Writes <see cref="ToString"/>'s text as UTF-8 (ASCII) bytes; false when <paramref name="utf8"/> is too short.</summary>
    public bool TryFormat(Span<byte> utf8, out int bytesWritten)
    {
        bytesWritten = 0;
        var at = 0;
        if (Cents < 0)
        {
            if (utf8.IsEmpty)
            {
                return false;
            }

            utf8[at++] = (byte)'-';
        }

        if (!Math.Abs(Cents / 100).TryFormat(utf8[at..], out var euros, provider: CultureInfo.InvariantCulture) || at + euros + 3 > utf8.Length)
        {
            return false;
        }

        at += euros;
        utf8[at++] = (byte)'.';
        Math.Abs(Cents % 100).TryFormat(utf8[at..], out var cents, "00", CultureInfo.InvariantCulture);
        bytesWritten = at + cents;
        return true;
    }
}
