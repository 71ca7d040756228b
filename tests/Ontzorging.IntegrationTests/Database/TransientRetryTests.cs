using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Resilience;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Database;

/// <summary>
/// A database that restarts in the middle of a unit that is safe to repeat (issue 15): the unit is
/// tried again from the start and ends with exactly one outcome; other failures are not retried.
/// </summary>
public sealed class TransientRetryTests
{
    [Test]
    public async Task A_preparation_whose_backend_is_terminated_midway_is_prepared_again_and_makes_exactly_one_batch()
    {
        await using var db = ScratchDatabase.Create();
        await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");

        // Another session holds the preparation lock, so the preparation is caught waiting inside its
        // transaction, where the test can end its backend as a server restart would.
        await using var holder = new NpgsqlConnection(TestServer.OwnerConnectionStringFor(db.Name));
        await holder.OpenAsync();
        await holder.ExecuteAsync("SELECT pg_advisory_lock(hashtext('ontzorging:batch'))");
        var preparing = db.Services.GetRequiredService<BatchPreparer>().Prepare(new NodaTime.YearMonth(2026, 4), new NodaTime.LocalDate(2026, 3, 24), "anna");

        var terminated = false;
        for (var i = 0; i < 100 && !terminated; i++)
        {
            await Task.Delay(100);
            terminated = await holder.ExecuteScalarAsync<bool>("""
                SELECT coalesce(bool_or(pg_terminate_backend(pid)), false) FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND query LIKE '%ontzorging:batch%'
                """);
        }

        await holder.ExecuteAsync("SELECT pg_advisory_unlock(hashtext('ontzorging:batch'))");
        var batch = await preparing;

        terminated.Should().BeTrue("the waiting preparation's backend was found and terminated");
        batch.Created.Should().BeTrue();
        (await db.Scalar<long>("SELECT count(*) FROM batches")).Should().Be(1);
        (await db.Scalar<long>("SELECT count(DISTINCT end_to_end_id) FROM payments")).Should().Be(await db.Scalar<long>("SELECT count(*) FROM payments"));
    }

    [TestCase(PostgresErrorCodes.AdminShutdown, true, TestName = "A terminated backend is transient")]
    [TestCase(PostgresErrorCodes.SerializationFailure, true, TestName = "A serialization failure is transient")]
    [TestCase(PostgresErrorCodes.DeadlockDetected, true, TestName = "A deadlock is transient")]
    [TestCase(PostgresErrorCodes.CheckViolation, false, TestName = "A refused value is not transient")]
    [TestCase(PostgresErrorCodes.UndefinedTable, false, TestName = "A missing table is not transient")]
    public void Only_failures_that_a_second_try_can_cure_are_retried(string sqlState, bool transient) =>
        TransientRetry.IsTransient(new PostgresException("message", "ERROR", "ERROR", sqlState)).Should().Be(transient);

    [Test]
    public async Task A_failure_that_is_not_transient_is_not_tried_again()
    {
        var attempts = 0;
        var act = () => TransientRetry.Run<int>(_ =>
        {
            attempts++;
            throw new PostgresException("refused", "ERROR", "ERROR", PostgresErrorCodes.CheckViolation);
        }, null, CancellationToken.None);

        await act.Should().ThrowAsync<PostgresException>();
        attempts.Should().Be(1);
    }
}
