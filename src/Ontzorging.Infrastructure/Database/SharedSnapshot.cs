using System.Data;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace Ontzorging.Infrastructure.Database;

/// <summary>
/// A second, read-only connection that sees exactly what a running transaction saw (PostgreSQL's
/// exported snapshots). It lets a bulk step read on one connection while the transaction writes on
/// the other, so the client and the server work at the same time instead of taking turns.
/// </summary>
public sealed partial class SharedSnapshot : IAsyncDisposable
{
    private SharedSnapshot(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    /// <summary>Exports the snapshot of <paramref name="transaction"/>; it stays importable while that transaction is open.</summary>
    public static async Task<string> Export(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT pg_export_snapshot()", transaction: transaction, cancellationToken: ct))
            ?? throw new InvalidOperationException("pg_export_snapshot() returned nothing");

    /// <summary>Opens a connection whose (repeatable read, read-only) transaction sees <paramref name="snapshot"/>.</summary>
    public static async Task<SharedSnapshot> Import(NpgsqlDataSource dataSource, string snapshot, CancellationToken ct)
    {
        // SET TRANSACTION SNAPSHOT takes no parameters; the id is checked before it is spliced in.
        if (!SnapshotId().IsMatch(snapshot))
        {
            throw new ArgumentException($"'{snapshot}' is not a PostgreSQL snapshot id", nameof(snapshot));
        }

        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            await connection.ExecuteAsync(new CommandDefinition($"SET TRANSACTION SNAPSHOT '{snapshot}'; SET TRANSACTION READ ONLY", transaction: transaction, cancellationToken: ct));
            return new SharedSnapshot(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }

    [GeneratedRegex("^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$")]
    private static partial Regex SnapshotId();
}
