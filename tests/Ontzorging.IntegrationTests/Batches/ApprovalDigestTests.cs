using System.Globalization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ontzorging.Cli;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Sepa;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Batches;

/// <summary>
/// An export writes what the second officer approved (issue 21, docs/rules.md §14): the approval
/// keeps the digest of the batch's payments, and rows changed afterwards past every guard (by the
/// schema's owner with the triggers off, or a superuser) are refused at export, with nothing written.
/// A draft cannot be changed after its preparation either: cancel it and prepare it again.
/// </summary>
public sealed class ApprovalDigestTests
{
    private const string Mallory = "NL91ABNA0417164300";

    private const string SlipInMallory = $"""
        INSERT INTO payments (batch_id, household_id, end_to_end_id, obligation, attempt, kind, payee_name, payee_iban, amount, execution_date)
        SELECT batch_id, household_id, 'MALLORY-1', 'LG2604', 9, 'leefgeld', 'Mallory', '{Mallory}', 250.00, execution_date
          FROM payments WHERE batch_id = BATCH ORDER BY id LIMIT 1
        """;

    private ScratchDatabase db = null!;
    private string folder = "";
    private PreparedBatch batch = null!;

    private BatchLifecycle Lifecycle => db.Services.GetRequiredService<BatchLifecycle>();

    private string Id => batch.Id.ToString(CultureInfo.InvariantCulture);

    private string File => Path.Combine(folder, "april.xml");

    [SetUp]
    public async Task PrepareApril()
    {
        db = ScratchDatabase.Create();
        folder = Directory.CreateTempSubdirectory("ontzorging-digest-").FullName;
        await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
        batch = await db.Services.GetRequiredService<BatchPreparer>().Prepare(new NodaTime.YearMonth(2026, 4), new NodaTime.LocalDate(2026, 3, 24), "anna");
    }

    [TearDown]
    public async Task Drop()
    {
        await db.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Test]
    public async Task The_approval_keeps_the_digest_of_the_rows_and_an_untouched_batch_exports_as_before()
    {
        await Lifecycle.Approve(batch.Id, "bob");

        var approved = await Digest("SELECT payment_count AS Count, control_sum AS Sum, payments_sha256 AS Sha256 FROM batch_approvals WHERE batch_id = @Id");
        approved.Should().Be(await RowsDigest()).And.Be(await Digest("SELECT payment_count AS Count, control_sum AS Sum, payments_sha256 AS Sha256 FROM batches WHERE id = @Id"));
        approved.Count.Should().Be(batch.Payments);
        (await db.Scalar<string>($"SELECT after->>'payments_sha256' FROM audit_log WHERE action = 'batch.approve' AND target = 'batch {Id}'")).Should().Be(approved.Sha256);

        var export = await CliRunner.RunAs("bob", db.Configuration, "batch", "export", Id, "--out", File);

        export.ExitCode.Should().Be(ExitCodes.Ok, export.Error);
        export.Out.Should().Contain($"{approved.Count} payment(s), control sum {approved.ControlSum}");
        Pain001Schemas.Validate(File, Pain001Version.V09).Should().BeEmpty();
    }

    [TestCase($"UPDATE payments SET payee_iban = '{Mallory}', payee_name = 'Mallory' WHERE id IN (SELECT id FROM payments WHERE batch_id = BATCH ORDER BY id LIMIT 4)",
        TestName = "Four payments sent to Mallory after approval are refused at export")]
    [TestCase("UPDATE payments SET amount = amount + 100 WHERE id = (SELECT min(id) FROM payments WHERE batch_id = BATCH)",
        TestName = "An amount raised after approval is refused at export")]
    [TestCase("UPDATE payments SET execution_date = execution_date - 1 WHERE id = (SELECT min(id) FROM payments WHERE batch_id = BATCH)",
        TestName = "An execution date moved after approval is refused at export")]
    [TestCase("UPDATE payments SET reference = NULL WHERE id = (SELECT min(id) FROM payments WHERE batch_id = BATCH AND reference IS NOT NULL)",
        TestName = "A reference dropped after approval is refused at export")]
    [TestCase("UPDATE payments SET status = 'cancelled' WHERE id = (SELECT min(id) FROM payments WHERE batch_id = BATCH)",
        TestName = "A payment taken out after approval is refused at export")]
    [TestCase(SlipInMallory, TestName = "A payment slipped in after approval is refused at export")]
    public async Task Rows_changed_by_the_schema_owner_past_the_triggers_after_approval_are_refused_at_export_and_nothing_is_written(string tampering)
    {
        await Lifecycle.Approve(batch.Id, "bob");
        await AsOwnerPastTheTriggers(tampering.Replace("BATCH", Id, StringComparison.Ordinal));

        var export = await CliRunner.RunAs("bob", db.Configuration, "batch", "export", Id, "--out", File);

        await RefusedWithNothingWritten(export, exportedBefore: false);
    }

