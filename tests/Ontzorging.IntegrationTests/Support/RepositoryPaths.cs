namespace Ontzorging.IntegrationTests.Support;

/// <summary>Finds the checkout (the folder holding Ontzorging.sln) and the optional ../shared beside it.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>A file or folder under docs/ (the rulebook's worked examples, the pain.001 schemas), there on every clone.</summary>
    public static string Docs(string relative) => Path.Combine(Root, "docs", relative);

    /// <summary>
    /// ../shared exists on developers' machines and in CI, not in a user's clone: only the tests of
    /// the public bank samples need it; they call <see cref="RequireShared"/> and are reported as
    /// skipped, never as passed, without it.
    /// </summary>
    public static string? Shared
    {
        get
        {
            var candidate = Environment.GetEnvironmentVariable("ONTZORGING_SHARED") ?? Path.Combine(Root, "..", "shared");
            return Directory.Exists(candidate) ? Path.GetFullPath(candidate) : null;
        }
    }

    public static string RequireShared(string relative)
    {
        var shared = Shared;
        if (shared is null)
        {
            Assert.Ignore("../shared is not beside this checkout (set ONTZORGING_SHARED to point at it)");
        }

        var path = Path.Combine(shared!, relative);
        if (!Path.Exists(path))
        {
            Assert.Ignore($"{path} is missing from ../shared");
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ontzorging.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Ontzorging.sln above {AppContext.BaseDirectory}");
    }
}
