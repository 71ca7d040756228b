namespace Ontzorging.Infrastructure.Csv;

/// <summary>
/// Files the engine writes hold IBANs, names and amounts (payment files, ledger exports, reports):
/// they are created readable and writable by their owner only (0600), whatever the umask.
/// </summary>
public static class OwnerOnlyFile
{
    public static FileStream Create(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            // An existing file keeps its mode when it is overwritten; it is made private too.
            File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return stream;
    }
}