    [Test]
    public async Task A_superuser_who_sends_payments_to_mallory_with_triggers_off_for_the_session_is_refused_at_export()
    {
        await Lifecycle.Approve(batch.Id, "bob");
        if (TestServer.SuperuserConnectionStringFor(db.Name) is not { } superuser)
        {
            Assert.Ignore("ONTZORGING_TEST_CONNECTION names no superuser");
            return;
        }

        await using (var connection = new NpgsqlConnection(superuser))
        {
            await connection.ExecuteAsync($"""
                SET session_replication_role = replica;
                UPDATE payments SET payee_iban = '{Mallory}', payee_name = 'Mallory' WHERE id IN (SELECT id FROM payments WHERE batch_id = {Id} ORDER BY id LIMIT 4);
                """);
        }

        var export = await CliRunner.RunAs("bob", db.Configuration, "batch", "export", Id, "--out", File);

        await RefusedWithNothingWritten(export, exportedBefore: false);
    }

    [Test]
    public async Task An_exported_batch_whose_rows_changed_afterwards_is_not_exported_again()
    {
        await Lifecycle.Approve(batch.Id, "bob");
        (await CliRunner.RunAs("bob", db.Configuration, "batch", "export", Id, "--out", File)).ExitCode.Should().Be(ExitCodes.Ok);
        System.IO.File.Delete(File);
        var booked = await db.Scalar<long>($"SELECT count(*) FROM journal_entries WHERE source_key LIKE 'batch:{Id}:export:%'");
        await AsOwnerPastTheTriggers($"UPDATE payments SET payee_iban = '{Mallory}', payee_name = 'Mallory' WHERE id = (SELECT min(id) FROM payments WHERE batch_id = {Id})");

        var again = await CliRunner.RunAs("bob", db.Configuration, "batch", "export", Id, "--out", File);

        await RefusedWithNothingWritten(again, exportedBefore: true, booked);
    }

