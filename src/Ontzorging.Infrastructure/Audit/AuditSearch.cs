using System.Globalization;
using CsvHelper;
using Dapper;
using NodaTime;
using NodaTime.Text;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Time;

namespace Ontzorging.Infrastructure.Audit;

/// <summary>
/// What an auditor asks of the audit trail: whose records (a subject), about which household,
/// which action and outcome, and which days (Europe/Amsterdam, both ends included). Empty parts
/// do not filter.
/// </summary>
public sealed record AuditQuery(string? Subject = null, string? Household = null, string? Action = null, AuditOutcome? Outcome = null, LocalDate? From = null, LocalDate? Through = null)
{
    public string? Target => Household is { Length: > 0 } reference ? $"household {reference}" : null;

    public Instant? FromInstant => From?.AtStartOfDayInZone(MunicipalTime.Zone).ToInstant();

    public Instant? UntilInstant => Through?.PlusDays(1).AtStartOfDayInZone(MunicipalTime.Zone).ToInstant();
}

/// <summary>One page of records, newest first, with the keys that open the pages beside it (null at either end).</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Records, long? Older, long? Newer);

/// <summary>A person who appears in the audit trail, for the filter.</summary>
public sealed record AuditPerson(string Subject, string DisplayName);

/// <summary>
/// The audit trail as an auditor reads it (<c>/logboek</c>): filtered, paged by record id (a key,
/// not an offset, so page 5,000 of a million records costs what page 1 costs), and within the
/// reader's municipalities (and records of no municipality), as <see cref="AuditLog.Recent"/>.
/// </summary>
public sealed class AuditSearch(NpgsqlDataSource dataSource, WriteDoor door)
{
    public const int MaxPageSize = 200;

