using Npgsql;

namespace Ontzorging.Infrastructure.Benchmarks;

/// <summary>What a benchmark does to its own scratch database as its owner, before it measures.</summary>
public static class ScratchDatabaseChores
{
    /// <summary>Fresh statistics, as a database in use has them (the application role may not vacuum).</summary>
    public static Task VacuumAnalyze(string ownerConnectionString, CancellationToken ct) => Run(ownerConnectionString, "VACUUM (ANALYZE)", ct);

    /// <summary>Every statement language in turn, so a run prints right-to-left and Ge'ez blocks too.</summary>
    public static Task SpreadStatementLanguages(string ownerConnectionString, CancellationToken ct) =>
        Run(ownerConnectionString, "UPDATE households SET language = (ARRAY['nl','en','ar','ti','fa','tr','so'])[1 + id % 7]", ct);

    private static async Task Run(string ownerConnectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
