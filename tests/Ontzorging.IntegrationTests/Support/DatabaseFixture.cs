using Microsoft.Extensions.Configuration;
using Npgsql;
using Ontzorging.Infrastructure.Database;

namespace Ontzorging.IntegrationTests.Support;

/// <summary>
/// Base for fixtures that talk to PostgreSQL: each fixture gets its own migrated database, copied
/// from the run's template and dropped when the fixture ends.
/// </summary>
public abstract class DatabaseFixture
{
    protected string DatabaseName { get; private set; } = "";

    protected string ConnectionString { get; private set; } = "";

    protected NpgsqlDataSource DataSource { get; private set; } = null!;

    [OneTimeSetUp]
    public void CreateDatabase()
    {
        DatabaseName = TestServer.CreateDatabase();
        ConnectionString = TestServer.ConnectionStringFor(DatabaseName);
        DataSource = DataSourceFactory.Create(ConnectionString);
    }

    [OneTimeTearDown]
    public async Task DropDatabase()
    {
        await DataSource.DisposeAsync();
        TestServer.DropDatabase(DatabaseName);
    }

    /// <summary>Configuration as appsettings.json would give it, pointed at this fixture's database.</summary>
    protected IConfiguration Configuration(params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string?>
        {
            ["Ontzorging:Database:ConnectionString"] = ConnectionString,
            ["Ontzorging:Database:OwnerConnectionString"] = TestServer.OwnerConnectionStringFor(DatabaseName),
        };
        foreach (var (key, value) in extra)
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    protected async Task<T> Scalar<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
