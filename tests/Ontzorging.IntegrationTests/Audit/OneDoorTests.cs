using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Ledger;
using Ontzorging.Infrastructure.Monitoring;
using Ontzorging.Infrastructure.Readiness;
using Ontzorging.Infrastructure.Sepa;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Audit;

/// <summary>
/// Nothing written without its record, and no record without its write (issue 20): with the
/// database made to refuse the audit record of one action (a test trigger, installed by the schema
/// owner), that action's use case fails and leaves everything as it was, for every use case. Each
/// test starts from its own database with the sample municipality imported.
/// </summary>
public sealed class OneDoorTests
{
    private static readonly Actor Anna = Actor.OperatingSystemUser("anna");
    private static readonly Actor Bob = Actor.OperatingSystemUser("bob");
    private static readonly LocalDate Today = new(2026, 4, 24);

    private ScratchDatabase db = null!;
    private string folder = null!;

    [SetUp]
    public async Task RefuseChosenAuditRecords()
    {
        db = ScratchDatabase.Create();
        folder = Directory.CreateTempSubdirectory("ontzorging-door-").FullName;
        await using var owner = new NpgsqlConnection(TestServer.OwnerConnectionStringFor(db.Name));
        await owner.OpenAsync();
        await using var command = new NpgsqlCommand("""
            CREATE TABLE test_refused_actions (action text PRIMARY KEY);
            GRANT SELECT, INSERT, DELETE ON test_refused_actions TO PUBLIC;
            CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM test_refused_actions WHERE action = NEW.action) THEN
                    RAISE EXCEPTION 'test: the audit record of % is refused', NEW.action;
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER tr_test_refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_refuse_audit();
            """, owner);
        await command.ExecuteNonQueryAsync();
        if (TestContext.CurrentContext.Test.Name != nameof(An_intake_import_whose_record_is_refused_imports_nothing))
        {
            (await Service<IntakeImporter>().Import(Anna, SampleCopy.Samples)).OrThrow();
        }
    }

    [TearDown]
    public async Task Drop()
    {
        await db.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Test]
    public async Task An_intake_import_whose_record_is_refused_imports_nothing()
    {
        await Refused("intake.import", () => Service<IntakeImporter>().Import(Anna, SampleCopy.Samples));

        (await db.Scalar<long>("SELECT count(*) FROM households")).Should().Be(0);
        (await db.Scalar<long>("SELECT count(*) FROM persons")).Should().Be(0);
        (await Service<IntakeImporter>().Import(Anna, SampleCopy.Samples)).Success.Should().BeTrue("the same import goes through once its record may be kept");
    }

    [Test]
    public async Task A_refused_intake_import_whose_refusal_cannot_be_recorded_fails_loudly()
    {
        using var copy = new SampleCopy();
        copy.ReplaceLine(IntakeFiles.Households, 2, line => line.Replace("GM0344", "XX0344", StringComparison.Ordinal));

        await Refused("intake.import", () => Service<IntakeImporter>().Import(Anna, copy.Path));
    }

    [Test]
    public async Task Bookkeeping_whose_record_is_refused_books_nothing()
    {
        var booked = await db.Scalar<long>("SELECT count(*) FROM receipts WHERE booked_on IS NOT NULL");

        await Refused("ledger.bookkeeping", () => Service<DailyBookkeeping>().Run(Anna, Today));

        (await db.Scalar<long>("SELECT count(*) FROM receipts WHERE booked_on IS NOT NULL")).Should().Be(booked);
        (await db.Scalar<long>("SELECT count(*) FROM journal_entries")).Should().Be(0);
    }

    [Test]
    public async Task A_preparation_whose_record_is_refused_leaves_no_batch()
    {
        await Refused("batch.prepare", () => Service<BatchPreparer>().Prepare(Anna, new YearMonth(2026, 5), Today));

        (await db.Scalar<long>("SELECT count(*) FROM batches")).Should().Be(0);
        (await db.Scalar<long>("SELECT count(*) FROM payments")).Should().Be(0);
    }

    [TestCase("batch.approve")]
    [TestCase("batch.reject")]
    [TestCase("batch.cancel")]
    public async Task A_batch_step_whose_record_is_refused_leaves_the_batch_a_draft(string action)
    {
        var batchId = await Prepared();
        var lifecycle = Service<BatchLifecycle>();
        await Refused(action, () => action switch
        {
            "batch.approve" => lifecycle.Approve(Bob, batchId),
            "batch.reject" => lifecycle.Reject(Bob, batchId, "wrong rent"),
            _ => lifecycle.Cancel(Bob, batchId, "too early"),
        });

        (await db.Scalar<string>($"SELECT status FROM batches WHERE id = {batchId}")).Should().Be("draft");
        (await db.Scalar<long>($"SELECT count(*) FROM batch_approvals WHERE batch_id = {batchId}")).Should().Be(0);
        (await db.Scalar<long>($"SELECT count(*) FROM payments WHERE batch_id = {batchId} AND status = 'cancelled'")).Should().Be(0);
    }

