using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Ontzorging.Domain.Households;

/// <summary>The kinds of decision and their codes (docs/rules.md §12 events), listed once.</summary>
public static class DecisionKinds
{
    public static IReadOnlyList<(string Code, DecisionKind Kind)> All { get; } =
    [
        ("extension", DecisionKind.Extension),
        ("bijstand_end", DecisionKind.BijstandEnd),
        ("opt_out", DecisionKind.OptOut),
        ("zrm_score", DecisionKind.ZrmScore),
        ("training_completed", DecisionKind.TrainingCompleted),
        ("write_off", DecisionKind.WriteOff),
    ];

    public static string Code(this DecisionKind kind) => All.First(k => k.Kind == kind).Code;

    public static DecisionKind? Parse(string? code) =>
        All.FirstOrDefault(k => string.Equals(k.Code, code?.Trim(), StringComparison.Ordinal)) is { Code: not null } found ? found.Kind : null;
}

/// <summary>
/// One reader per decision input, for the site's form, the CLI's options and the intake's events:
/// each returns the value or the refusal (with the field it concerns) that every channel words
/// its own way.
/// </summary>
public static class DecisionInput
{
    private static readonly LocalDatePattern IsoDate = LocalDatePattern.Iso;

    /// <summary>A write-off amount as people type it, or null for "all"/"alles" (all outstanding credit).</summary>
    public readonly record struct WriteOffAmount(Money? Amount)
    {
        public bool All => Amount is null;
    }

    public static Result<DecisionKind> Kind(string? code, string field = "kind") =>
        DecisionKinds.Parse(code) is { } kind ? kind : Refused(RefusalCode.DecisionKindUnknown, field, code ?? "");

    public static Result<LocalDate> Date(string? text, string field) =>
        text is not null && IsoDate.Parse(text.Trim()) is { Success: true } parsed ? parsed.Value : Refused(RefusalCode.DateUnreadable, field, text ?? "");

    /// <summary>A month as yyyy-MM (the form's month field, the CLI's --month), between 1900 and 2099.</summary>
    public static Result<YearMonth> Month(string? text, string field) =>
        text is not null && IsoMonth.Parse(text.Trim()) is { Success: true } parsed && SaneDates.Contains(parsed.Value) ? parsed.Value : Refused(RefusalCode.MonthUnreadable, field, text ?? "");

    private static readonly NodaTime.Text.YearMonthPattern IsoMonth = NodaTime.Text.YearMonthPattern.CreateWithInvariantCulture("yyyy-MM");

    public static Result<int> WholeNumber(string? text, string field) =>
        text is not null && int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : Refused(RefusalCode.WholeNumberUnreadable, field, text ?? "");

    /// <summary>"all" or "alles" (any case), or an amount: see <see cref="Amount"/>.</summary>
    public static Result<WriteOffAmount> WriteOff(string? text, string field = "amount")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Refusal.Of(RefusalCode.AmountMissing, field);
        }

        var trimmed = text.Trim();
        if (trimmed.Equals("all", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("alles", StringComparison.OrdinalIgnoreCase))
        {
            return new WriteOffAmount(null);
        }

        var amount = Amount(trimmed, field);
        return amount.Refusal is { } refusal ? refusal : new WriteOffAmount(amount.Value);
    }

    /// <summary>
    /// An amount in the forms people type: <c>150</c>, <c>150,00</c>, <c>150.00</c>, <c>1.500,00</c>,
    /// <c>1,500.00</c>, with or without a euro sign. Where both a point and a comma occur, the last is
    /// the decimal separator and the other groups thousands. A lone separator followed by exactly
    /// three digits (<c>1.000</c>, <c>1,000</c>) is refused as ambiguous: a thousand, or one euro?
    /// </summary>
    public static Result<Money> Amount(string? text, string field = "amount")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Refusal.Of(RefusalCode.AmountMissing, field);
        }

        var s = text.Trim().TrimStart('€').Trim();
        var lastPoint = s.LastIndexOf('.');
        var lastComma = s.LastIndexOf(',');
        string normalised;
        if (lastPoint >= 0 && lastComma >= 0)
        {
            var (decimalSeparator, groupSeparator) = lastComma > lastPoint ? (',', '.') : ('.', ',');
            var at = s.LastIndexOf(decimalSeparator);
            var whole = s[..at];
            if (s.Count(c => c == decimalSeparator) != 1 || !Grouped(whole, groupSeparator))
            {
                return Refused(RefusalCode.AmountUnreadable, field, text);
            }

            normalised = whole.Replace(groupSeparator.ToString(), "", StringComparison.Ordinal) + "." + s[(at + 1)..];
        }
        else if (lastPoint >= 0 || lastComma >= 0)
        {
            var separator = lastPoint >= 0 ? '.' : ',';
            var at = s.LastIndexOf(separator);
            var decimals = s.Length - at - 1;
            if (s.Count(c => c == separator) > 1 || decimals == 3)
            {
                // 1.000 and 1,000 (and 1.000.000): thousands, or a decimal point? Refused rather than guessed.
                return Refused(decimals == 3 || Grouped(s, separator) ? RefusalCode.AmountAmbiguous : RefusalCode.AmountUnreadable, field, text);
            }

            normalised = s.Replace(separator, '.');
        }
        else
        {
            normalised = s;
        }

        var parsed = Money.Parse(normalised);
        return parsed.Success ? parsed.Value : Refused(RefusalCode.AmountUnreadable, field, text);
    }

    /// <summary>Digits in groups of three after the first (1 to 3 digits), separated by <paramref name="separator"/>.</summary>
    private static bool Grouped(string whole, char separator)
    {
        var groups = whole.Split(separator);
        return groups[0].Length is >= 1 and <= 3 && groups.All(g => g.All(char.IsAsciiDigit)) && groups.Skip(1).All(g => g.Length == 3);
    }

    private static Refusal Refused(RefusalCode code, string field, string text) => Refusal.Of(code, field, ("text", text));
}
