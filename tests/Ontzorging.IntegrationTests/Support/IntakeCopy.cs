namespace Ontzorging.IntegrationTests.Support;

/// <summary>Copies of intake folders with one thing changed.</summary>
public static class IntakeCopy
{
    /// <summary>A copy of <paramref name="input"/> at <paramref name="copy"/> in which household <paramref name="household"/> speaks <paramref name="language"/>.</summary>
    public static string WithLanguage(string input, string copy, string household, string language)
    {
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(input, "*.csv"))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var path = Path.Combine(copy, "households.csv");
        var lines = File.ReadAllLines(path);
        var column = Array.IndexOf(lines[0].Split(','), "language");
        File.WriteAllLines(path, lines.Select((line, i) =>
        {
            if (i == 0 || !line.StartsWith(household + ",", StringComparison.Ordinal))
            {
                return line;
            }

            var cells = line.Split(',');
            cells[column] = language;
            return string.Join(',', cells);
        }));
        return copy;
    }
}