    /// <summary>
    /// The WHERE clause of a query: only the filters it uses, so each statement's plan (a prepared
    /// statement's generic plan included) can use the index of its filter instead of one plan that
    /// must also serve "no filter".
    /// </summary>
    private static string Filter(AuditQuery query, MunicipalityScope scope)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(query.Subject))
        {
            parts.Add("actor_subject = @Subject");
        }

        if (query.Target is not null)
        {
            parts.Add("target = @Target");
        }

        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            parts.Add("action = @Action");
        }

        if (query.Outcome is not null)
        {
            parts.Add("outcome = @Outcome");
        }

        if (query.From is not null)
        {
            parts.Add("at >= @From");
        }

        if (query.Through is not null)
        {
            parts.Add("at < @Until");
        }

        if (scope.Codes is not null)
        {
            parts.Add("(municipality IS NULL OR municipality = ANY(@Codes))");
        }

        return parts.Count == 0 ? "true" : string.Join(" AND ", parts);
    }

    private const string Columns = """
        id, at, actor_subject AS ActorSubject, actor_name AS ActorName, channel, action, target, municipality, outcome,
        before::text AS Before, after::text AS After, detail
        """;

    /// <summary>
    /// One page of at most <paramref name="size"/> records: the newest when no key is given, those
    /// older than <paramref name="olderThan"/>, or those just newer than <paramref name="newerThan"/>.
    /// </summary>
    public async Task<AuditPage> Page(AuditQuery query, MunicipalityScope scope, long? olderThan, long? newerThan, int size, CancellationToken ct = default)
    {
        size = Math.Clamp(size, 1, MaxPageSize);
        var parameters = Parameters(query, scope);
        parameters.Add("Key", olderThan ?? newerThan);
        parameters.Add("Limit", size + 1);
        var forward = newerThan is not null && olderThan is null;
        var filter = Filter(query, scope);
        var sql = forward
            ? $"SELECT {Columns} FROM audit_log WHERE {filter} AND id > @Key ORDER BY id LIMIT @Limit"
            : olderThan is null
                ? $"SELECT {Columns} FROM audit_log WHERE {filter} ORDER BY id DESC LIMIT @Limit"
                : $"SELECT {Columns} FROM audit_log WHERE {filter} AND id < @Key ORDER BY id DESC LIMIT @Limit";
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<AuditRecord>(new CommandDefinition(sql, parameters, cancellationToken: ct))).ToList();
        var more = rows.Count > size;
        var records = rows.Take(size).ToList();
        if (forward)
        {
            records.Reverse();
        }

        // Going back (forward in ids), "more" means newer pages remain; older ones always do, since we came from there.
        var older = records.Count == 0 ? null : forward || more ? records[^1].Id : (long?)null;
        var newer = records.Count == 0 ? null : (forward ? more : (olderThan is not null)) ? records[0].Id : (long?)null;
        return new AuditPage(records, older, newer);
    }

    /// <summary>The people who have acted, by name, for the person filter.</summary>
    public async Task<IReadOnlyList<AuditPerson>> People(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<AuditPerson>(new CommandDefinition(
            "SELECT subject, display_name AS DisplayName FROM people ORDER BY display_name, subject", cancellationToken: ct))).ToList();
    }

    public sealed record AuditExport(string File, long Records);

    /// <summary>
    /// Use case: every record the query finds (within <paramref name="scope"/>), oldest first, as a
    /// CSV for an external auditor, with each record's place in the hash chain so the file can be
    /// checked against <c>ontzorging audit verify</c>. Times are Europe/Amsterdam with their offset;
    /// free text is neutralised for spreadsheets. The file holds personal data, so the export is
    /// recorded, and the file is put in place only together with its record.
    /// </summary>
    public Task<Result<AuditExport>> Export(Actor actor, AuditQuery query, MunicipalityScope scope, string path, CancellationToken ct = default) =>
        door.Run(actor, AuditActions.AuditExport, "audit_log", async (write, token) =>
        {
            var temporary = path + ".partial";
            var moved = false;
            write.OnFailure(() => File.Delete(moved ? path : temporary));
            var records = 0L;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await using (var stream = OwnerOnlyFile.Create(temporary))
            await using (var csv = CsvWriter.Create(stream, CsvWriterOptions.Default with
                         {
                             NewLine = "\n", Injection = CsvInjection.Escape, InjectionCharacters = CsvFiles.FormulaStartsWithMinus,
                         }))
            {
                csv.WriteHeader(["id", "at", "actor_subject", "actor_name", "channel", "action", "target", "municipality", "outcome", "detail", "before", "after", "previous_id", "hash"]);
                var rows = write.Connection.QueryUnbufferedAsync<ExportRow>(
                    $"SELECT {Columns}, previous_id AS PreviousId, encode(hash, 'hex') AS Hash FROM audit_log WHERE {Filter(query, scope)} ORDER BY id",
                    Parameters(query, scope), write.Transaction);
                await foreach (var r in rows.WithCancellation(token))
                {
                    string[] cells =
                    [
                        r.Id.ToString(CultureInfo.InvariantCulture), Moment.Format(r.At.InZone(MunicipalTime.Zone)), r.ActorSubject, r.ActorName, r.Channel, r.Action,
                        r.Target ?? "", r.Municipality ?? "", r.Outcome, r.Detail ?? "", r.Before ?? "", r.After ?? "",
                        r.PreviousId?.ToString(CultureInfo.InvariantCulture) ?? "", r.Hash ?? "",
                    ];
                    await csv.WriteRecordAsync(cells, token);
                    records++;
                }

                await csv.FlushAsync(token);
            }

            write.After = new
            {
                File = Path.GetFileName(path), Records = records,
                Filter = new { query.Subject, query.Household, query.Action, Outcome = query.Outcome?.ToString().ToLowerInvariant(), query.From, query.Through },
            };
            write.BeforeCommit(() =>
            {
                File.Move(temporary, path, overwrite: true);
                moved = true;
                return Task.CompletedTask;
            });
            return new AuditExport(path, records);
        }, ct);

    private static readonly ZonedDateTimePattern Moment = ZonedDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'sso<G>", null);

    private static DynamicParameters Parameters(AuditQuery query, MunicipalityScope scope)
    {
        var parameters = new DynamicParameters();
        parameters.Add("Subject", Blank(query.Subject));
        parameters.Add("Target", query.Target);
        parameters.Add("Action", Blank(query.Action));
        parameters.Add("Outcome", query.Outcome?.ToString().ToLowerInvariant());
        parameters.Add("From", query.FromInstant);
        parameters.Add("Until", query.UntilInstant);
        parameters.Add("Codes", scope.Codes?.ToArray() ?? []);
        return parameters;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private sealed class ExportRow
    {
        public long Id { get; set; }

        public Instant At { get; set; }

        public string ActorSubject { get; set; } = "";

        public string ActorName { get; set; } = "";

        public string Channel { get; set; } = "";

        public string Action { get; set; } = "";

        public string? Target { get; set; }

        public string? Municipality { get; set; }

        public string Outcome { get; set; } = "";

        public string? Before { get; set; }

        public string? After { get; set; }

        public string? Detail { get; set; }

        public long? PreviousId { get; set; }

        public string? Hash { get; set; }
    }
}
