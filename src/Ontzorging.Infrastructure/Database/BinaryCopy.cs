using Npgsql;
using NpgsqlTypes;

namespace Ontzorging.Infrastructure.Database;

/// <summary>
/// Bulk writes with PostgreSQL's binary COPY: the rows stream to the server in the current
/// transaction without being gathered into statement parameters first.
/// </summary>
public static class BinaryCopy
{
    public static async Task<ulong> Write<T>(NpgsqlConnection connection, string copyCommand, IEnumerable<T> rows, Func<NpgsqlBinaryImporter, T, CancellationToken, Task> writeRow, CancellationToken ct)
    {
        await using var importer = await connection.BeginBinaryImportAsync(copyCommand, ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            await writeRow(importer, row, ct);
        }

        return await importer.CompleteAsync(ct);
    }

    public static Task WriteNullable<T>(this NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken ct)
        where T : struct =>
        value is { } v ? importer.WriteAsync(v, type, ct) : importer.WriteNullAsync(ct);

    public static Task WriteNullable(this NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type, CancellationToken ct) =>
        value is not null ? importer.WriteAsync(value, type, ct) : importer.WriteNullAsync(ct);
}
