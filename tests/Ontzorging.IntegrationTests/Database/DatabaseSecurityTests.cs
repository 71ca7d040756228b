using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ontzorging.Cli;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Database;

/// <summary>
/// The database lets no one in who should not be (issue 14): the engine runs as an application role
/// without DDL, the batch's approval is kept by the database, and the local cluster asks every role
/// for its password.
/// </summary>
public sealed class DatabaseSecurityTests
{
    private static bool LocalCluster => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("ONTZORGING_TEST_CONNECTION"));

    [Test]
    public async Task The_application_role_cannot_change_the_schema()
    {
        if (!LocalCluster)
        {
            Assert.Ignore("ONTZORGING_TEST_CONNECTION names one role for everything");
        }

        await using var db = ScratchDatabase.Create();
        await using var connection = new NpgsqlConnection(db.ConnectionString);

        var create = () => connection.ExecuteAsync("CREATE TABLE sneaky (id int)");
        var drop = () => connection.ExecuteAsync("ALTER TABLE batches DROP CONSTRAINT ck_batches_four_eyes");
        var truncate = () => connection.ExecuteAsync("TRUNCATE journal_lines");

        (await create.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
        (await drop.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
        (await truncate.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
    }

    [Test]
    public async Task A_batch_is_approved_only_together_with_its_approval_record_and_never_by_its_preparer()
    {
        await using var db = ScratchDatabase.Create();
        await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
        var batch = await db.Services.GetRequiredService<BatchPreparer>().Prepare(new NodaTime.YearMonth(2026, 4), new NodaTime.LocalDate(2026, 3, 24), "anna");
        await using var connection = new NpgsqlConnection(db.ConnectionString);

        var bare = () => connection.ExecuteAsync("UPDATE batches SET status = 'approved', approved_by = 'bob', approved_at = now() WHERE id = @Id", new { batch.Id });
        var byPreparer = () => connection.ExecuteAsync("INSERT INTO batch_approvals (batch_id, approved_by, approved_at) VALUES (@Id, 'os:anna', now())", new { batch.Id });
        var exportDraft = () => connection.ExecuteAsync("UPDATE batches SET status = 'exported', exported_at = now() WHERE id = @Id", new { batch.Id });

        (await bare.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("no approval record by bob");
        (await byPreparer.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("cannot approve it (four eyes)");
        (await exportDraft.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("must be approved before");

        var approve = await CliRunner.RunAs("bob", db.Configuration, "batch", "approve", batch.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        approve.ExitCode.Should().Be(ExitCodes.Ok, approve.Error);
        var undo = () => connection.ExecuteAsync("DELETE FROM batch_approvals WHERE batch_id = @Id", new { batch.Id });
        (await undo.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("never changed or taken back");
    }

    [Test]
    public async Task The_local_cluster_refuses_a_role_without_its_password_and_logs_no_row_values()
    {
        if (!LocalCluster)
        {
            Assert.Ignore("only the local cluster of scripts/pg.sh is configured here");
        }

        var withoutPassword = new NpgsqlConnectionStringBuilder(TestServer.ApplicationConnectionString) { Passfile = null, Password = null, Database = "postgres" };
        await using var connection = new NpgsqlConnection(withoutPassword.ConnectionString);
        var open = () => connection.OpenAsync();

        (await open.Should().ThrowAsync<NpgsqlException>()).Which.Message.Should().Contain("password");
        await using var app = new NpgsqlConnection(TestServer.ApplicationConnectionString);
        (await app.ExecuteScalarAsync<string>("SHOW log_error_verbosity")).Should().Be("terse");
        (await app.ExecuteScalarAsync<bool>("SELECT rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles WHERE rolname = current_user")).Should().BeFalse();
    }
}
