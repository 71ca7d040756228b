using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using NodaTime;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Statements;

/// <summary>An uploaded statement kept between its dry run and its confirmation: whose it is, its name, size and SHA-256.</summary>
public sealed record StatementUpload(string Id, string Subject, string FileName, string? Format, long Bytes, string Sha256, Instant Uploaded)
{
    /// <summary>Where the file lies, under its own name (the import records the file by its name).</summary>
    public string Path { get; init; } = "";
}

/// <summary>
/// The statements people upload on <c>/bankafschriften</c>, kept by the site between the dry run and
/// the confirmation (docs/rules.md, "Settled (issue 22, bank statements and the ledger)"). Each
/// upload is streamed to its own folder under <see cref="WebSettings.UploadFolder"/>, named by an
/// unguessable id (128 random bits) and bound to the subject who sent it: another person, or the
/// same id with another subject, finds nothing. Files are readable by the site's user only, are
/// deleted when imported, and expire after <see cref="Lifetime"/> (swept at every upload).
/// </summary>
public sealed class StatementUploads(WebSettings settings, IClock clock)
{
    public static readonly Duration Lifetime = Duration.FromHours(1);

    private const string Meta = "upload.json";

    private string Root => settings.UploadFolder is { Length: > 0 } folder ? folder : DefaultRoot;

    /// <summary>
    /// Without a configured folder: the site's user's own data folder (~/.local/share/ontzorging/uploads),
    /// never a name in the shared temporary folder that another user's site may already have taken;
    /// a user without a home gets a temporary folder named after them.
    /// </summary>
    public static string DefaultRoot { get; } =
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify) is { Length: > 0 } data
            ? System.IO.Path.Combine(data, "ontzorging", "uploads")
            : System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ontzorging-uploads-{Environment.UserName}");

    /// <summary>The most a statement may weigh, in bytes (<see cref="WebSettings.MaxStatementUploadMegabytes"/>).</summary>
    public long Limit => settings.MaxStatementUploadMegabytes * 1024L * 1024L;

    /// <summary>
    /// Streams <paramref name="content"/> to disk in pieces (never the whole file in memory), with its
    /// SHA-256 on the way. Null when it grows past <see cref="Limit"/>: then nothing is kept.
    /// </summary>
    public async Task<StatementUpload?> Save(Stream content, string subject, string fileName, string? format, IProgress<long>? progress, CancellationToken ct)
    {
        Sweep();
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var folder = System.IO.Path.Combine(Root, id);
        Directory.CreateDirectory(Root);
        var info = Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(info.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var path = System.IO.Path.Combine(folder, SafeName(fileName));
        var written = 0L;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        try
        {
            await using (var file = OwnerOnlyFile.Create(path))
            {
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    written += read;
                    if (written > Limit)
                    {
                        Directory.Delete(folder, recursive: true);
                        return null;
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    progress?.Report(written);
                }
            }
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }

        var upload = new StatementUpload(id, subject, System.IO.Path.GetFileName(path), format, written, Convert.ToHexStringLower(hash.GetHashAndReset()), clock.GetCurrentInstant()) { Path = path };
        await using (var meta = OwnerOnlyFile.Create(System.IO.Path.Combine(folder, Meta)))
        {
            await JsonSerializer.SerializeAsync(meta, new Stored(upload.Subject, upload.FileName, upload.Format, upload.Bytes, upload.Sha256, upload.Uploaded.ToUnixTimeMilliseconds()), cancellationToken: ct);
        }

        return upload;
    }

    /// <summary>The upload with this id, if it is <paramref name="subject"/>'s and has not expired.</summary>
    public StatementUpload? Find(string? id, string subject)
    {
        if (id is not { Length: 32 } || !id.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var folder = System.IO.Path.Combine(Root, id);
        var meta = System.IO.Path.Combine(folder, Meta);
        if (!File.Exists(meta))
        {
            return null;
        }

        var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(meta));
        if (stored is null || !string.Equals(stored.Subject, subject, StringComparison.Ordinal))
        {
            return null;
        }

        var uploaded = Instant.FromUnixTimeMilliseconds(stored.Uploaded);
        var path = System.IO.Path.Combine(folder, stored.FileName);
        if (clock.GetCurrentInstant() - uploaded > Lifetime || !File.Exists(path))
        {
            Delete(id);
            return null;
        }

        return new StatementUpload(id, stored.Subject, stored.FileName, stored.Format, stored.Bytes, stored.Sha256, uploaded) { Path = path };
    }

    public void Delete(string id)
    {
        var folder = System.IO.Path.Combine(Root, id);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Removes uploads older than <see cref="Lifetime"/> (by the folder's time on disk).</summary>
    public void Sweep()
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        var cutoff = (clock.GetCurrentInstant() - Lifetime).ToDateTimeUtc();
        foreach (var folder in Directory.EnumerateDirectories(Root))
        {
            try
            {
                if (Directory.GetLastWriteTimeUtc(folder) < cutoff)
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (IOException)
            {
                // Another request is reading it; the next sweep takes it.
            }
        }
    }

    /// <summary>The file's own name, without folders or characters a file system refuses, at most 100 characters.</summary>
    private static string SafeName(string fileName)
    {
        var name = System.IO.Path.GetFileName(fileName.Replace('\\', '/'));
        var invalid = System.IO.Path.GetInvalidFileNameChars();
        name = new string(name.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c).ToArray()).Trim();
        if (name.Length == 0 || name is "." or ".." || name == Meta)
        {
            name = "statement";
        }

        return name.Length <= 100 ? name : name[^100..];
    }

    private sealed record Stored(string Subject, string FileName, string? Format, long Bytes, string Sha256, long Uploaded);
}

/// <summary>
/// How far each running upload or import is, for the page's progress bar: by the person's subject
/// and a ticket the form carries, in this instance's memory (a progress bar is a courtesy; the work
/// does not depend on it).
/// </summary>
public sealed class StatementProgress
{
    private readonly ConcurrentDictionary<(string Subject, string Ticket), (string Stage, double Done, long Started)> running = new();

    public static string NewTicket() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public void Report(string subject, string? ticket, string stage, double done)
    {
        if (ticket is { Length: > 0 and <= 64 })
        {
            running[(subject, ticket)] = (stage, Math.Clamp(done, 0, 1), Environment.TickCount64);
        }
    }

    public (string Stage, double Done)? Of(string subject, string? ticket)
    {
        // Old tickets go: nobody polls an upload that ended ten minutes ago.
        foreach (var (key, value) in running)
        {
            if (Environment.TickCount64 - value.Started > 600_000)
            {
                running.TryRemove(key, out _);
            }
        }

        return ticket is not null && running.TryGetValue((subject, ticket), out var state) ? (state.Stage, state.Done) : null;
    }

    public void Done(string subject, string? ticket)
    {
        if (ticket is not null)
        {
            running.TryRemove((subject, ticket), out _);
        }
    }
}
