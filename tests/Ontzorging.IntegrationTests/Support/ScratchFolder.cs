namespace Ontzorging.IntegrationTests.Support;

/// <summary>An empty folder of its own under the temporary directory; deleted on dispose.</summary>
public sealed class ScratchFolder : IDisposable
{
    public ScratchFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ontzorging-{Guid.NewGuid():N}");

    /// <summary>A folder inside this one (not created).</summary>
    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
