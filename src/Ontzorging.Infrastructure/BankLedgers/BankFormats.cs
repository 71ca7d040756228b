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
    private static readonly LocalDatePattern Compact = LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd");

    private const int DetectionBytes = 64 * 1024;

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    static BankStatementReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static (BankFormat Format, List<BankLine> Lines) Read(string path, BankFormat? format, List<InputError> errors) =>
        Read(path, File.ReadAllBytes(path), format, errors, null);

    /// <summary>Reads the bytes of a bank export; <paramref name="progress"/> hears the share of lines read (0–1) now and then.</summary>
    public static (BankFormat Format, List<BankLine> Lines) Read(string path, byte[] bytes, BankFormat? format, List<InputError> errors, IProgress<double>? progress)
    {
        var file = Path.GetFileName(path);

        // UTF-8 is read in place; only an older Windows-1252 export is decoded first.
        var utf8 = Utf8.IsValid(bytes);
        var bom = utf8 && bytes.AsSpan().StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
        var head = (utf8 ? Encoding.UTF8 : Encoding.GetEncoding(1252)).GetString(bytes, bom, Math.Min(bytes.Length - bom, DetectionBytes));
        var totalLines = progress is null ? 0 : Math.Max(1, bytes.AsSpan().Count((byte)'\n'));
        var detected = format ?? Detect(head);
        if (detected is null)
        {
            errors.Add(new InputError(file, 1, "(header)", "format not recognised; name it with --format ing|ing-semicolon|rabobank|abnamro|generic"));
            return (BankFormat.Generic, []);
        }

        var options = CsvReaderOptions.Default with
        {
            Separator = detected switch { BankFormat.IngSemicolon => ';', BankFormat.AbnAmro => '\t', _ => ',' },
            HasHeader = detected != BankFormat.AbnAmro,
            Mode = detected == BankFormat.AbnAmro ? CsvMode.NoEscape : CsvMode.Rfc4180,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            CommentPrefix = detected == BankFormat.AbnAmro ? '#' : null,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
            MalformedData = CsvMalformedDataHandling.Throw,
        };
        var lines = new List<BankLine>();
        try
        {
            using var reader = utf8
                ? CsvReader.Create(new ReadOnlyMemory<byte>(bytes, bom, bytes.Length - bom), options)
                : CsvReader.Create(new StringReader(Encoding.GetEncoding(1252).GetString(bytes)), options);
            var header = detected == BankFormat.AbnAmro ? [] : reader.Headers.Select(h => h.Trim()).ToList();
            if (!HeaderOk(detected.Value, header, file, errors))
            {
                return (detected.Value, []);
            }

            var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = header.Count - 1; i >= 0; i--)
            {
                columns[header[i]] = i;
            }

            while (reader.Read())
            {
                if (progress is not null && reader.LineNumber % 20_000 == 0)
                {
                    progress.Report(Math.Min(1, reader.LineNumber / (double)totalLines));
                }

                var fields = new string[reader.FieldCount];
                for (var i = 0; i < fields.Length; i++)
                {
                    fields[i] = reader.GetString(i);
                }

                var row = new Row(file, (int)reader.LineNumber, columns, fields, errors);
                var line = detected switch
                {
                    BankFormat.Ing or BankFormat.IngSemicolon => Ing(row),
                    BankFormat.Rabobank => Rabobank(row),
                    BankFormat.AbnAmro => AbnAmro(row),
                    _ => Generic(row),
                };
                if (row.Valid)
                {
                    lines.Add(line);
                }
            }
        }
        catch (CsvFormatException ex)
        {
            errors.Add(new InputError(file, (int)ex.LineNumber, "(record)", $"malformed CSV: {ex.Message}"));
        }

        return (detected.Value, errors.Count == 0 ? lines : []);
    }

    /// <summary>UTF-8 when the bytes are valid UTF-8 (a BOM is allowed), otherwise Windows-1252, as older bank exports are.</summary>
    public static string Decode(byte[] bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            var text = Encoding.UTF8.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }

        return Encoding.GetEncoding(1252).GetString(bytes);
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

        return firstData.Split('\t').Length >= 8 ? BankFormat.AbnAmro : null;
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

        return missing.Count == 0;
    }

    private static BankLine Ing(Row row)
    {
        var amount = row.Amount("Bedrag (EUR)", signed: false);
        var direction = row.Text("Af Bij");
        if (direction is not ("Af" or "Bij"))
        {
            row.Error("Af Bij", $"'{direction}' is neither Af nor Bij");
        }

        var description = row.Optional("Mededelingen") ?? "";
        return new BankLine(row.Line, row.Text("Rekening"), row.Date("Datum", Compact), direction == "Af" ? -amount : amount,
            row.Optional("Tegenrekening"), row.Text("Naam / Omschrijving"), description, PaymentKey.FindIn(description));
    }

    private static BankLine Rabobank(Row row)
    {
        var description = string.Join(' ', RabobankDescriptions.Select(row.Optional).Where(d => d is not null));
        var reference = row.Optional("Betalingskenmerk") ?? row.Optional("Transactiereferentie") ?? PaymentKey.FindIn(description);
        return new BankLine(row.Line, row.Text("IBAN/BBAN"), row.Date("Datum", LocalDatePattern.Iso), row.Amount("Bedrag", signed: true),
            row.Optional("Tegenrekening IBAN/BBAN"), row.Optional("Naam tegenpartij") ?? "", description, reference, row.Optional("Reden retour"));
    }

    private static BankLine AbnAmro(Row row)
    {
        // account, currency, date, start balance, end balance, value date, signed amount, description
        var description = row.Field(7);
        return new BankLine(row.Line, row.Field(0), row.Date(2, "date", Compact), row.Amount(6, "amount"),
            Between(description, "IBAN: ", " "), Between(description, "Naam: ", "  ") ?? "", description.Trim(), PaymentKey.FindIn(description));
    }

    private static BankLine Generic(Row row) =>
        new(row.Line, row.Text("account"), row.Date("booking_date", LocalDatePattern.Iso), row.Amount("amount", signed: true, decimalComma: false),
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

    /// <summary>One record, read by header name or by position; a field that does not read records an error.</summary>
    private sealed class Row(string file, int line, Dictionary<string, int> columns, string[] fields, List<InputError> errors)
    {
        private int errorCount;

        public int Line { get; } = line;

        public bool Valid => errorCount == 0;

        public void Error(string column, string message)
        {
            errors.Add(new InputError(file, Line, column, message));
            errorCount++;
        }

        public string Field(int index) => index < fields.Length ? fields[index] : "";

        public string? Optional(string column)
        {
            var value = columns.TryGetValue(column, out var index) && index < fields.Length ? fields[index].Trim() : "";
            return value.Length == 0 ? null : value;
        }

        public string Text(string column) => Optional(column) ?? Fail(column, "is required but empty", "");

        public LocalDate Date(string column, LocalDatePattern pattern) => ParseDate(column, Optional(column), pattern);

        public LocalDate Date(int index, string column, LocalDatePattern pattern) => ParseDate(column, Field(index).Trim(), pattern);

        public Money Amount(string column, bool signed, bool decimalComma = true) => ParseAmount(column, Optional(column), signed, decimalComma);

        public Money Amount(int index, string column) => ParseAmount(column, Field(index).Trim(), signed: true, decimalComma: true);

        private LocalDate ParseDate(string column, string? text, LocalDatePattern pattern)
        {
            var result = pattern.Parse(text ?? "");
            return result.Success ? result.Value : Fail(column, $"'{text}' is not a date ({pattern.PatternText})", default(LocalDate));
        }

        /// <summary>"1.234,56", "-25,00", "+1,25" (decimal comma) or "-25.00" (generic); the sign only where the format has one.</summary>
        private Money ParseAmount(string column, string? text, bool signed, bool decimalComma)
        {
            var s = text ?? "";
            var negative = signed && s.StartsWith('-');
            if (signed && (s.StartsWith('-') || s.StartsWith('+')))
            {
                s = s[1..];
            }

            if (decimalComma)
            {
                s = s.Replace(".", "", StringComparison.Ordinal).Replace(',', '.');
            }

            var parsed = Money.Parse(s);
            if (!parsed.Success)
            {
                return Fail(column, $"'{text}' is not an amount{(decimalComma ? " like 1.234,56" : " like -1234.56")}", Money.Zero);
            }

            return negative ? -parsed.Value : parsed.Value;
        }

        private T Fail<T>(string column, string message, T fallback)
        {
            Error(column, message);
            return fallback;
        }
    }
}
