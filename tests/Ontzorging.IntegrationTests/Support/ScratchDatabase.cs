using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Infrastructure;

namespace Ontzorging.IntegrationTests.Support;

/// <summary>A migrated database for one test, with the engine's services wired to it; dropped on dispose.</summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private ScratchDatabase(string name, IClock? clock)
    {
        Name = name;
        ConnectionString = TestServer.ConnectionStringFor(name);
        Configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ontzorging:Database:ConnectionString"] = ConnectionString,
                ["Ontzorging:Database:OwnerConnectionString"] = TestServer.OwnerConnectionStringFor(name),
            })
            .Build();
        Services = new ServiceCollection().AddLogging().AddOntzorging(Configuration, clock).BuildServiceProvider();
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>The schema owner's connection: what a person who runs migrations could do (triggers still apply).</summary>
    public string OwnerConnectionString => TestServer.OwnerConnectionStringFor(Name);

    public IConfiguration Configuration { get; }

    public ServiceProvider Services { get; }

    public static ScratchDatabase Create(IClock? clock = null) => new(TestServer.CreateDatabase(), clock);

    /// <summary>A copy of <paramref name="source"/> as it stands, with services of its own (the source's connections are closed first).</summary>
    public static ScratchDatabase CopyOf(ScratchDatabase source, IClock? clock = null) => new(TestServer.CopyDatabase(source.Name), clock);

    /// <summary>Runs one statement as the application role, as a person with its credentials could.</summary>
    public async Task Execute(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await Dapper.SqlMapper.ExecuteAsync(connection, sql);
    }

    /// <summary>
    /// Runs one statement as the schema owner: what a test needs that the application may not do
    /// (moving a session's clock, say, or data from before the intake refused it).
    /// </summary>
    public async Task ExecuteAsOwner(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(OwnerConnectionString);
        await Dapper.SqlMapper.ExecuteAsync(connection, sql);
    }

    public async Task<T> Scalar<T>(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        return (await Dapper.SqlMapper.ExecuteScalarAsync<T>(connection, sql))!;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        TestServer.DropDatabase(Name);
    }
}
