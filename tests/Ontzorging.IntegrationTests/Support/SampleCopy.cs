namespace Ontzorging.IntegrationTests.Support;

/// <summary>A private copy of samples/ that a test may break on purpose; deleted on dispose.</summary>
public sealed class SampleCopy : IDisposable
{
    public SampleCopy()
    {
        Directory.CreateDirectory(Path);
        foreach (var file in Directory.GetFiles(Samples, "*.csv"))
        {
            File.Copy(file, System.IO.Path.Combine(Path, System.IO.Path.GetFileName(file)));
        }
    }

    public static string Samples { get; } = System.IO.Path.Combine(RepositoryPaths.Root, "samples");

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ontzorging-samples-{Guid.NewGuid():N}");

    /// <summary>Replaces one physical line (1 = the header) of a file.</summary>
    public void ReplaceLine(string file, int line, Func<string, string> change)
    {
        var path = System.IO.Path.Combine(Path, file);
        var lines = File.ReadAllLines(path);
        lines[line - 1] = change(lines[line - 1]);
        File.WriteAllLines(path, lines);
    }

    public void AppendLine(string file, string line) => File.AppendAllLines(System.IO.Path.Combine(Path, file), [line]);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
