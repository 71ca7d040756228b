using System.Globalization;
using NodaTime;

using Ontzorging.Domain;
using LocalDatePattern = NodaTime.Text.LocalDatePattern;
using YearMonthPattern = NodaTime.Text.YearMonthPattern;

namespace Ontzorging.Infrastructure.Csv;

/// <summary>The exchange formats' scalar syntax (docs/rules.md §12): dates yyyy-MM-dd, months yyyy-MM, booleans true/false.</summary>
public static class Formats
{
    private static readonly LocalDatePattern DatePattern = LocalDatePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd");
    private static readonly YearMonthPattern MonthPattern = YearMonthPattern.CreateWithInvariantCulture("uuuu'-'MM");

    public static ParseResult<LocalDate> Date(string text)
    {
        var result = DatePattern.Parse(text.Trim());
        return !result.Success ? ParseResult<LocalDate>.Fail($"'{text}' is not a date like 2026-04-01")
            : SaneDates.Contains(result.Value) ? ParseResult<LocalDate>.Ok(result.Value)
            : ParseResult<LocalDate>.Fail($"'{text}' lies outside {SaneDates.Description}");
    }

    public static ParseResult<YearMonth> Month(string text)
    {
        var result = MonthPattern.Parse(text.Trim());
        return !result.Success ? ParseResult<YearMonth>.Fail($"'{text}' is not a month like 2026-04")
            : SaneDates.Contains(result.Value) ? ParseResult<YearMonth>.Ok(result.Value)
            : ParseResult<YearMonth>.Fail($"'{text}' lies outside {SaneDates.Description}");
    }

    /// <summary>The largest amount an intake row may carry (rules §12): a month's rent or allowance, or a back-payment of many months, is far below it.</summary>
    public static readonly Money MaxAmount = new(99_999_99);

    /// <summary>An amount as <see cref="Money.Parse"/> reads it, at most <see cref="MaxAmount"/>.</summary>
    public static ParseResult<Money> Amount(string text)
    {
        var result = Money.Parse(text);
        return !result.Success || result.Value <= MaxAmount ? result : ParseResult<Money>.Fail($"'{text.Trim()}' is more than {MaxAmount}, the most an intake amount may be");
    }

    public static ParseResult<bool> Boolean(string text) => text.Trim() switch
    {
        "true" => ParseResult<bool>.Ok(true),
        "false" => ParseResult<bool>.Ok(false),
        _ => ParseResult<bool>.Fail($"'{text}' is not true or false"),
    };

    public static Func<string, ParseResult<int>> WholeNumber(int min, int max) => text =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? ParseResult<int>.Ok(value)
            : ParseResult<int>.Fail($"'{text}' is not a whole number from {min} to {max}");

    public static Func<string, ParseResult<string>> OneOf(params string[] allowed) => text =>
        allowed.Contains(text.Trim(), StringComparer.Ordinal)
            ? ParseResult<string>.Ok(text.Trim())
            : ParseResult<string>.Fail($"'{text}' is not one of {string.Join(", ", allowed)}");

    public static string Text(LocalDate date) => DatePattern.Format(date);

    public static string Text(YearMonth month) => MonthPattern.Format(month);
}
