using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ontzorging.Cli;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Audit;

/// <summary>
/// The audit log is a hash chain (issue 21): what the schema's owner (or a superuser) alters,
/// removes or slips in past the database's guards is found by <c>ontzorging audit verify</c>.
/// </summary>
public sealed class AuditChainTests
{
    private ScratchDatabase db = null!;

    [SetUp]
    public async Task RecordSomeWrites()
    {
        db = ScratchDatabase.Create();
        await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "anna");
        for (var score = 1; score <= 3; score++)
        {
            await CliRunner.RunAs("carla", db.Configuration, "household", "decide", "HH-0001", "zrm", "--score", score.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [TearDown]
    public async Task Drop() => await db.DisposeAsync();

    [Test]
    public async Task A_chain_of_genuine_records_verifies_and_names_its_head()
    {
        var result = await CliRunner.Run(db.Configuration, "audit", "verify");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.Out + result.Error);
        result.Out.Should().Contain("Audit log intact").And.Contain("hash ");
        (await db.Scalar<long>("SELECT count(*) FROM audit_log WHERE hash IS NULL")).Should().Be(0);
    }

    [TestCase("UPDATE audit_log SET actor_subject = 'os:mallory' WHERE id = (SELECT min(id) + 1 FROM audit_log)", "altered", TestName = "A record altered by the schema's owner breaks the chain")]
    [TestCase("DELETE FROM audit_log WHERE id = (SELECT min(id) + 1 FROM audit_log)", "missing", TestName = "A record removed by the schema's owner breaks the chain")]
    [TestCase("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)", "missing", TestName = "The last record removed by the schema's owner breaks the chain")]
    [TestCase("""
        INSERT INTO audit_log (at, actor_subject, actor_name, channel, action, target, outcome, previous_id, hash)
        SELECT '2020-01-01', 'oidc:bob', 'Bob Visser', 'web', 'batch.approve', 'batch 1', 'done', previous_id, hash FROM audit_log ORDER BY id LIMIT 1
        """, "same record", TestName = "A record slipped in by the schema's owner breaks the chain")]
    public async Task Tampering_past_the_guards_is_found(string tampering, string problem)
    {
        await using (var owner = new NpgsqlConnection(TestServer.OwnerConnectionStringFor(db.Name)))
        {
            await owner.OpenAsync();
            // Past every guard of its own: the append-only trigger and the chain's insert trigger.
            await using var command = new NpgsqlCommand($"ALTER TABLE audit_log DISABLE TRIGGER USER; {tampering}; ALTER TABLE audit_log ENABLE TRIGGER USER;", owner);
            await command.ExecuteNonQueryAsync();
        }

        var verification = await db.Services.GetRequiredService<AuditLog>().Verify();
        var result = await CliRunner.Run(db.Configuration, "audit", "verify");

        verification.Intact.Should().BeFalse();
        verification.FirstBreak!.Problem.Should().Contain(problem);
        result.ExitCode.Should().Be(ExitCodes.Failed);
        result.Out.Should().Contain("Audit log broken at record");
    }
}
