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
        return builder.Build();
    }
}
