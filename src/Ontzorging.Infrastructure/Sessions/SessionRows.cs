using Dapper;
using NodaTime;
using Npgsql;

namespace Ontzorging.Infrastructure.Sessions;

/// <summary>
/// The site's sessions as rows (migration 0021): the site's ticket store keeps each signed-in
/// session here under a random key, so signing out on any instance ends it on every instance, and a
/// cookie copied before that is refused afterwards. The ticket arrives protected (encrypted and
/// signed by the site's Data Protection keys); this class never reads inside it. A session is the
/// site's state, not the municipality's data: signing in and out are what the audit log records.
/// </summary>
public sealed class SessionRows(NpgsqlDataSource dataSource, IClock clock)
{
    /// <summary>Keeps a new session; a session past <paramref name="endsAt"/> is never answered, however recently it was used.</summary>
    public async Task Store(string key, string scheme, string? subject, byte[] ticket, Instant expiresAt, Instant endsAt, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // Sessions that ended are removed as new ones start, so the table holds only live ones.
        await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM web_sessions WHERE ends_at < @Now OR expires_at < @Now;
            INSERT INTO web_sessions (key, scheme, subject, ticket, expires_at, ends_at) VALUES (@Key, @Scheme, @Subject, @Ticket, least(@ExpiresAt, @EndsAt), @EndsAt);
            """, new { Key = key, Scheme = scheme, Subject = subject, Ticket = ticket, ExpiresAt = expiresAt, EndsAt = endsAt, Now = clock.GetCurrentInstant() },
            cancellationToken: ct));
    }

    /// <summary>A request kept the session alive: its new ticket and idle expiry (never past its end). False when it has ended meanwhile.</summary>
    public async Task<bool> Renew(string key, byte[] ticket, Instant expiresAt, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE web_sessions SET ticket = @Ticket, expires_at = least(@ExpiresAt, ends_at) WHERE key = @Key AND ends_at > @Now AND expires_at > @Now",
            new { Key = key, Ticket = ticket, ExpiresAt = expiresAt, Now = clock.GetCurrentInstant() }, cancellationToken: ct)) == 1;
    }

    /// <summary>The protected ticket of a live session, or null: unknown, signed out, idle too long or past its end.</summary>
    public async Task<byte[]?> Retrieve(string key, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition(
            "SELECT ticket FROM web_sessions WHERE key = @Key AND expires_at > @Now AND ends_at > @Now",
            new { Key = key, Now = clock.GetCurrentInstant() }, cancellationToken: ct));
    }

    public async Task Remove(string key, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM web_sessions WHERE key = @Key", new { Key = key }, cancellationToken: ct));
    }
}

/// <summary>
/// The site's Data Protection key ring as rows (migration 0021), shared by every instance: a cookie,
/// a session or an antiforgery token protected by one instance is read by the other. Each key is the
/// XML ASP.NET Core writes, already encrypted with the configured certificate where there is one.
/// </summary>
public sealed class KeyRingRows(NpgsqlDataSource dataSource)
{
    public IReadOnlyList<string> All()
    {
        using var connection = dataSource.OpenConnection();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY id").ToList();
    }

    /// <summary>Adds a key; a key already kept under its name (two instances making the same one) is kept as it is.</summary>
    public void Add(string friendlyName, string xml)
    {
        using var connection = dataSource.OpenConnection();
        connection.Execute("INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@Name, @Xml) ON CONFLICT (friendly_name) DO NOTHING",
            new { Name = friendlyName, Xml = xml });
    }
}
