using Dapper;
using Ontzorging.Infrastructure.Database;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Database;

public sealed class DataSourceTests
{
    [TestCase("", "off")]
    [TestCase(";Options=-c jit=on", "on")]
    public async Task Queries_are_not_jit_compiled_unless_the_connection_string_asks_for_it(string extra, string expected)
    {
        await using var dataSource = DataSourceFactory.Create(TestServer.ConnectionStringFor("postgres") + extra);
        await using var connection = await dataSource.OpenConnectionAsync();

        (await connection.ExecuteScalarAsync<string>("SHOW jit")).Should().Be(expected);
    }
}
