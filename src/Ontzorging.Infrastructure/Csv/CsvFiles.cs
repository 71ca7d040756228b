using CsvHelper;

namespace Ontzorging.Infrastructure.Csv;

/// <summary>Every CSV the engine writes: RFC 4180, LF line ends, formula-looking text escaped for spreadsheets.</summary>
public static class CsvFiles
{
    /// <summary>Cells starting with these run as formulas in a spreadsheet; amounts never start with one (a minus sign is allowed by default).</summary>
    public const string FormulaStarts = "=@+\t\r";

    /// <summary>For free text only (no signed numbers): a leading minus is neutralised too.</summary>
    public const string FormulaStartsWithMinus = "=@+-\t\r";

    public static async Task Write(string path, string[] header, IEnumerable<string[]> rows, string injectionCharacters = FormulaStarts)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var stream = OwnerOnlyFile.Create(path);
        await using var writer = CsvWriter.Create(stream, Options(injectionCharacters));
        await WriteRows(writer, header, rows);
    }

    /// <summary>The same, to a text writer (standard output), which stays open.</summary>
    public static async Task Write(TextWriter output, string[] header, IEnumerable<string[]> rows, string injectionCharacters = FormulaStarts)
    {
        await using var writer = CsvWriter.Create(output, Options(injectionCharacters), leaveOpen: true);
        await WriteRows(writer, header, rows);
    }

    private static CsvWriterOptions Options(string injectionCharacters) =>
        CsvWriterOptions.Default with { NewLine = "\n", Injection = CsvInjection.Escape, InjectionCharacters = injectionCharacters };

    private static async Task WriteRows(CsvWriter writer, string[] header, IEnumerable<string[]> rows)
    {
        writer.WriteHeader(header);
        foreach (var row in rows)
        {
            await writer.WriteRecordAsync(row);
        }

        await writer.FlushAsync();
    }
}
