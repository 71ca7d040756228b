using System.Xml.Linq;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Cli;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Ledger;
using Ontzorging.Infrastructure.Sepa;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Batches;

/// <summary>
/// One bad row never stops everyone's month, months are prepared one at a time, and a write-off
/// takes what is outstanding on its own date, once (issue 14).
/// </summary>
public sealed class BatchEdgeTests
{
    private static readonly NodaTime.YearMonth April = new(2026, 4);
    private static readonly NodaTime.LocalDate PreparedOn = new(2026, 3, 24);

    private ScratchDatabase db = null!;
    private string folder = "";

    private BatchPreparer Preparer => db.Services.GetRequiredService<BatchPreparer>();

    private BatchLifecycle Lifecycle => db.Services.GetRequiredService<BatchLifecycle>();

    [SetUp]
    public async Task CreateDatabase()
    {
        db = ScratchDatabase.Create();
        folder = Directory.CreateTempSubdirectory("ontzorging-batch-edge-").FullName;
        await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
    }

    [TearDown]
    public async Task Drop()
    {
        await db.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Test]
    public async Task Two_months_prepared_at_once_give_one_batch_and_refuse_the_other()
    {
        var results = await Task.WhenAll(
            Attempt(() => Preparer.Prepare(April, PreparedOn, "anna")),
            Attempt(() => Preparer.Prepare(April.PlusMonths(1), PreparedOn, "bob")));

        results.Count(r => r is null).Should().Be(1, "exactly one month is prepared");
        results.Single(r => r is not null)!.Should().Contain("cannot prepare");
        (await db.Scalar<long>("SELECT count(*) FROM batches")).Should().Be(1);
    }

    [Test]
    public async Task A_month_is_refused_while_the_month_before_is_a_draft_and_prepared_once_it_is_approved()
    {
        var april = await Preparer.Prepare(April, PreparedOn, "anna");

        var whileDraft = await CliRunner.RunAs("anna", db.Configuration, "batch", "prepare", "--month", "2026-05");
        await Lifecycle.Approve(april.Id, "bob");
        var afterApproval = await CliRunner.RunAs("anna", db.Configuration, "batch", "prepare", "--month", "2026-05", "--reason", "the test runs after May's preparation day");

        whileDraft.ExitCode.Should().Be(ExitCodes.BadInput);
        whileDraft.Error.Should().Contain("the batch for 2026-04 is still a draft");
        afterApproval.ExitCode.Should().Be(ExitCodes.Ok, afterApproval.Error);
    }

    [Test]
    public async Task A_month_after_a_gap_needs_the_officers_reason_which_the_batch_keeps()
    {
        var april = await Preparer.Prepare(April, PreparedOn, "anna");
        await Lifecycle.Approve(april.Id, "bob");

        var refused = await CliRunner.RunAs("anna", db.Configuration, "batch", "prepare", "--month", "2026-07");
        var withReason = await CliRunner.RunAs("anna", db.Configuration, "batch", "prepare", "--month", "2026-07", "--reason", "May and June paid by hand during the migration");
        var earlier = await CliRunner.RunAs("anna", db.Configuration, "batch", "prepare", "--month", "2026-05");

        refused.ExitCode.Should().Be(ExitCodes.BadInput);
        refused.Error.Should().Contain("2026-05 to 2026-06 were never prepared");
        withReason.ExitCode.Should().Be(ExitCodes.Ok, withReason.Error);
        (await db.Scalar<string>("SELECT out_of_order_reason FROM batches WHERE month = '2026-07-01'")).Should().Be("May and June paid by hand during the migration");
        earlier.ExitCode.Should().Be(ExitCodes.BadInput, "a later month already paid the balances May would pay");
        earlier.Error.Should().Contain("the batch for 2026-07 is already prepared");
    }

