using Dapper;
using NodaTime;
using Ontzorging.Cli;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.BankLedgers;

/// <summary>
/// The November camt.053 and the pain.002 of samples/bank on the sample municipality simulated March
/// to November 2026 without settling anything (so every payment waits for the bank): simulated once,
/// copied for each test.
/// </summary>
[NonParallelizable]
public sealed class BankFilesOnSamplesTests
{
    private static readonly string Bank = Path.Combine(SampleCopy.Samples, "bank");
    private static readonly string Camt = Path.Combine(Bank, "camt053-2026-11.xml");
    private static readonly string Pain = Path.Combine(Bank, "pain002-2026-10-26.xml");

    private ScratchDatabase simulated = null!;
    private string folder = "";

    [OneTimeSetUp]
    public async Task Simulate()
    {
        simulated = ScratchDatabase.Create(new Infrastructure.Time.SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0)));
        folder = Directory.CreateTempSubdirectory("ontzorging-bankfiles-").FullName;
        await new Infrastructure.Simulation.SimulationRunner(simulated.Services)
            .Run(SampleCopy.Samples, new YearMonth(2026, 3), new YearMonth(2026, 11), Path.Combine(folder, "simulation"), settleOnExecution: false);
    }

    [OneTimeTearDown]
    public async Task Drop()
    {
        await simulated.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private ScratchDatabase Copy() => ScratchDatabase.CopyOf(simulated);

    [Test]
    public async Task The_November_statement_settles_each_November_payment_once_two_batch_bookings_included_and_a_second_import_adds_nothing()
    {
        await using var db = Copy();
        var november = await db.Scalar<long>("SELECT count(*) FROM payments WHERE execution_date BETWEEN '2026-11-01' AND '2026-11-30'");

        var first = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", Camt);
        var entries = await db.Scalar<long>("SELECT count(*) FROM journal_entries");
        var second = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", Camt);

        first.ExitCode.Should().Be(ExitCodes.Ok, first.Error);
        first.Out.Should().Contain("41 line(s) read; 41 added").And.Contain("2 line(s) matched their batch, settling 26 payment(s)");
        (await db.Scalar<long>("SELECT count(*) FROM payments WHERE execution_date BETWEEN '2026-11-01' AND '2026-11-30' AND status = 'settled'")).Should().Be(november);
        (await db.Scalar<long>("SELECT count(*) FROM payments WHERE execution_date BETWEEN '2026-11-01' AND '2026-11-30' AND settled_on = execution_date")).Should().Be(november);
        (await db.Scalar<long>("SELECT count(DISTINCT line_id) FROM bank_line_payments")).Should().Be(2);
        (await db.Scalar<long>("SELECT count(*) FROM bank_line_payments")).Should().Be(26);
        second.ExitCode.Should().Be(ExitCodes.Ok, second.Error);
        second.Out.Should().Contain("41 line(s) read; 0 added, 41 already present");
        (await db.Scalar<long>("SELECT count(*) FROM journal_entries")).Should().Be(entries, "a second import books nothing");
        var reconcile = await CliRunner.Run(db.Configuration, "ledger", "reconcile", "--from", "2026-11-01", "--to", "2026-11-30");
        reconcile.Out.Should().Contain("Reconciled: every difference is explained.");
    }

    [Test]
    public async Task The_status_report_reopens_exactly_the_rejected_rent_shows_it_with_its_reason_and_marks_the_landlords_account()
    {
        await using var db = Copy();

        var import = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", Pain);
        var again = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", Pain);
        var show = await CliRunner.Run(db.Configuration, "household", "show", "HH-0027");

        import.ExitCode.Should().Be(ExitCodes.Ok, import.Error);
        (await db.Scalar<string>("SELECT string_agg(end_to_end_id || ' ' || return_reason || ' ' || return_source, '; ') FROM payments WHERE status = 'returned'"))
            .Should().Be("HH-0027/C96/261101/1 AC04 account closed: Rekening opgeheven status_report");
        (await db.Scalar<string>("SELECT kind || ' ' || amount || ' attempt ' || attempt FROM arrears WHERE paid_in_batch_id IS NULL AND household_id = (SELECT id FROM households WHERE reference = 'HH-0027')"))
            .Should().Be("rent 840.00 attempt 2", "the rent is owed again and goes out again with the next attempt number once the account is confirmed");
        (await db.Scalar<string>("SELECT reason_code FROM refused_creditor_accounts")).Should().Be("AC04");
        (await db.Scalar<long>("SELECT count(*) FROM journal_entries WHERE kind = 'rejection' AND source_key = 'rejection:HH-0027/C96/261101/1'")).Should().Be(1);
        again.Out.Should().Contain("was imported before");
        (await db.Scalar<long>("SELECT count(*) FROM payment_status_reports")).Should().Be(1);
        show.Out.Should().Contain("rejected (pain.002)").And.Contain("AC04 account closed");
        var signals = await CliRunner.Run(db.Configuration, "signals", "watch");
        signals.ExitCode.Should().Be(ExitCodes.Ok, signals.Error);
        (await db.Scalar<string>("SELECT detail FROM money_signals WHERE kind = 'returned'")).Should().StartWith("AC04 account closed");
        (await CliRunner.Run(db.Configuration, "ledger", "verify")).ExitCode.Should().Be(ExitCodes.Ok);

        var confirm = await CliRunner.RunAs("klaas", db.Configuration, "household", "confirm-account", "HH-0027", "--kind", "rent");
        var twice = await CliRunner.RunAs("klaas", db.Configuration, "household", "confirm-account", "HH-0027", "--kind", "rent");
        confirm.ExitCode.Should().Be(ExitCodes.Ok, confirm.Error);
        (await db.Scalar<string>("SELECT confirmed_by FROM refused_creditor_accounts")).Should().Be("os:klaas");
        twice.ExitCode.Should().NotBe(ExitCodes.Ok);
        twice.Error.Should().Contain("HH-0027 has no rent contract whose account the bank refused and no one has confirmed");
        (await db.Scalar<long>("SELECT count(*) FROM audit_log WHERE action = 'contract.account_confirm' AND outcome = 'done'")).Should().Be(1);
    }

    [Test]
    public async Task A_batch_booking_of_another_sum_than_its_batch_settles_nothing_and_is_a_difference_in_the_reconciliation()
    {
        await using var db = Copy();
        var file = CamtFiles.Write(Path.Combine(folder, "batch-off.xml"),
            [new CamtEntry(new LocalDate(2026, 11, 9), -278.96m, Batch: true, BatchPaymentInformationId: "OZ-202611-B9-E1-20261109", BatchTransactions: 2)]);

        var import = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", file);
        var reconcile = await CliRunner.Run(db.Configuration, "ledger", "reconcile", "--from", "2026-11-09", "--to", "2026-11-09");

        import.ExitCode.Should().Be(ExitCodes.Ok, import.Error);
        import.Out.Should().Contain("1 left as a difference").And.Contain("books 278.96 where the batch's payments sum to 278.95");
        (await db.Scalar<long>("SELECT count(*) FROM payments WHERE execution_date = '2026-11-09' AND status = 'open'")).Should().Be(2);
        (await db.Scalar<string>("SELECT status FROM bank_lines")).Should().Be("unmatched");
        reconcile.Out.Should().Contain("│ -278.96    │").And.Contain("On the statement, not booked (unmatched or waiting for confirmation): 1 item(s), -278.96",
            "the line is the day's difference, as a line not booked");
    }

    [Test]
    public async Task A_batch_booking_that_names_nothing_settles_the_one_batch_block_with_its_control_sum_and_execution_date()
    {
        await using var db = Copy();
        var file = CamtFiles.Write(Path.Combine(folder, "batch-sum.xml"), [new CamtEntry(new LocalDate(2026, 11, 16), -278.97m, Batch: true)]);

        var import = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", file);

        import.ExitCode.Should().Be(ExitCodes.Ok, import.Error);
        (await db.Scalar<long>("SELECT count(*) FROM payments WHERE execution_date = '2026-11-16' AND status = 'settled'")).Should().Be(2);
        (await db.Scalar<string>("SELECT batch_ref FROM bank_lines")).Should().Be("control sum and execution date");
    }

    [Test]
    public async Task A_batch_booking_of_one_block_that_names_only_the_whole_batch_by_its_MsgId_is_a_difference()
    {
        await using var db = Copy();
        var file = CamtFiles.Write(Path.Combine(folder, "batch-msg.xml"), [new CamtEntry(new LocalDate(2026, 11, 16), -278.97m, Batch: true, BatchMessageId: "OZ-202611-B9-E1")]);

        var import = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", file);

        import.ExitCode.Should().Be(ExitCodes.Ok, import.Error);
        import.Out.Should().Contain("1 left as a difference").And.Contain("where the batch's payments sum to 18298.76");
        (await db.Scalar<long>("SELECT count(*) FROM payments WHERE status = 'settled'")).Should().Be(0);
    }

    [Test]
    public async Task Two_batch_lines_for_the_same_block_settle_it_once_and_the_second_is_a_difference()
    {
        await using var db = Copy();
        var day = new LocalDate(2026, 11, 16);
        var file = CamtFiles.Write(Path.Combine(folder, "twice.xml"),
            [new CamtEntry(day, -278.97m, Batch: true, BatchPaymentInformationId: "OZ-202611-B9-E1-20261116"), new CamtEntry(day, -278.97m, Batch: true)]);

        var import = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", file);

        import.ExitCode.Should().Be(ExitCodes.Ok, import.Error);
        import.Out.Should().Contain("1 line(s) matched their batch, settling 2 payment(s)").And.Contain("1 left as a difference");
        (await db.Scalar<long>("SELECT count(*) FROM bank_line_payments")).Should().Be(2);
        (await db.Scalar<long>("SELECT count(*) FROM journal_entries WHERE kind = 'settlement'")).Should().Be(2);
    }

    [Test]
    public async Task A_rejection_as_a_duplicate_reopens_nothing_for_the_first_file_stands()
    {
        await using var db = Copy();
        var file = CamtFiles.StatusReport(Path.Combine(folder, "duplicate.xml"), "OZ-202611-B9-E1", "RJCT", [], groupReason: "DUPL");

        var import = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", file);

        import.ExitCode.Should().Be(ExitCodes.Ok, import.Error);
        import.Out.Should().Contain("Payments re-opened: 0").And.Contain("left for a person");
        (await db.Scalar<long>("SELECT count(*) FROM payments WHERE status = 'returned'")).Should().Be(0);
        (await db.Scalar<long>("SELECT count(*) FROM payment_status_report_lines WHERE outcome = 'not_open'")).Should().BeGreaterThan(0);
    }

    [Test]
    public async Task A_file_rejected_whole_reopens_every_payment_still_waiting_and_each_leefgeld_is_owed_again()
    {
        await using var db = Copy();
        var waiting = await db.Scalar<long>("SELECT count(*) FROM payments p JOIN batches b ON b.id = p.batch_id WHERE b.month = '2026-11-01' AND p.status = 'open'");
        var file = CamtFiles.StatusReport(Path.Combine(folder, "rejected.xml"), "OZ-202611-B9-E1", "RJCT", [], version: "03", groupReason: "FF01");

        var import = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", file);

        import.ExitCode.Should().Be(ExitCodes.Ok, import.Error);
        (await db.Scalar<long>("SELECT count(*) FROM payments p JOIN batches b ON b.id = p.batch_id WHERE b.month = '2026-11-01' AND p.status = 'returned'")).Should().Be(waiting);
        (await db.Scalar<string>("SELECT DISTINCT return_reason FROM payments WHERE status = 'returned'")).Should().Be("FF01 invalid file format");
        (await db.Scalar<string>("SELECT status FROM batches WHERE month = '2026-11-01'")).Should().Be("settled", "nothing of the file waits for the bank any more");
        (await db.Scalar<long>("SELECT count(*) FROM refused_creditor_accounts")).Should().Be(0, "a file refused for its format says nothing of the creditors' accounts");
        (await CliRunner.Run(db.Configuration, "ledger", "verify")).ExitCode.Should().Be(ExitCodes.Ok);
    }

    [Test]
    public async Task A_status_report_for_a_file_we_never_exported_is_refused_with_exit_2_and_nothing_is_written()
    {
        await using var db = Copy();
        var file = CamtFiles.StatusReport(Path.Combine(folder, "stranger.xml"), "SOMEONE-ELSE-1", "RJCT", []);

        var import = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", file);

        import.ExitCode.Should().Be(ExitCodes.BadInput);
        import.Error.Should().Contain("stranger.xml line 1").And.Contain("OrgnlMsgId").And.Contain("SOMEONE-ELSE-1");
        (await db.Scalar<long>("SELECT count(*) FROM payments WHERE status = 'returned'")).Should().Be(0);
        (await db.Scalar<long>("SELECT count(*) FROM payment_status_reports")).Should().Be(0);
    }

    [Test]
    public async Task An_accepted_status_report_is_recorded_on_the_batch_and_changes_no_payment()
    {
        await using var db = Copy();
        var file = CamtFiles.StatusReport(Path.Combine(folder, "accepted.xml"), "OZ-202611-B9-E1", "ACSC", []);

        var import = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", file);

        import.ExitCode.Should().Be(ExitCodes.Ok, import.Error);
        (await db.Scalar<string>("SELECT group_status || ' ' || accepted || ' ' || rejected FROM payment_status_reports r JOIN batches b ON b.id = r.batch_id WHERE b.month = '2026-11-01'"))
            .Should().Be($"ACSC {await db.Scalar<long>("SELECT count(*) FROM payments p JOIN batches b ON b.id = p.batch_id WHERE b.month = '2026-11-01'")} 0");
        (await db.Scalar<long>("SELECT count(*) FROM payments WHERE status = 'returned'")).Should().Be(0);
        (await CliRunner.Run(db.Configuration, "batch", "show", await db.Scalar<long>("SELECT id FROM batches WHERE month = '2026-11-01'") + ""))
            .Out.Should().Contain("bank status report: TEST-PSR-1 (pain.002.001.10) on OZ-202611-B9-E1: ACSC, 0 re-opened");
    }
}
