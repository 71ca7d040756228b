using System.Numerics;
using System.Text;
using Ontzorging.Domain;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>
/// How one bank format writes an amount, and the reader that accepts exactly that shape. An amount
/// that could mean two things (<c>129.00</c> in a format with a decimal comma could be 129 or 12,900)
/// is refused, never guessed: a format with a decimal comma always writes the comma and two
/// decimals, and a dot there is only a thousands separator between groups of three digits.
/// </summary>
public sealed class BankAmountShape
{
    /// <summary>The largest amount a statement line may carry (rules §10): below one billion euros.</summary>
    public const int MaxWholeDigits = 9;

    private readonly char decimalSeparator;
    private readonly char? thousandsSeparator;
    private readonly bool signed;
    private readonly bool exactlyTwoDecimals;

    private BankAmountShape(string example, char decimalSeparator, char? thousandsSeparator, bool signed, bool exactlyTwoDecimals)
    {
        Example = example;
        this.decimalSeparator = decimalSeparator;
        this.thousandsSeparator = thousandsSeparator;
        this.signed = signed;
        this.exactlyTwoDecimals = exactlyTwoDecimals;
    }

    /// <summary>ING (both variants): no sign (the direction is in <c>Af Bij</c>), decimal comma, two decimals, optional thousands dots: <c>1.234,56</c>.</summary>
    public static readonly BankAmountShape Ing = new("1.234,56", ',', '.', signed: false, exactlyTwoDecimals: true);

    /// <summary>Rabobank and ABN AMRO: a sign where the bank writes one, decimal comma, two decimals, optional thousands dots: <c>-1.234,56</c>.</summary>
    public static readonly BankAmountShape SignedDecimalComma = new("-1.234,56", ',', '.', signed: true, exactlyTwoDecimals: true);

    /// <summary>The generic format: signed, a decimal point, at most two decimals, no thousands separator: <c>-1234.56</c>.</summary>
    public static readonly BankAmountShape Generic = new("-1234.56", '.', null, signed: true, exactlyTwoDecimals: false);

    /// <summary>An amount like the format writes, for a message.</summary>
    public string Example { get; }

    /// <summary>The amount in <paramref name="text"/> (UTF-8, nothing around it), or false when it does not have this shape.</summary>
    public bool TryRead(ReadOnlySpan<byte> text, out Money amount) => TryRead<byte>(text, out amount);

    /// <summary>The amount in <paramref name="text"/> (nothing around it), or false when it does not have this shape.</summary>
    public bool TryRead(ReadOnlySpan<char> text, out Money amount) => TryRead<char>(text, out amount);

    /// <summary>Writes <paramref name="amount"/> the way the format does; the readers' property tests read it back.</summary>
    public string Write(Money amount, bool groupThousands, bool plusSign)
    {
        var cents = Math.Abs(amount.Cents);
        var whole = (cents / 100).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (groupThousands && thousandsSeparator is { } group)
        {
            var grouped = new StringBuilder();
            for (var i = 0; i < whole.Length; i++)
            {
                if (i > 0 && (whole.Length - i) % 3 == 0)
                {
                    grouped.Append(group);
                }

                grouped.Append(whole[i]);
            }

            whole = grouped.ToString();
        }

        var sign = amount.IsNegative ? "-" : signed && plusSign ? "+" : "";
        return $"{sign}{whole}{decimalSeparator}{cents % 100:00}";
    }

    private bool TryRead<T>(ReadOnlySpan<T> s, out Money amount)
        where T : unmanaged, IBinaryInteger<T>
    {
        amount = Money.Zero;
        var negative = false;
        if (s.Length > 0 && Is(s[0], '-') | Is(s[0], '+'))
        {
            if (!signed)
            {
                return false;
            }

            negative = Is(s[0], '-');
            s = s[1..];
        }

        var separator = s.LastIndexOf(T.CreateTruncating(decimalSeparator));
        var whole = separator < 0 ? s : s[..separator];
        var fraction = separator < 0 ? [] : s[(separator + 1)..];
        if (separator < 0 ? exactlyTwoDecimals : exactlyTwoDecimals ? fraction.Length != 2 : fraction.Length is < 1 or > 2)
        {
            return false;
        }

        long cents = 0;
        var digits = 0;
        var sinceGroup = -1; // digits since the last thousands separator; -1 before the first one
        foreach (var c in whole)
        {
            if (thousandsSeparator is { } group && Is(c, group))
            {
                // A group separator needs one to three digits before the first, exactly three between.
                if (digits == 0 || (sinceGroup < 0 ? digits > 3 : sinceGroup != 3))
                {
                    return false;
                }

                sinceGroup = 0;
                continue;
            }

            var d = int.CreateTruncating(c) - '0';
            if (d is < 0 or > 9 || ++digits > MaxWholeDigits)
            {
                return false;
            }

            cents = (cents * 10) + d;
            if (sinceGroup >= 0)
            {
                sinceGroup++;
            }
        }

        // No format writes a leading zero (01,22): a whole part of several digits starts with 1–9.
        if (digits == 0 || sinceGroup is >= 0 and not 3 || (digits > 1 && Is(whole[0], '0')))
        {
            return false;
        }

        cents *= 100;
        for (var i = 0; i < fraction.Length; i++)
        {
            var d = int.CreateTruncating(fraction[i]) - '0';
            if (d is < 0 or > 9)
            {
                return false;
            }

            cents += d * (i == 0 ? 10 : 1);
        }

        amount = new Money(negative ? -cents : cents);
        return true;
    }

    private static bool Is<T>(T c, char expected)
        where T : unmanaged, IBinaryInteger<T> => int.CreateTruncating(c) == expected;
}
