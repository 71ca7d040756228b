using System.Text;
using System.Text.Unicode;
using CsvHelper;
using NodaTime;
using NodaTime.Text;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>The bank export formats the auditors bring (README: "Bank ledger formats").</summary>
public enum BankFormat
{
    Ing,
    IngSemicolon,
    Rabobank,
    AbnAmro,
    Generic,
}

/// <summary>
/// Reads a bank export into <see cref="BankLine"/>s: detects the format, reads UTF-8 or
/// Windows-1252, decimal commas, ING's "Af Bij" direction and signed amounts. Every error names
/// the line and column; a file with errors yields no lines.
/// </summary>
public static class BankStatementReader
{
    public static readonly string[] GenericColumns = ["account", "booking_date", "amount", "counterparty_iban", "counterparty_name", "description", "reference"];

    /// <summary>An optional last column of the generic format: why the bank returned a payment.</summary>
    public const string GenericReturnReason = "return_reason";

    private static readonly string[] IngColumns = ["Datum", "Naam / Omschrijving", "Rekening", "Tegenrekening", "Code", "Af Bij", "Bedrag (EUR)", "Mutatiesoort", "Mededelingen"];
    private static readonly string[] RabobankDescriptions = ["Omschrijving-1", "Omschrijving-2", "Omschrijving-3"];

    private const int DetectionBytes = 64 * 1024;

    /// <summary>An ABN AMRO TXT*.TAB line: account, currency, date, start balance, end balance, value date, amount, description.</summary>
    private const int AbnAmroFields = 8;

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    public static (BankFormat Format, List<BankLine> Lines) Read(string path, BankFormat? format, List<InputError> errors) =>
        Read(path, ReadAllBytes(path), format, errors, null);

    /// <summary>
    /// The whole file, read in parts on every core into memory that is not cleared first: a large
    /// statement's first touch of fresh memory costs more than copying the bytes, and is shared out so.
    /// </summary>
    public static byte[] ReadAllBytes(string path)
    {
        using var handle = File.OpenHandle(path);
        var length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength)
        {
            throw new IOException($"{Path.GetFileName(path)} is too large to read ({length:N0} bytes)");
        }

