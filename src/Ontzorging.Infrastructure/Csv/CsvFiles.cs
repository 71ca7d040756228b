using CsvHelper;

namespace Ontzorging.Infrastructure.Csv;

/// <summary>Every CSV the engine writes: RFC 4180, LF line ends, formula-looking text escaped for spreadsheets.</summary>
public static class CsvFiles
{
    public static async Task Write(string path, string[] header, IEnumerable<string[]> rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var stream = File.Create(path);
        await using var writer = CsvWriter.Create(stream, CsvWriterOptions.Default with { NewLine = "\n", Injection = CsvInjection.Escape, InjectionCharacters = "=@+\t\r" });
        writer.WriteHeader(header);
        foreach (var row in rows)
        {
            await writer.WriteRecordAsync(row);
        }

        await writer.FlushAsync();
    }
}
