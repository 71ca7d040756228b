using System.Text.Json;
using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;

namespace Ontzorging.Infrastructure.Audit;

/// <summary>What happened: a write (done or refused) or a view of personal data.</summary>
public enum AuditOutcome
{
    Done,
    Refused,
    Viewed,
}

/// <summary>
/// One audit record. <see cref="Target"/> names what was acted on ("household HH-0017",
/// "batch 12"), never a BSN or IBAN; <see cref="Before"/> and <see cref="After"/> are the values
/// the write changed, serialised as JSON.
/// </summary>
public sealed record AuditEntry(string Action, string? Target, AuditOutcome Outcome, string? Municipality = null, object? Before = null, object? After = null, string? Detail = null);

public sealed record AuditRecord(long Id, Instant At, string ActorSubject, string ActorName, string Channel, string Action, string? Target, string? Municipality,
    string Outcome, string? Before, string? After, string? Detail);

/// <summary>
/// Writes the append-only audit log (migration 0018) and remembers the people who act. Only
/// <see cref="WriteDoor"/> calls it, inside the write's own transaction; the database refuses to
/// change or remove a record, and the application role may only add and read them.
/// </summary>
internal static class AuditTrail
{
    private static readonly JsonSerializerOptions Json = Csv.JsonFormats.Create(indented: false);

    private const string Insert = """
        INSERT INTO audit_log (at, actor_subject, actor_name, channel, action, target, municipality, outcome, before, after, detail)
        VALUES (@At, @Subject, @Name, @Channel, @Action, @Target, @Municipality, @Outcome, @Before::jsonb, @After::jsonb, @Detail)
        """;

    // The person's current display name under their subject, in the same round trip as the record.
    private const string RememberAndInsert = """
        INSERT INTO people (subject, display_name, first_seen_at, last_seen_at) VALUES (@Subject, @Name, @At, @At)
        ON CONFLICT (subject) DO UPDATE SET display_name = excluded.display_name, last_seen_at = excluded.last_seen_at
          WHERE people.display_name IS DISTINCT FROM excluded.display_name OR people.last_seen_at < excluded.last_seen_at - interval '1 minute';
        """ + Insert;

    /// <summary>Writes one record, dated <paramref name="at"/> (the moment its write acted).</summary>
    public static async Task Write(NpgsqlConnection connection, NpgsqlTransaction? transaction, Actor actor, Instant at, AuditEntry entry, bool remember, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(remember ? RememberAndInsert : Insert, new
        {
            At = at,
            actor.Subject,
            Name = actor.DisplayName,
            Channel = actor.Channel.Code(),
            entry.Action,
            entry.Target,
            entry.Municipality,
            Outcome = entry.Outcome.ToString().ToLowerInvariant(),
            Before = entry.Before is null ? null : JsonSerializer.Serialize(entry.Before, Json),
            After = entry.After is null ? null : JsonSerializer.Serialize(entry.After, Json),
            entry.Detail,
        }, transaction, cancellationToken: ct));
    }
}

/// <summary>The first place the audit log's hash chain breaks, and why.</summary>
public sealed record AuditBreak(long RecordId, string Problem);

/// <summary>What <see cref="AuditLog.Verify"/> found: how many records, the chain's head (note its hash elsewhere: it anchors everything before it), and the first break.</summary>
public sealed record AuditVerification(long Records, long? HeadId, string? HeadHash, AuditBreak? FirstBreak)
{
    public bool Intact => FirstBreak is null;
}

/// <summary>Reads the audit log for the people who answer for it.</summary>
public sealed class AuditLog(NpgsqlDataSource dataSource)
{
    // Each record's hash must be the digest of its predecessor's hash and its own fields
    // (migrations/always/audit_log.sql); a predecessor named twice, or named and missing, is a record
    // slipped in or taken out; the head must be the last record of the chain.
    private const string Breaks = """
        SELECT id AS RecordId, problem FROM (
            SELECT a.id, CASE
                       WHEN a.hash IS NULL THEN 'not part of the chain (inserted past the database''s guard)'
                       WHEN a.previous_id IS NOT NULL AND p.id IS NULL THEN 'the record before it (' || a.previous_id || ') is missing'
                       WHEN a.hash <> audit_log_digest(p.hash, a) THEN 'its contents or the record before it were altered'
                   END AS problem
              FROM audit_log a LEFT JOIN audit_log p ON p.id = a.previous_id
            UNION ALL
            SELECT max(id), 'another record follows the same record ' || coalesce(previous_id::text, '(the first)')
              FROM audit_log WHERE hash IS NOT NULL GROUP BY previous_id HAVING count(*) > 1
            UNION ALL
            SELECT c.last_id, 'the chain''s last record is missing'
              FROM audit_chain c WHERE c.last_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.id = c.last_id)
        ) b WHERE problem IS NOT NULL ORDER BY id, problem LIMIT 1
        """;

    /// <summary>Walks the whole hash chain; the first break, if any, with the record where it shows.</summary>
    public async Task<AuditVerification> Verify(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var broken = await connection.QuerySingleOrDefaultAsync<AuditBreak>(new CommandDefinition(Breaks, commandTimeout: 0, cancellationToken: ct));
        var records = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM audit_log", cancellationToken: ct));
        var head = await connection.QuerySingleOrDefaultAsync<(long? Id, byte[]? Hash)>(new CommandDefinition(
            "SELECT a.id, a.hash FROM audit_log a WHERE a.id = (SELECT last_id FROM audit_chain)", cancellationToken: ct));
        return new AuditVerification(records, head.Id, head.Hash is null ? null : Convert.ToHexStringLower(head.Hash), broken);
    }

    /// <summary>
    /// The newest records about one target (or all when null) that <paramref name="scope"/> may see,
    /// newest first: the records of its municipalities, and those of no municipality (a batch covers
    /// the managed account; a sign-in is nobody's household). A record of another municipality is
    /// never shown (docs/rules.md §14).
    /// </summary>
    public async Task<IReadOnlyList<AuditRecord>> Recent(string? target, int limit, Households.MunicipalityScope scope, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<AuditRecord>(new CommandDefinition("""
            SELECT id, at, actor_subject AS ActorSubject, actor_name AS ActorName, channel, action, target, municipality, outcome,
                   before::text AS Before, after::text AS After, detail
              FROM audit_log
             WHERE (@Target::text IS NULL OR target = @Target) AND (@All OR municipality IS NULL OR municipality = ANY(@Codes))
             ORDER BY id DESC LIMIT @Limit
            """, new { Target = target, Limit = limit, All = scope.Codes is null, Codes = scope.Codes?.ToArray() ?? [] }, cancellationToken: ct))).ToList();
    }
}