        var bytes = GC.AllocateUninitializedArray<byte>((int)length);
        var parts = length < MinimumPart ? 1 : Environment.ProcessorCount;
        Parallel.For(0, parts, part =>
        {
            var (from, to) = (length * part / parts, length * (part + 1) / parts);
            while (from < to)
            {
                var read = RandomAccess.Read(handle, bytes.AsSpan((int)from, (int)(to - from)), from);
                if (read == 0)
                {
                    throw new IOException($"{Path.GetFileName(path)} became shorter while it was read");
                }

                from += read;
            }
        });
        return bytes;
    }

    /// <summary>
    /// Reads the bytes of a bank export; <paramref name="progress"/> hears the share of lines read
    /// (0–1) now and then. A large file is cut at record boundaries into parts that are read on
    /// every core; lines and errors come back in file order, each error with its line in the file.
    /// </summary>
    public static (BankFormat Format, List<BankLine> Lines) Read(string path, byte[] bytes, BankFormat? format, List<InputError> errors, IProgress<double>? progress)
    {
        var file = Path.GetFileName(path);

        // UTF-8 is read in place; an older Windows-1252 export is turned into UTF-8 first, and a
        // file that is neither (or a mix of both) is refused.
        if (TextEncodings.StatementToUtf8(file, bytes, errors) is not { } utf8)
        {
            return (format ?? BankFormat.Generic, []);
        }

        bytes = utf8;

        var content = new ReadOnlyMemory<byte>(bytes);
        if (content.Span.StartsWith(Utf8Bom))
        {
            content = content[Utf8Bom.Length..];
        }

        var detected = format ?? Detect(Encoding.UTF8.GetString(content.Span[..Math.Min(content.Length, DetectionBytes)]));
        if (detected is null)
        {
            errors.Add(new InputError(file, 1, "(header)", "format not recognised; name it with --format ing|ing-semicolon|rabobank|abnamro|generic"));
            return (BankFormat.Generic, []);
        }

        var options = CsvReaderOptions.Default with
        {
            Separator = detected switch { BankFormat.IngSemicolon => ';', BankFormat.AbnAmro => '\t', _ => ',' },
            HasHeader = false,
            Mode = detected == BankFormat.AbnAmro ? CsvMode.NoEscape : CsvMode.Rfc4180,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            CommentPrefix = detected == BankFormat.AbnAmro ? '#' : null,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MalformedData = CsvMalformedDataHandling.Throw,
            PoolStrings = true,
        };
        var parts = Parts(content, options.Mode == CsvMode.Rfc4180);
        var statement = new Statement(file, detected.Value, options, progress, Math.Max(1, content.Span.Count((byte)'\n')));
        var read = new (List<BankLine> Lines, List<InputError> Errors)[parts.Count];
        read[0] = statement.Read(parts[0].Bytes, parts[0].FirstLine);
        if (statement.Columns is null)
        {
            errors.AddRange(read[0].Errors);
            return (detected.Value, []);
        }

        Parallel.For(1, parts.Count, i => read[i] = statement.Read(parts[i].Bytes, parts[i].FirstLine));
        foreach (var part in read)
        {
            errors.AddRange(part.Errors);
        }

        if (errors.Count > 0)
        {
            return (detected.Value, []);
        }

        var lines = new List<BankLine>(read.Sum(p => p.Lines.Count));
        foreach (var part in read)
        {
            lines.AddRange(part.Lines);
        }

        if (lines.Count == 0)
        {
            errors.Add(new InputError(file, 1, "(file)", "holds no transaction lines; nothing to import"));
        }

        return (detected.Value, lines);
    }

    /// <summary>
    /// The file cut into about one part per core, each starting at a record and knowing the line it
    /// starts on. In a quoting format a line break only ends a record outside quotes, that is after
    /// an even number of quote characters; where no such break is found the part runs on.
    /// </summary>
    private static List<(ReadOnlyMemory<byte> Bytes, int FirstLine)> Parts(ReadOnlyMemory<byte> content, bool quoted)
    {
        var count = content.Length < MinimumPart ? 1 : Math.Min(Environment.ProcessorCount * 2, content.Length / MinimumPart);
        var parts = new List<(ReadOnlyMemory<byte>, int)>();
        var span = content.Span;
        int start = 0, line = 1;
        for (var k = 1; k < count; k++)
        {
            var cut = -1;
            var at = Math.Max(start, content.Length * k / count);
            var quotes = quoted ? span[start..at].Count((byte)'"') : 0;
            while (at < content.Length)
            {
                var next = span[at..].IndexOf((byte)'\n');
                if (next < 0)
                {
                    break;
                }

                if (quoted)
                {
                    quotes += span.Slice(at, next).Count((byte)'"');
                }

                at += next + 1;
                if (quotes % 2 == 0)
                {
                    cut = at;
                    break;
                }
            }

            if (cut < 0 || cut >= content.Length)
            {
                break;
            }

            parts.Add((content[start..cut], line));
            line += span[start..cut].Count((byte)'\n');
            start = cut;
        }

        parts.Add((content[start..], line));
        return parts;
    }

    private const int MinimumPart = 1 << 20;

    // Control characters a field may not hold: all but tab and the line breaks a quoted field may span.
    private static readonly System.Buffers.SearchValues<char> ControlCharacters = System.Buffers.SearchValues.Create(
        Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Where(c => c is not ('\t' or '\n' or '\r')).Select(c => (char)c).ToArray());

    /// <summary>The longest field a statement line may hold, in characters: real descriptions stay far below it.</summary>
    public const int MaxFieldLength = 1_000;

    /// <summary>What every part of one file shares: its name, format, options and, once the first part has read it, the header.</summary>
    private sealed class Statement(string file, BankFormat format, CsvReaderOptions options, IProgress<double>? progress, int totalLines)
    {
        private int linesRead;

        /// <summary>Column positions by header name (first occurrence wins); null when the header is wrong.</summary>
        public Dictionary<string, int>? Columns { get; private set; }

        /// <summary>How many fields every record has: the header's, or (ABN AMRO, no header) the first record's; known once the first part is read.</summary>
        private int fieldCount;

        /// <summary>
        /// Reads one part, which starts on line <paramref name="firstLine"/> of the file; the first
        /// part starts with the header when the format has one. Run the first part before the others.
        /// </summary>
        public (List<BankLine>, List<InputError>) Read(ReadOnlyMemory<byte> bytes, int firstLine)
        {
            var errors = new List<InputError>();
            try
            {
                using var reader = CsvReader.Create(bytes, options);
                if (firstLine == 1 && !ReadHeader(reader, errors))
                {
                    return ([], errors);
                }

                return (Records(reader, firstLine - 1, errors), errors);
            }
            catch (CsvFormatException ex)
            {
                errors.Add(new InputError(file, firstLine - 1 + (int)ex.LineNumber, "(record)", $"malformed CSV: {ex.Message}"));
                return ([], errors);
            }
        }

        private bool ReadHeader(CsvReader reader, List<InputError> errors)
        {
            var header = new List<string>();
            if (format != BankFormat.AbnAmro && reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    header.Add(reader.GetString(i).Trim());
                }
            }

            if (!HeaderOk(format, header, file, errors))
            {
                return false;
            }

            var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = header.Count - 1; i >= 0; i--)
            {
                columns[header[i]] = i;
            }

            Columns = columns;
            fieldCount = header.Count;
            return true;
        }

        /// <summary>The records a reader has left, each with as many fields as <see cref="fieldCount"/> (when the format has no header: as the first record).</summary>
        private List<BankLine> Records(CsvReader reader, int lineOffset, List<InputError> errors)
        {
            var expected = fieldCount;
            var lines = new List<BankLine>();
            var row = new Row(file, Columns!, reader, errors);
            var read = 0;
            while (reader.Read())
            {
                var line = lineOffset + (int)reader.LineNumber;
                if (progress is not null && ++read % 20_000 == 0)
                {
                    progress.Report(Math.Min(1, Interlocked.Add(ref linesRead, 20_000) / (double)totalLines));
                }

                if (expected == 0)
                {
                    expected = format == BankFormat.AbnAmro ? AbnAmroFields : reader.FieldCount;
                    if (lineOffset == 0)
                    {
                        fieldCount = expected; // the first part, read before the others
                    }
                }

                if (reader.FieldCount != expected)
                {
                    // What a record with a field too many or too few ends the reading with.
                    errors.Add(new InputError(file, line, "(record)", $"malformed CSV: has {reader.FieldCount} fields where {(format == BankFormat.AbnAmro ? "an ABN AMRO line has" : "the header has")} {expected}"));
                    break;
                }

                row.MoveTo(line);
                var parsed = format switch
                {
                    BankFormat.Ing or BankFormat.IngSemicolon => Ing(row),
                    BankFormat.Rabobank => Rabobank(row),
                    BankFormat.AbnAmro => AbnAmro(row),
                    _ => Generic(row),
                };
                if (row.Valid)
                {
                    lines.Add(parsed);
                }
            }

            return lines;
        }
    }

    /// <summary>The format, from the start of the file (<see cref="DetectionBytes"/>): its header, or the shape of its first line.</summary>
    private static BankFormat? Detect(string head)
    {
        var first = head.Split('\n', 2)[0].Trim();
        var firstData = head.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#')) ?? "";
        if (first.StartsWith("\"Datum\",\"Naam / Omschrijving\"", StringComparison.Ordinal) || first.StartsWith("Datum,Naam / Omschrijving", StringComparison.Ordinal))
        {
            return BankFormat.Ing;
        }

        if (first.StartsWith("Datum;Naam / Omschrijving", StringComparison.Ordinal) || first.StartsWith("\"Datum\";\"Naam / Omschrijving\"", StringComparison.Ordinal))
        {
            return BankFormat.IngSemicolon;
        }

        if (first.Contains("IBAN/BBAN", StringComparison.Ordinal) && first.Contains("Volgnr", StringComparison.Ordinal))
        {
            return BankFormat.Rabobank;
        }

        if (first.Replace("\"", "", StringComparison.Ordinal).StartsWith(string.Join(',', GenericColumns[..3]), StringComparison.Ordinal))
        {
            return BankFormat.Generic;
        }

        return firstData.Split('\t').Length == AbnAmroFields ? BankFormat.AbnAmro : null;
    }

    private static bool HeaderOk(BankFormat format, List<string> header, string file, List<InputError> errors)
    {
        string[] required = format switch
        {
            BankFormat.Ing or BankFormat.IngSemicolon => IngColumns,
            BankFormat.Rabobank => ["IBAN/BBAN", "Datum", "Bedrag", "Tegenrekening IBAN/BBAN", "Naam tegenpartij", "Omschrijving-1"],
            BankFormat.Generic => GenericColumns[..6],
            _ => [],
        };
        var missing = required.Where(r => !header.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
        foreach (var column in missing)
        {
            errors.Add(new InputError(file, 1, column, "required column is missing from the header"));
        }

        // Ours is a closed format: a column we do not know is a file of another shape, not one to guess at.
        var unknown = format == BankFormat.Generic
            ? header.Where(h => !GenericColumns.Append(GenericReturnReason).Contains(h, StringComparer.OrdinalIgnoreCase)).ToList()
            : [];
        foreach (var column in unknown)
        {
            errors.Add(new InputError(file, 1, column, $"unknown column; the generic format has {string.Join(", ", GenericColumns)} and optionally {GenericReturnReason}"));
        }

        return missing.Count == 0 && unknown.Count == 0;
    }

    private static BankLine Ing(Row row)
    {
        var amount = row.Amount("Bedrag (EUR)", BankAmountShape.Ing);
        var direction = row.Text("Af Bij");
        if (direction is not ("Af" or "Bij"))
        {
            row.Error("Af Bij", $"'{direction}' is neither Af nor Bij");
        }

        var description = row.Optional("Mededelingen") ?? "";
        return new BankLine(row.Line, row.Text("Rekening"), row.Date("Datum", DateFormat.Compact), direction == "Af" ? -amount : amount,
            row.Optional("Tegenrekening"), row.Text("Naam / Omschrijving"), description, PaymentKey.FindIn(description));
    }

    private static BankLine Rabobank(Row row)
    {
        var description = string.Join(' ', RabobankDescriptions.Select(row.Optional).Where(d => d is not null));
        var reference = row.Optional("Betalingskenmerk") ?? row.Optional("Transactiereferentie") ?? PaymentKey.FindIn(description);
        return new BankLine(row.Line, row.Text("IBAN/BBAN"), row.Date("Datum", DateFormat.Iso), row.Amount("Bedrag", BankAmountShape.SignedDecimalComma),
            row.Optional("Tegenrekening IBAN/BBAN"), row.Optional("Naam tegenpartij") ?? "", description, reference, row.Optional("Reden retour"));
    }

    private static BankLine AbnAmro(Row row)
    {
        // account, currency, date, start balance, end balance, value date, signed amount, description
        var description = row.Field(7, "description");
        return new BankLine(row.Line, row.Field(0, "account"), row.Date(2, "date", DateFormat.Compact), row.Amount(6, "amount", BankAmountShape.SignedDecimalComma),
            Between(description, "IBAN: ", " "), Between(description, "Naam: ", "  ") ?? "", description.Trim(), PaymentKey.FindIn(description));
    }

    private static BankLine Generic(Row row) =>
        new(row.Line, row.Text("account"), row.Date("booking_date", DateFormat.Iso), row.Amount("amount", BankAmountShape.Generic),
            row.Optional("counterparty_iban"), row.Optional("counterparty_name") ?? "", row.Optional("description") ?? "", row.Optional("reference"),
            row.Optional(GenericReturnReason));

    private static string? Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        if (from < 0)
        {
            return null;
        }

        from += start.Length;
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        var value = (to < 0 ? text[from..] : text[from..to]).Trim();
        return value.Length == 0 ? null : value;
    }

    /// <summary>
    /// How a format writes its dates: the pattern that reads (and explains) any field, and the same
    /// read straight from a field's UTF-8 bytes when it has exactly the pattern's shape, the usual case.
    /// </summary>
    private sealed class DateFormat(LocalDatePattern pattern, byte? separator)
    {
        public static readonly DateFormat Iso = new(LocalDatePattern.Iso, (byte)'-');

        public static readonly DateFormat Compact = new(LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd"), null);

        public LocalDatePattern Pattern => pattern;

        /// <summary>The date, when <paramref name="text"/> is exactly uuuu-MM-dd (or uuuuMMdd) and a day that exists; otherwise false, for the pattern to read.</summary>
        public bool TryRead(ReadOnlySpan<byte> text, out LocalDate date)
        {
            date = default;
            var gap = separator is null ? 0 : 1;
            if (text.Length != 8 + (2 * gap) || (separator is { } between && (text[4] != between || text[7] != between)))
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
        private static int Number(ReadOnlySpan<byte> digits)
        {
            var value = 0;
            foreach (var digit in digits)
            {
                if (digit is < (byte)'0' or > (byte)'9')
                {
                    return -1;
                }

                value = (value * 10) + (digit - '0');
            }

            return value;
        }
    }

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
            if (value.AsSpan().IndexOfAny(ControlCharacters) is var at and >= 0)
            {
                return Fail(column, $"holds the control character U+{(int)value[at]:X4} (a NUL byte, say), which no bank writes in a field", "");
            }

            if (value.Length > MaxFieldLength)
            {
                return Fail(column, $"is {value.Length:N0} characters long; a statement field has at most {MaxFieldLength:N0}", "");
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
