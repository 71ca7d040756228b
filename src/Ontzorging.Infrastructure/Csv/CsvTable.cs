using CsvHelper;
using Ontzorging.Domain;

namespace Ontzorging.Infrastructure.Csv;

/// <summary>
/// Reads one intake file as docs/rules.md §12 defines them: UTF-8 (BOM allowed), RFC 4180 quoting,
/// LF or CRLF, ',' separated, a header of exact lowercase names in any order. A missing required
/// column or an unknown column is an error and no row of that file is read.
/// </summary>
public static class CsvTable
{
    /// <summary>The longest cell any intake file may hold, in characters; columns with their own limit (names, references) are shorter.</summary>
    public const int MaxCellLength = 500;

    public static List<CsvTableRow> Read(string path, IReadOnlyCollection<string> required, IReadOnlyCollection<string> optional, List<InputError> errors)
    {
        var file = Path.GetFileName(path);
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = true,
            Mode = CsvMode.Rfc4180,
            TrackLineNumbers = true,
            TrimWhitespace = false,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
            IncludeValuesInExceptions = false,
        };
        var rows = new List<CsvTableRow>();
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (TextEncodings.RequireUtf8(file, bytes) is { } notUtf8)
            {
                errors.Add(notUtf8);
                return rows;
            }

            using var stream = new MemoryStream(bytes, writable: false);
            using var reader = CsvReader.Create(stream, options);
            var headers = reader.Headers.Select(h => h.Trim()).ToList();
            var known = required.Concat(optional).ToHashSet(StringComparer.Ordinal);
            var headerOk = true;
            foreach (var unknown in headers.Where(h => !known.Contains(h)))
            {
                errors.Add(new InputError(file, 1, unknown, $"unknown column '{unknown}'; expected {string.Join(", ", required.Concat(optional))}"));
                headerOk = false;
            }

            foreach (var missing in required.Where(r => !headers.Contains(r)))
            {
                errors.Add(new InputError(file, 1, missing, "required column is missing from the header"));
                headerOk = false;
            }

            foreach (var duplicate in headers.GroupBy(h => h).Where(g => g.Count() > 1))
            {
                errors.Add(new InputError(file, 1, duplicate.Key, "column appears twice in the header"));
                headerOk = false;
            }

            if (!headerOk)
            {
                return rows;
            }

            while (reader.Read())
            {
                var values = new Dictionary<string, string?>(StringComparer.Ordinal);
                for (var i = 0; i < headers.Count; i++)
                {
                    var value = reader.GetString(i);
                    // Names, references and reasons are kept in NFC (docs/rules.md §10); checked as kept.
                    values[headers[i]] = string.IsNullOrWhiteSpace(value) ? null : TextRules.Nfc(value);
                }

                var row = new CsvTableRow(file, (int)reader.LineNumber, values, errors);
                foreach (var (column, value) in values)
                {
                    if (value is not null && TextRules.Problem(value, MaxCellLength) is { } problem)
                    {
                        row.Error(column, problem);
                    }
                }

                rows.Add(row);
            }
        }
        catch (CsvFormatException ex)
        {
            errors.Add(new InputError(file, (int)ex.LineNumber, "(record)", $"malformed CSV: {ex.Message}"));
        }
        catch (IOException ex)
        {
            errors.Add(new InputError(file, 0, "(file)", $"cannot be read: {ex.Message}"));
        }

        return rows;
    }
}

/// <summary>One data row; its field readers record an error (and return a default) instead of throwing.</summary>
public sealed class CsvTableRow(string file, int line, IReadOnlyDictionary<string, string?> values, List<InputError> errors)
{
    private int errorCount;

    // Columns already refused (a control or hidden character in the cell): read no further, so one
    // problem is reported once.
    private readonly HashSet<string> refused = new(StringComparer.Ordinal);

    public string File { get; } = file;

    public int Line { get; } = line;

    /// <summary>False once any field of this row was refused.</summary>
    public bool Valid => errorCount == 0;

    public void Error(string column, string message)
    {
        errors.Add(new InputError(File, Line, column, message));
        errorCount++;
        refused.Add(column);
    }

    public string? OptionalText(string column) => values.GetValueOrDefault(column)?.Trim();

    public string Text(string column)
    {
        var value = OptionalText(column);
        if (value is null)
        {
            Error(column, "is required but empty");
            return "";
        }

        return value;
    }

    /// <summary>
    /// A required name: at most <paramref name="maxCharacters"/> characters (SEPA's name field),
    /// counted as a reader counts them. Control characters are refused for every cell already.
    /// </summary>
    public string Name(string column, int maxCharacters = TextRules.MaxNameLength)
    {
        var value = Text(column);
        if (TextRules.LengthProblem(value, maxCharacters) is { } problem)
        {
            Error(column, problem);
        }

        return value;
    }

    public T Required<T>(string column, Func<string, Domain.ParseResult<T>> parse)
    {
        var text = values.GetValueOrDefault(column);
        if (refused.Contains(column))
        {
            return default!;
        }

        if (text is null)
        {
            Error(column, "is required but empty");
            return default!;
        }

        return Check(column, parse(text)) ?? default!;
    }

    public T? Optional<T>(string column, Func<string, Domain.ParseResult<T>> parse)
        where T : struct
    {
        var text = values.GetValueOrDefault(column);
        if (text is null || refused.Contains(column))
        {
            return null;
        }

        var result = parse(text);
        if (!result.Success)
        {
            Error(column, result.Error!);
            return null;
        }

        return result.Value;
    }

    public T? OptionalReference<T>(string column, Func<string, Domain.ParseResult<T>> parse)
        where T : class
    {
        var text = values.GetValueOrDefault(column);
        return text is null || refused.Contains(column) ? null : Check(column, parse(text));
    }

    private T? Check<T>(string column, Domain.ParseResult<T> result)
    {
        if (result.Success)
        {
            return result.Value;
        }

        Error(column, result.Error!);
        return default;
    }
}
