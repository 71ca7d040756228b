using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ontzorging.Infrastructure.Database;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Database;

/// <summary>The second connection that batch preparation and export read on (issue 4's speed work).</summary>
public sealed class SharedSnapshotTests
{
    private ScratchDatabase db = null!;

    private NpgsqlDataSource DataSource => db.Services.GetRequiredService<NpgsqlDataSource>();

    [SetUp]
    public void CreateDatabase() => db = ScratchDatabase.Create();

    [TearDown]
    public async Task Drop() => await db.DisposeAsync();

    [Test]
    public async Task A_second_connection_sees_what_the_transaction_saw_and_not_what_others_committed_since()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var before = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM batches", transaction: transaction);
        var snapshot = await SharedSnapshot.Export(connection, transaction, CancellationToken.None);
        await using (var other = await DataSource.OpenConnectionAsync())
        {
            await other.ExecuteAsync("INSERT INTO batches (month, preparation_day, prepared_by, prepared_at) VALUES ('2031-01-01', '2030-12-24', 'anna', now())");
        }

        await using var reading = await SharedSnapshot.Import(DataSource, snapshot, CancellationToken.None);

        (await reading.Connection.ExecuteScalarAsync<long>("SELECT count(*) FROM batches", transaction: reading.Transaction)).Should().Be(before);
    }

    [Test]
    public async Task The_second_connection_cannot_write()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var snapshot = await SharedSnapshot.Export(connection, transaction, CancellationToken.None);
        await using var reading = await SharedSnapshot.Import(DataSource, snapshot, CancellationToken.None);

        var act = () => reading.Connection.ExecuteAsync("INSERT INTO batches (month, preparation_day, prepared_by, prepared_at) VALUES ('2031-02-01', '2031-01-24', 'anna', now())",
            transaction: reading.Transaction);

        (await act.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be("25006");
    }

    [Test]
    public async Task Only_a_snapshot_id_is_spliced_into_the_statement()
    {
        var act = () => SharedSnapshot.Import(DataSource, "00000003-0000001B-1'; DROP TABLE batches; --", CancellationToken.None);

        await act.Should().ThrowAsync<ArgumentException>();
    }
}