    [Test]
    public async Task An_export_whose_record_is_refused_writes_no_file_and_books_nothing()
    {
        var batchId = await Prepared();
        (await Service<BatchLifecycle>().Approve(Bob, batchId)).OrThrow();
        var file = Path.Combine(folder, "may.xml");

        await Refused("batch.export", () => Service<BatchLifecycle>().Export(Bob, batchId, Pain001Version.V09, file));

        File.Exists(file).Should().BeFalse();
        File.Exists(file + ".partial").Should().BeFalse();
        (await db.Scalar<string>($"SELECT status FROM batches WHERE id = {batchId}")).Should().Be("approved");
        (await db.Scalar<long>("SELECT count(*) FROM batch_exports")).Should().Be(0);
        (await db.Scalar<long>("SELECT count(*) FROM ledger_accounts WHERE code = 'in_transit' AND balance <> 0")).Should().Be(0);
        (await Service<BatchLifecycle>().Export(Bob, batchId, Pain001Version.V09, file)).OrThrow();
        File.Exists(file).Should().BeTrue();
    }

    [Test]
    public async Task A_settlement_whose_record_is_refused_settles_nothing()
    {
        var batchId = await Prepared();
        (await Service<BatchLifecycle>().Approve(Bob, batchId)).OrThrow();
        (await Service<BatchLifecycle>().Export(Bob, batchId, Pain001Version.V09, Path.Combine(folder, "may.xml"))).OrThrow();

        await Refused("batch.settle", () => Service<BatchLifecycle>().Settle(Bob, batchId, new LocalDate(2026, 5, 31)));

        (await db.Scalar<long>($"SELECT count(*) FROM payments WHERE batch_id = {batchId} AND status = 'settled'")).Should().Be(0);
        (await db.Scalar<string>($"SELECT status FROM batches WHERE id = {batchId}")).Should().Be("exported");
    }

    [Test]
    public async Task A_decision_whose_record_is_refused_is_not_recorded_and_neither_is_a_refused_one()
    {
        var recorder = Service<DecisionRecorder>();
        var decisions = await db.Scalar<long>("SELECT count(*) FROM decisions");

        await Refused("decision.record", () => recorder.Record(Anna, "HH-0002", new Decision(DecisionKind.Extension, Today, "", "art. 57 Pw", Months: 2), Today));
        await Refused("decision.record", () => recorder.Record(Anna, "HH-0002", new Decision(DecisionKind.Extension, Today, "", "art. 57 Pw", Months: 13), Today));

        (await db.Scalar<long>("SELECT count(*) FROM decisions")).Should().Be(decisions);
    }

    [Test]
    public async Task A_statement_import_whose_record_is_refused_adds_no_line()
    {
        var statement = Path.Combine(SampleCopy.Samples, "bank", "ing-2026-06.csv");

        await Refused("ledger.import", () => Service<BankStatementImporter>().Import(Anna, statement, null, dryRun: false));

        (await db.Scalar<long>("SELECT count(*) FROM bank_lines")).Should().Be(0);
        (await db.Scalar<long>("SELECT count(*) FROM bank_imports")).Should().Be(0);
        (await Service<BankStatementImporter>().Import(Anna, statement, null, dryRun: false)).OrThrow();
    }

    [Test]
    public async Task A_confirmation_whose_record_is_refused_books_no_receipt()
    {
        // An incoming line nobody can place: it waits for a person to confirm it.
        var statement = Path.Combine(folder, "generic.csv");
        await File.WriteAllLinesAsync(statement,
        [
            "account,booking_date,amount,counterparty_iban,counterparty_name,description,reference",
            "NL82BNGH0285010001,2026-04-20,312.00,NL91ABNA0417164300,J. de Vries,gift voor de huur,",
        ]);
        (await Service<BankStatementImporter>().Import(Anna, statement, null, dryRun: false)).OrThrow();
        var line = await db.Scalar<long>("SELECT id FROM bank_lines WHERE status IN ('suggested', 'unmatched') AND amount > 0");
        var receipts = await db.Scalar<long>("SELECT count(*) FROM receipts");

        await Refused("ledger.confirm", () => Service<IncomingMatcher>().Confirm(Anna, line, "HH-0001", IncomeKind.Huurtoeslag, null, null, Today));

        (await db.Scalar<long>("SELECT count(*) FROM receipts")).Should().Be(receipts);
        (await db.Scalar<string>($"SELECT status FROM bank_lines WHERE id = {line}")).Should().NotBe("booked");
    }

    [Test]
    public async Task A_ledger_export_whose_record_is_refused_leaves_no_file()
    {
        var file = Path.Combine(folder, "ledger.csv");

        await Refused("ledger.export", () => Service<LedgerAudit>().Export(Anna, file, "HH-0001", LocalDate.MinIsoValue, LocalDate.MaxIsoValue));

        File.Exists(file).Should().BeFalse();
        File.Exists(file + ".partial").Should().BeFalse();
    }

