using System.Text;
using CsvHelper;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>
/// Reads a bank export into <see cref="BankLine"/>s: detects the format, reads UTF-8 or
/// Windows-1252, decimal commas, ING's "Af Bij" direction and signed amounts. Every error names
/// the line and column; a file with errors yields no lines.
/// </summary>
public static partial class BankStatementReader
{
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
}