    [Test]
    public async Task A_draft_cannot_be_changed_after_its_preparation_from_the_application_role()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("ONTZORGING_TEST_CONNECTION")))
        {
            Assert.Ignore("ONTZORGING_TEST_CONNECTION names one role for everything");
        }

        var prepared = await RowsDigest();
        await using var app = new NpgsqlConnection(db.ConnectionString);

        // What the engine never changes, its role may not change at all.
        foreach (var change in new[]
                 {
                     $"UPDATE batches SET prepared_by = 'os:x' WHERE id = {Id}",
                     $"UPDATE payments SET payee_iban = '{Mallory}', payee_name = 'Mallory' WHERE batch_id = {Id}",
                     $"UPDATE payments SET amount = amount + 1 WHERE batch_id = {Id}",
                     $"UPDATE batch_households SET kept_back = kept_back + 100 WHERE batch_id = {Id}",
                     $"DELETE FROM payments WHERE batch_id = {Id}",
                     $"DELETE FROM batch_issues WHERE batch_id = {Id}",
                 })
        {
            var act = () => app.ExecuteAsync(change);
            (await act.Should().ThrowAsync<PostgresException>(change)).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege, change);
        }

        // What it may write elsewhere (a status, a payment, an exception), the triggers refuse for a batch already prepared.
        await RefusedByTheTriggers(app);
        (await RowsDigest()).Should().Be(prepared);
        await ApprovedAndExported();
    }

    [Test]
    public async Task A_draft_cannot_be_changed_after_its_preparation_even_by_the_schema_owner()
    {
        var prepared = await RowsDigest();
        await using var owner = new NpgsqlConnection(db.OwnerConnectionString);

        foreach (var (change, refusal) in new[]
                 {
                     ($"UPDATE batches SET prepared_by = 'os:x' WHERE id = {Id}", "set once and never changed"),
                     ($"UPDATE batches SET created_in = pg_current_xact_id() WHERE id = {Id}", "set once and never changed"),
                     ($"UPDATE payments SET payee_iban = '{Mallory}', payee_name = 'Mallory' WHERE batch_id = {Id}", "never changed"),
                     ($"UPDATE batch_households SET kept_back = kept_back + 100 WHERE batch_id = {Id}", "never changed"),
                 })
        {
            var act = () => owner.ExecuteAsync(change);
            (await act.Should().ThrowAsync<PostgresException>(change)).Which.MessageText.Should().Contain(refusal, change);
        }

        await RefusedByTheTriggers(owner);
        (await RowsDigest()).Should().Be(prepared);
        await ApprovedAndExported();
    }

    /// <summary>Writes a role may make for a batch in the making, tried on a batch already prepared.</summary>
    private async Task RefusedByTheTriggers(NpgsqlConnection connection)
    {
        foreach (var (change, refusal) in new[]
                 {
                     ($"UPDATE payments SET status = 'cancelled' WHERE id = (SELECT min(id) FROM payments WHERE batch_id = {Id})", "moves only with its batch"),
                     ($"UPDATE payments SET status = 'settled', settled_on = execution_date WHERE batch_id = {Id}", "moves only with its batch"),
                     (SlipInMallory.Replace("BATCH", Id, StringComparison.Ordinal), "written only by the preparation that makes it"),
                     ($"INSERT INTO batch_issues (batch_id, household_id, kind, message) SELECT batch_id, household_id, 'arrear', 'later' FROM batch_households WHERE batch_id = {Id} LIMIT 1",
                         "written only by the preparation that makes it"),
                     ($"UPDATE batches SET payments_sha256 = repeat('0', 64) WHERE id = {Id}", "set by its preparation and never changed"),
                 })
        {
            var act = () => connection.ExecuteAsync(change);
            var refused = (await act.Should().ThrowAsync<PostgresException>(change)).Which;
            refused.SqlState.Should().Be(PostgresErrorCodes.CheckViolation, change);
            refused.MessageText.Should().Contain(refusal, change);
        }
    }

    private async Task ApprovedAndExported()
    {
        await Lifecycle.Approve(batch.Id, "bob");
        var export = await CliRunner.RunAs("bob", db.Configuration, "batch", "export", Id, "--out", File);
        export.ExitCode.Should().Be(ExitCodes.Ok, export.Error);
    }

    private async Task RefusedWithNothingWritten(CliResult export, bool exportedBefore, long booked = 0)
    {
        export.ExitCode.Should().Be(ExitCodes.BadInput, export.Out);
        export.Error.Should().Contain($"batch {Id} was not exported: its payments are not the ones approved");
        System.IO.File.Exists(File).Should().BeFalse();
        Directory.GetFiles(folder).Should().BeEmpty("not even a partial file is left");
        (await db.Scalar<long>($"SELECT count(*) FROM batch_exports WHERE batch_id = {Id}")).Should().Be(exportedBefore ? 1 : 0);
        (await db.Scalar<string>($"SELECT status FROM batches WHERE id = {Id}")).Should().Be(exportedBefore ? "exported" : "approved");
        (await db.Scalar<long>($"SELECT count(*) FROM journal_entries WHERE source_key LIKE 'batch:{Id}:export:%'")).Should().Be(booked);
        (await db.Scalar<string>($"SELECT detail FROM audit_log WHERE action = 'batch.export' AND target = 'batch {Id}' AND outcome = 'refused'"))
            .Should().Contain("its payments are not the ones approved");
    }

    /// <summary>The digest of the batch's payments as they stand, computed here from the rows themselves.</summary>
    private async Task<PaymentsDigest> RowsDigest()
    {
        await using var connection = await db.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var rows = await connection.QueryAsync<PaymentRow>(
            "SELECT payee_name AS PayeeName, payee_iban AS PayeeIban, amount, execution_date AS ExecutionDate, reference, end_to_end_id AS EndToEndId, kind FROM payments WHERE batch_id = @Id AND status <> 'cancelled'",
            new { batch.Id });
        return PaymentsDigest.Of(rows.Select(r => new PaidFacts(r.PayeeName, r.PayeeIban, Money.FromEuros(r.Amount), r.ExecutionDate, r.Reference, r.EndToEndId, r.Kind)));
    }

    private async Task<PaymentsDigest> Digest(string sql)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        var (count, sum, sha256) = await connection.QuerySingleAsync<(int Count, decimal Sum, string Sha256)>(sql, new { batch.Id });
        return new PaymentsDigest(count, Money.FromEuros(sum), sha256);
    }

    private async Task AsOwnerPastTheTriggers(string tampering)
    {
        await using var owner = new NpgsqlConnection(db.OwnerConnectionString);
        await owner.OpenAsync();
        await using var command = new NpgsqlCommand($"ALTER TABLE payments DISABLE TRIGGER USER; {tampering}; ALTER TABLE payments ENABLE TRIGGER USER;", owner);
        (await command.ExecuteNonQueryAsync()).Should().BeGreaterThan(0, "the tampering changed a row");
    }

    private sealed class PaymentRow
    {
        public string PayeeName { get; set; } = "";

        public string PayeeIban { get; set; } = "";

        public decimal Amount { get; set; }

        public NodaTime.LocalDate ExecutionDate { get; set; }

        public string? Reference { get; set; }

        public string EndToEndId { get; set; } = "";

        public string Kind { get; set; } = "";
    }
}