    [Test]
    public async Task An_officers_reason_with_a_hidden_character_is_refused_and_the_batch_stays_as_it_was()
    {
        var april = await Preparer.Prepare(April, PreparedOn, "anna");

        var rejected = await CliRunner.RunAs("bob", db.Configuration, "batch", "reject", april.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--reason", "rent\u202E wrong");
        var draft = await db.Scalar<string>($"SELECT status FROM batches WHERE id = {april.Id}");
        await Lifecycle.Approve(april.Id, "bob");
        var skipped = await CliRunner.RunAs("anna", db.Configuration, "batch", "prepare", "--month", "2026-07", "--reason", "paid by hand\u200B");

        rejected.ExitCode.Should().Be(ExitCodes.BadInput);
        rejected.Error.Should().Contain("the reason holds the hidden character U+202E at character 5");
        draft.Should().Be("draft");
        skipped.ExitCode.Should().Be(ExitCodes.BadInput);
        skipped.Error.Should().Contain("U+200B at character 13");
        (await db.Scalar<long>("SELECT count(*) FROM batches")).Should().Be(1, "no batch for July was prepared");
    }

    [Test]
    public async Task A_household_whose_data_breaks_the_waterfall_is_the_batchs_exception_and_every_other_household_is_paid()
    {
        // Data from before intake refused it: a start at the end of the calendar.
        await db.ExecuteAsOwner("UPDATE households SET bijstand_start = '9999-12-01' WHERE reference = 'HH-0003'");

        var batch = await Preparer.Prepare(April, PreparedOn, "anna");

        batch.Households.Should().BeGreaterThan(20);
        (await db.Scalar<string>($"SELECT message FROM batch_issues WHERE batch_id = {batch.Id} AND kind = 'household_not_prepared'"))
            .Should().StartWith("HH-0003 was left out of this batch");
        (await db.Scalar<long>($"SELECT count(*) FROM payments p JOIN households h ON h.id = p.household_id WHERE h.reference = 'HH-0003'")).Should().Be(0);
        var show = await CliRunner.Run(db.Configuration, "household", "show", "HH-0003");
        show.ExitCode.Should().Be(ExitCodes.Ok, show.Error);
        var list = await CliRunner.Run(db.Configuration, "household", "list");
        list.ExitCode.Should().Be(ExitCodes.Ok, list.Error);
    }

    [Test]
    public async Task A_contract_of_zero_is_neither_paid_nor_an_arrear()
    {
        await db.ExecuteAsOwner("UPDATE contract_versions v SET amount = 0 FROM contracts c WHERE c.id = v.contract_id AND c.kind = 'water'");

        var batch = await Preparer.Prepare(April, PreparedOn, "anna");

        batch.Payments.Should().BeGreaterThan(0);
        (await db.Scalar<long>("SELECT count(*) FROM payments WHERE kind = 'water' OR amount = 0")).Should().Be(0);
        (await db.Scalar<long>("SELECT count(*) FROM arrears WHERE kind = 'water'")).Should().Be(0);
    }

    [Test]
    public async Task A_name_with_an_emoji_quotes_and_a_line_break_is_transliterated_into_a_valid_payment_file_written_for_its_owner_only()
    {
        var name = new string('x', 68) + "\U0001F600 \"Zuid\" & <Co>\n=";
        await db.ExecuteAsOwner($"UPDATE contract_versions v SET creditor_name = '{name.Replace("'", "''", StringComparison.Ordinal)}' FROM contracts c WHERE c.id = v.contract_id AND c.kind = 'rent'");
        var batch = await Preparer.Prepare(April, PreparedOn, "anna");
        await Lifecycle.Approve(batch.Id, "bob");
        var file = Path.Combine(folder, "april.xml");

        var export = await CliRunner.RunAs("bob", db.Configuration, "batch", "export", batch.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", file);

        export.ExitCode.Should().Be(ExitCodes.Ok, export.Error);
        Directory.GetFiles(folder, "*.partial").Should().BeEmpty();
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var names = XDocument.Load(file).Descendants().Where(e => e.Name.LocalName == "Nm").Select(e => e.Value).ToList();
        names.Should().OnlyContain(n => Ontzorging.Domain.SepaText.IsEpc(n) && n.Length <= 70);
        var xml = await File.ReadAllTextAsync(file);
        xml.Should().NotContain("&amp;").And.NotContain("&quot;").And.NotContain("&lt;").And.NotContain("\n=");
        Pain001Schemas.Validate(file, Pain001Version.V09).Should().BeEmpty();
    }

    [Test]
    public async Task A_write_off_of_all_with_nothing_outstanding_writes_off_nothing_and_never_reaches_credit_drawn_later()
    {
        // Every household without credit gets a write-off of all, dated before any credit is drawn.
        await db.Execute("""
            INSERT INTO decisions (household_id, kind, decided_on, reason, recorded_by, recorded_at)
            SELECT id, 'write_off', '2026-03-10', 'hardship', 'caseworker', now() FROM households h
             WHERE NOT EXISTS (SELECT 1 FROM decisions d WHERE d.household_id = h.id AND d.kind = 'write_off')
            """);
        var bookkeeping = db.Services.GetRequiredService<DailyBookkeeping>();
        await bookkeeping.Run(new NodaTime.LocalDate(2026, 3, 10), "tester");

        // The April batch draws credit afterwards, and the daily bookkeeping runs on.
        var batch = await Preparer.Prepare(April, PreparedOn, "anna");
        await bookkeeping.Run(new NodaTime.LocalDate(2026, 4, 2), "tester");

        batch.CreditDrawn.IsPositive.Should().BeTrue("the scenario needs credit drawn after the write-offs");
        (await db.Scalar<long>("SELECT count(*) FROM write_off_bookings w JOIN decisions d ON d.id = w.decision_id WHERE d.decided_on = '2026-03-10' AND w.amount = 0"))
            .Should().Be(await db.Scalar<long>("SELECT count(*) FROM decisions WHERE decided_on = '2026-03-10' AND kind = 'write_off'"), "each was booked once, with nothing outstanding");
        (await db.Scalar<long>("SELECT count(*) FROM journal_entries e JOIN decisions d ON e.source_key = 'write_off:' || d.id WHERE d.decided_on = '2026-03-10'"))
            .Should().Be(0, "credit drawn after a write-off was booked is never written off by it");
    }

    private static async Task<string?> Attempt(Func<Task<PreparedBatch>> prepare)
    {
        try
        {
            await prepare();
            return null;
        }
        catch (RefusedException e)
        {
            return e.Message;
        }
    }
}
