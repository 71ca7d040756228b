using CsvHelper;
using NodaTime;
using NodaTime.Text;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>Reading one record's fields: text checked for control characters and length, dates in range, amounts in the format's shape.</summary>
public static partial class BankStatementReader
{
    /// <summary>The longest field a statement line may hold, in characters: real descriptions stay far below it.</summary>
    public const int MaxFieldLength = 1_000;

    /// <summary>
    /// The record a part's reader stands on, read by header name or by position; a field that does
    /// not read records an error. One per part, moved from record to record: dates and amounts are
    /// read from the reader's bytes where they have the usual shape, and only text becomes strings.
    /// </summary>
    private sealed class Row(string file, Dictionary<string, int> columns, CsvReader reader, List<InputError> errors)
    {
        // The formats ask for the same few columns by the same names, record after record.
        private readonly (string Name, int Index)[] positions = new (string, int)[16];
        private int positionCount;
        private int errorCount;

        public int Line { get; private set; }

        public bool Valid => errorCount == 0;

        /// <summary>The reader moved on to the record on <paramref name="line"/>.</summary>
        public void MoveTo(int line)
        {
            Line = line;
            errorCount = 0;
        }

        public void Error(string column, string message)
        {
            errors.Add(new InputError(file, Line, column, message));
            errorCount++;
        }

        /// <summary>The field at <paramref name="index"/> (ABN AMRO has no header), checked as <see cref="Optional"/> checks text.</summary>
        public string Field(int index, string column) => index < reader.FieldCount ? Checked(column, reader.GetString(index)) : "";

        public string? Optional(string column)
        {
            var index = Position(column);
            var value = index >= 0 ? Checked(column, reader.GetString(index)).Trim() : "";
            return value.Length == 0 ? null : value;
        }

        public string Text(string column) => Optional(column) ?? Fail(column, "is required but empty", "");

        public LocalDate Date(string column, DateFormat format)
        {
            var index = Position(column);
            return Bounded(column, index >= 0 && format.TryRead(reader.GetSpan(index), out var date) ? date : ParseDate(column, Optional(column), format.Pattern));
        }

        public LocalDate Date(int index, string column, DateFormat format) =>
            Bounded(column, index < reader.FieldCount && format.TryRead(reader.GetSpan(index), out var date) ? date : ParseDate(column, Field(index, column).Trim(), format.Pattern));

        /// <summary>The amount in the column, read in exactly the format's <paramref name="shape"/> (spaces around it allowed).</summary>
        public Money Amount(string column, BankAmountShape shape)
        {
            var index = Position(column);
            return index >= 0 ? Amount(index, column, shape) : Fail(column, "is required but missing", Money.Zero);
        }

        /// <summary>The amount in the column when the header has it and the field is not empty (a balance), read like <see cref="Amount(string, BankAmountShape)"/>.</summary>
        public Money? OptionalAmount(string column, BankAmountShape shape)
        {
            var index = Position(column);
            return index < 0 || index >= reader.FieldCount || reader.GetSpan(index).Trim((byte)' ').IsEmpty ? null : Amount(index, column, shape);
        }

        public Money Amount(int index, string column, BankAmountShape shape)
        {
            if (index >= reader.FieldCount)
            {
                return Fail(column, "is required but missing", Money.Zero);
            }

            if (shape.TryRead(reader.GetSpan(index), out var amount) || shape.TryRead(reader.GetString(index).AsSpan().Trim(), out amount))
            {
                return amount;
            }

            var text = reader.GetString(index).Trim();
            return Fail(column, text.Length == 0
                ? "is required but empty"
                : $"'{Shorten(text)}' is not an amount written like {shape.Example} (at most {BankAmountShape.MaxWholeDigits} digits before the decimals)", Money.Zero);
        }

        /// <summary>
        /// Text as it is stored: refused when it holds a control character other than a tab or a line
        /// break (a NUL byte cannot be stored at all) or is longer than <see cref="MaxFieldLength"/> characters.
        /// </summary>
        private string Checked(string column, string value)
        {
            if (TextRules.ControlProblem(value, lineBreaksAllowed: true) is { } problem)
            {
                return Fail(column, problem, "");
            }

            // Counted as a person counts characters (an emoji is one); the UTF-16 length, read first,
            // is never less, so the count is only made for the rare long field.
            if (value.Length > MaxFieldLength && TextRules.LengthProblem(value, MaxFieldLength) is { } tooLong)
            {
                return Fail(column, $"{tooLong} in a statement field", "");
            }

            return value;
        }

        private LocalDate Bounded(string column, LocalDate date) =>
            date == default || SaneDates.Contains(date) ? date : Fail(column, $"'{date:yyyy-MM-dd}' lies outside {SaneDates.Description}", default(LocalDate));

        private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

        /// <summary>The column's position in the record, or -1 when the header has no such column.</summary>
        private int Position(string column)
        {
            for (var i = 0; i < positionCount; i++)
            {
                if (ReferenceEquals(positions[i].Name, column))
                {
                    return positions[i].Index;
                }
            }

            var index = columns.TryGetValue(column, out var found) && found < reader.FieldCount ? found : -1;
            if (positionCount < positions.Length)
            {
                positions[positionCount++] = (column, index);
            }

            return index;
        }

        private LocalDate ParseDate(string column, string? text, LocalDatePattern pattern)
        {
            var result = pattern.Parse(text ?? "");
            return result.Success ? result.Value : Fail(column, $"'{text}' is not a date ({pattern.PatternText})", default(LocalDate));
        }

        private T Fail<T>(string column, string message, T fallback)
        {
            Error(column, message);
            return fallback;
        }
    }
}