    [Test]
    public async Task The_scheduled_jobs_writes_whose_records_are_refused_store_nothing()
    {
        var scheduler = Actor.System("scheduler");
        await Refused("readiness.evaluate", () => Service<ReadinessService>().Evaluate(scheduler, new LocalDate(2026, 5, 31)));
        await Refused("watch.toeslagen", () => Service<Watches>().Toeslagen(scheduler, new LocalDate(2026, 9, 1)));
        await Refused("watch.period_ends", () => Service<Watches>().PeriodEnds(scheduler, new LocalDate(2026, 8, 20), 30));

        (await db.Scalar<long>("SELECT count(*) FROM readiness_evaluations")).Should().Be(0);
        (await db.Scalar<long>("SELECT count(*) FROM toeslag_flags")).Should().Be(0);
        (await db.Scalar<long>("SELECT count(*) FROM period_end_notices")).Should().Be(0);
    }

    [Test]
    public async Task A_view_of_personal_data_whose_record_is_refused_shows_nothing()
    {
        var views = Service<PersonalDataViews>();
        IReadOnlyList<(string Name, string Bsn)>? shown = null;

        await Refused("household.bsn_unmasked", async () => shown = await views.RevealBsns(Anna, "HH-0001", new MunicipalityScope(null)));
        await Refused("household.view", () => views.HouseholdViewed(Anna, "HH-0001", "GM0344", null));

        shown.Should().BeNull();
    }

    [Test]
    public async Task A_write_and_its_record_are_made_by_one_transaction()
    {
        (await Service<DecisionRecorder>().Record(Anna, "HH-0003", new Decision(DecisionKind.ZrmScore, Today, "", null, Score: 4), Today)).Success.Should().BeTrue();

        // xmin is the id of the transaction that wrote a row.
        (await db.Scalar<bool>("""
            SELECT (SELECT d.xmin::text FROM decisions d ORDER BY d.id DESC LIMIT 1)
                 = (SELECT a.xmin::text FROM audit_log a WHERE a.action = 'decision.record' AND a.outcome = 'done' ORDER BY a.id DESC LIMIT 1)
            """)).Should().BeTrue();
    }

    [Test]
    public async Task A_refusal_is_recorded_once_with_its_reason_and_changes_nothing()
    {
        var decisions = await db.Scalar<long>("SELECT count(*) FROM decisions");

        var decision = await Service<DecisionRecorder>().Record(Anna, "HH-0002", new Decision(DecisionKind.Extension, Today, "", "art. 57 Pw", Months: 13), Today);
        await Prepared();
        var earlier = await Service<BatchPreparer>().Prepare(Anna, new YearMonth(2026, 4), Today);

        decision.Refusal!.Code.Should().Be(RefusalCode.ExtensionMonths);
        earlier.Refusal!.Code.Should().Be(RefusalCode.LaterMonthPrepared);
        (await db.Scalar<long>("SELECT count(*) FROM decisions")).Should().Be(decisions);
        (await db.Scalar<long>("SELECT count(*) FROM batches")).Should().Be(1);
        (await db.Scalar<long>("SELECT count(*) FROM audit_log WHERE outcome = 'refused' AND action = 'decision.record' AND target = 'household HH-0002' AND detail LIKE '%1 to 12%'")).Should().Be(1);
        (await db.Scalar<long>("SELECT count(*) FROM audit_log WHERE outcome = 'refused' AND action = 'batch.prepare' AND target = 'month 2026-04' AND actor_subject = 'os:anna'")).Should().Be(1);
    }

    [Test]
    public async Task A_refused_input_file_is_recorded_by_place_without_the_values_it_quotes()
    {
        using var copy = new SampleCopy();
        copy.ReplaceLine(IntakeFiles.Persons, 2, line => string.Join(',', line.Split(',').Select((v, i) => i == 1 ? "123456780" : v)));

        var refused = await Service<IntakeImporter>().Import(Anna, copy.Path);

        refused.Refusal!.Code.Should().Be(RefusalCode.InputRejected);
        var record = await db.Scalar<string>("SELECT after::text FROM audit_log WHERE outcome = 'refused' AND action = 'intake.import' ORDER BY id DESC LIMIT 1");
        record.Should().Contain("persons.csv line 2, column bsn").And.NotContain("123456780");
    }

    private async Task<long> Prepared() => (await Service<BatchPreparer>().Prepare(Anna, new YearMonth(2026, 5), Today)).OrThrow().Id;

    private T Service<T>()
        where T : notnull => db.Services.GetRequiredService<T>();

    private async Task ClearRefusals() => await db.Execute("DELETE FROM test_refused_actions");

    /// <summary>Makes the database refuse the records of <paramref name="action"/>, runs the use case, and expects it to fail; then allows them again.</summary>
    private async Task Refused(string action, Func<Task> useCase)
    {
        await ClearRefusals();
        await db.Execute($"INSERT INTO test_refused_actions VALUES ('{action}')");
        try
        {
            var act = useCase;
            (await act.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain($"the audit record of {action} is refused");
        }
        finally
        {
            await ClearRefusals();
        }
    }
}
