using Npgsql;
using Ontzorging.Infrastructure.Database;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Database;

public sealed class MigrationTests
{
    private string database = "";
    private DatabaseMigrator migrator = null!;

    [SetUp]
    public void CreateEmptyDatabase()
    {
        database = TestServer.CreateEmptyDatabase();
        migrator = new DatabaseMigrator(TestServer.OwnerConnectionStringFor(database));
    }

    [TearDown]
    public void DropDatabase() => TestServer.DropDatabase(database);

    [Test]
    public async Task Migrating_an_empty_database_applies_every_script_in_name_order()
    {
        var applied = migrator.Migrate();

        applied.Should().Equal(DatabaseMigrator.AllScripts().Select(s => s.Name));
        applied.Should().BeInAscendingOrder(StringComparer.Ordinal);
        applied[0].Should().Be(DatabaseMigrator.QuartzScriptName);
        (await Tables()).Should().Contain(["qrtz_job_details", "qrtz_triggers", "qrtz_locks", "qrtz_scheduler_state", "job_runs", "heartbeats", DatabaseMigrator.JournalTable]);
    }

    [Test]
    public void Migrating_a_migrated_database_applies_nothing()
    {
        migrator.Migrate();

        migrator.Migrate().Should().BeEmpty();
    }

    [Test]
    public void Status_lists_every_script_as_pending_before_and_applied_after_migration()
    {
        var all = DatabaseMigrator.AllScripts().Select(s => s.Name).ToList();

        var before = migrator.Status();
        migrator.Migrate();
        var after = migrator.Status();

        before.Applied.Should().BeEmpty();
        before.Pending.Should().Equal(all);
        after.Applied.Should().Equal(all);
        after.Pending.Should().BeEmpty();
    }

    [Test]
    public void Migration_scripts_are_numbered_uniquely_with_four_digits()
    {
        DatabaseMigrator.AllScripts().Select(s => s.Name)
            .Should().OnlyContain(name => System.Text.RegularExpressions.Regex.IsMatch(name, @"^\d{4}_[a-z0-9_]+\.sql$"));
    }

    private async Task<List<string>> Tables()
    {
        await using var connection = new NpgsqlConnection(TestServer.OwnerConnectionStringFor(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
