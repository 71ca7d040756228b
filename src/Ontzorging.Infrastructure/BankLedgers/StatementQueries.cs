using Dapper;
using NodaTime;
using Npgsql;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>One statement imported: its file, format, when and by whom (their name as last known), how many lines it had and added.</summary>
public sealed record BankImportRow(long Id, string FileName, string Format, string ImportedBy, string? ImportedByName, Instant ImportedAt, int LinesRead, int LinesAdded);

/// <summary>What the site shows of the bank statements imported so far (the page <c>/bankafschriften</c>).</summary>
public sealed class StatementQueries(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        SELECT i.id, i.file_name AS FileName, i.format, i.imported_by AS ImportedBy, p.display_name AS ImportedByName, i.imported_at AS ImportedAt,
               i.lines_read AS LinesRead, i.lines_added AS LinesAdded
          FROM bank_imports i LEFT JOIN people p ON p.subject = i.imported_by
        """;

    private const string Recent = Columns + " ORDER BY i.imported_at DESC, i.id DESC LIMIT @Limit";

    private const string SameFile = Columns + " WHERE i.sha256 = @Sha256 ORDER BY i.imported_at, i.id LIMIT 1";

    /// <summary>The latest imports, newest first.</summary>
    public async Task<IReadOnlyList<BankImportRow>> Imports(int limit, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<BankImportRow>(new CommandDefinition(Recent, new { Limit = limit }, cancellationToken: ct))).ToList();
    }

    /// <summary>The first import of a file with these bytes (its SHA-256, lower-case hex), if it was imported before.</summary>
    public async Task<BankImportRow?> FirstImportOf(string sha256, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<BankImportRow>(new CommandDefinition(SameFile, new { Sha256 = sha256 }, cancellationToken: ct));
    }
}
