using Npgsql;

namespace Ontzorging.Infrastructure.Database;

/// <summary>Builds the one <see cref="NpgsqlDataSource"/> every component shares.</summary>
public static class DataSourceFactory
{
    public static NpgsqlDataSource Create(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NodaTimeTypeHandlers.Register();
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNodaTime();
        builder.ConnectionStringBuilder.ApplicationName ??= "ontzorging";

        // No JIT compilation of queries, unless the connection string asks for it: our statements
        // are short lookups and bulk writes over indexes, and compiling one to machine code took
        // about 0.3 s each time — more than most of them run (matching a bank statement was
        // mostly compile time). Options the connection string already gives are kept.
        var options = builder.ConnectionStringBuilder.Options ?? "";
        if (!options.Contains("jit", StringComparison.OrdinalIgnoreCase))
        {
            builder.ConnectionStringBuilder.Options = (options + " -c jit=off").Trim();
        }

        return builder.Build();
    }
}
