using Npgsql;
using NpgsqlTypes;

namespace Ontzorging.Infrastructure.Database;

/// <summary>
/// Bulk writes with PostgreSQL's binary COPY: the rows stream to the server in the current
/// transaction without being gathered into statement parameters first. Rows are written with the
/// synchronous column writers: they only copy into Npgsql's buffer (which flushes when full), and
/// an awaited call per column cost more client time than the server took to store the row.
/// </summary>
public static class BinaryCopy
{
    public static async Task<ulong> Write<T>(NpgsqlConnection connection, string copyCommand, IEnumerable<T> rows, Action<NpgsqlBinaryImporter, T> writeRow, CancellationToken ct)
    {
        await using var importer = await connection.BeginBinaryImportAsync(copyCommand, ct);
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            importer.StartRow();
            writeRow(importer, row);
        }

        return await importer.CompleteAsync(ct);
    }

    public static void WriteNullable<T>(this NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v)
        {
            importer.Write(v, type);
        }
        else
        {
            importer.WriteNull();
        }
    }

    public static void WriteNullable(this NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type)
    {
        if (value is not null)
        {
            importer.Write(value, type);
        }
        else
        {
            importer.WriteNull();
        }
    }
}
