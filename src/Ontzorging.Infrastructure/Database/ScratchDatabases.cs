using System.Globalization;
using NodaTime;
using Npgsql;

namespace Ontzorging.Infrastructure.Database;

/// <summary>
/// Fresh databases on the configured server, for a simulation that must not touch real data:
/// created, migrated, and dropped again unless the caller keeps them.
/// </summary>
public static class ScratchDatabases
{
    /// <param name="applicationRole">The role the CLI and the site run as, granted what it is granted in the real database, so a kept database can be read by them.</param>
    public static async Task<string> CreateMigrated(string serverConnectionString, string prefix, Instant now, CancellationToken ct, string? applicationRole = null)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}_{now.ToUnixTimeMilliseconds()}");
        await Execute(serverConnectionString, $"CREATE DATABASE \"{name}\"", ct);
        var connectionString = For(serverConnectionString, name);
        new DatabaseMigrator(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString, applicationRole: applicationRole).Migrate();
        return connectionString;
    }

    public static async Task Drop(string connectionString, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        NpgsqlConnection.ClearAllPools();
        await Execute(connectionString, $"DROP DATABASE IF EXISTS \"{builder.Database}\" WITH (FORCE)", ct);
    }

    public static string For(string serverConnectionString, string database) =>
        new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = database }.ConnectionString;

    // The names are generated above, never taken from input, so the identifier in the DDL is safe.
    private static async Task Execute(string connectionString, string ddl, CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(ddl, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
