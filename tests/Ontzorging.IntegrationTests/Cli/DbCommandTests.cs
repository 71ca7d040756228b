using Ontzorging.Cli;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Cli;

public sealed class DbCommandTests : DatabaseFixture
{
    [Test]
    public async Task Db_migrate_on_a_migrated_database_changes_nothing_and_says_so()
    {
        var result = await CliRunner.Run(Configuration(), "db", "migrate");

        result.ExitCode.Should().Be(ExitCodes.Ok);
        result.Out.Should().Contain("nothing to apply");
    }

    [Test]
    public async Task Db_status_lists_every_migration_as_applied()
    {
        var result = await CliRunner.Run(Configuration(), "db", "status");

        result.ExitCode.Should().Be(ExitCodes.Ok);
        result.Out.Should().Contain("0001_quartz_job_store.sql").And.Contain("0002_job_runs.sql").And.Contain(" 0 pending");
    }

    [Test]
    public async Task Help_lists_each_command_group_with_an_example()
    {
        var result = await CliRunner.Run(Configuration(), "--help");

        result.ExitCode.Should().Be(ExitCodes.Ok);
        result.Out.Should().Contain("db").And.Contain("Example: ontzorging db migrate");
    }

    [TestCase("frobnicate", TestName = "An unknown command exits with code 2")]
    [TestCase("db", TestName = "A command group without its command exits with code 2")]
    public async Task Bad_usage_exits_with_code_2(string command)
    {
        var result = await CliRunner.Run(Configuration(), command);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("error:");
    }

    [Test]
    public async Task An_unreachable_database_exits_with_code_1_and_says_how_to_start_it()
    {
        const string nowhere = "Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=2";
        var configuration = Configuration(("Ontzorging:Database:ConnectionString", nowhere), ("Ontzorging:Database:OwnerConnectionString", nowhere));

        var result = await CliRunner.Run(configuration, "db", "status");

        result.ExitCode.Should().Be(ExitCodes.Failed);
        result.Error.Should().Contain("cannot reach the database");
    }
}
