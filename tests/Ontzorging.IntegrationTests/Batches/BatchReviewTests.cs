using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Batches;

/// <summary>
/// What the approver reads and does before signing (issue 22): each exception acknowledged once,
/// by a second person, before the engine approves; the preparation's preview, which writes nothing;
/// and the comparison with the previous month on a constructed case: the samples, whose household
/// HH-0001 gets a second energy account in May.
/// </summary>
public sealed class BatchReviewTests
{
    private const string NewAccount = "NL91ABNA0417164300";
    private const string OldAccount = "NL66ABNA0005120099";

    private ScratchDatabase db = null!;
    private string folder = "";

    private BatchLifecycle Lifecycle => db.Services.GetRequiredService<BatchLifecycle>();

    private BatchPreparer Preparer => db.Services.GetRequiredService<BatchPreparer>();

    private BatchReview Review => db.Services.GetRequiredService<BatchReview>();

    [SetUp]
    public async Task ImportSamples()
    {
        db = ScratchDatabase.Create();
        folder = Directory.CreateTempSubdirectory("ontzorging-review-").FullName;
        await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
    }

    [TearDown]
    public async Task Drop()
    {
        await db.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Test]
    public async Task Acknowledging_an_exception_twice_changes_nothing_and_keeps_one_record()
    {
        var batch = await BatchWithExceptions();
        var exception = await db.Scalar<long>($"SELECT min(id) FROM batch_issues WHERE batch_id = {batch.Id}");

        var first = (await Lifecycle.Acknowledge(UseCaseCalls.As("bob"), batch.Id, exception)).OrThrow();
        var second = (await Lifecycle.Acknowledge(UseCaseCalls.As("bob"), batch.Id, exception)).OrThrow();

        (first.Recorded, second.Recorded).Should().Be((true, false));
        second.StillOpen.Should().Be(first.StillOpen);
        (await db.Scalar<long>($"SELECT count(*) FROM batch_issue_acknowledgements WHERE issue_id = {exception}")).Should().Be(1);
        (await db.Scalar<long>($"SELECT count(*) FROM audit_log WHERE action = 'batch.acknowledge' AND outcome = 'done'")).Should().Be(1);
    }

    [Test]
    public async Task Approval_is_refused_while_an_exception_waits_and_done_once_each_is_acknowledged_by_a_second_person()
    {
        var batch = await BatchWithExceptions();
        var exceptions = await db.Scalar<long>($"SELECT count(*) FROM batch_issues WHERE batch_id = {batch.Id}");

        var refused = await Lifecycle.Approve(UseCaseCalls.As("bob"), batch.Id);
        var byPreparer = await Lifecycle.AcknowledgeAll(UseCaseCalls.As("anna"), batch.Id);
        var acknowledged = (await Lifecycle.AcknowledgeAll(UseCaseCalls.As("bob"), batch.Id)).OrThrow();
        var approved = await Lifecycle.Approve(UseCaseCalls.As("bob"), batch.Id);

        refused.Refusal!.Code.Should().Be(RefusalCode.ExceptionsUnacknowledged);
        refused.Refusal.Parameters["open"].Should().Be((int)exceptions);
        byPreparer.Refusal!.Code.Should().Be(RefusalCode.AcknowledgedByPreparer);
        acknowledged.Should().Be((int)exceptions);
        approved.Refusal.Should().BeNull();
        (await db.Scalar<long>($"SELECT count(*) FROM audit_log WHERE action = 'batch.approve' AND outcome = 'refused'")).Should().Be(1);
    }

    [Test]
    public async Task An_acknowledgement_that_names_another_batch_than_its_exception_s_is_refused_by_the_database()
    {
        var batch = await BatchWithExceptions();
        var exception = await db.Scalar<long>($"SELECT min(id) FROM batch_issues WHERE batch_id = {batch.Id}");
        var other = await db.Scalar<long>("INSERT INTO batches (month, preparation_day, prepared_by, prepared_at) VALUES ('2026-05-01', '2026-04-24', 'anna', now()) RETURNING id");

        await using var app = new NpgsqlConnection(db.ConnectionString);
        var act = () => app.ExecuteAsync(
            $"INSERT INTO batch_issue_acknowledgements (issue_id, batch_id, acknowledged_by, acknowledged_at) VALUES ({exception}, {other}, 'bob', now())");

        (await act.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain($"belongs to batch {batch.Id}");
        (await db.Scalar<long>("SELECT count(*) FROM batch_issue_acknowledgements")).Should().Be(0);
    }

    [Test]
    public async Task A_summary_row_added_to_a_batch_after_its_preparation_is_refused_by_the_database()
    {
        var april = await Preparer.Prepare(new YearMonth(2026, 4), new LocalDate(2026, 3, 24), "anna");
        await using var app = new NpgsqlConnection(db.ConnectionString);

        var payee = () => app.ExecuteAsync($"INSERT INTO batch_payees (batch_id, payee_iban, payee_name, kind, households, amount) VALUES ({april.Id}, '{NewAccount}', 'Eneco Energie', 'energy', 1, 1.00)");
        var total = () => app.ExecuteAsync($"INSERT INTO batch_totals (batch_id, kind, execution_date, payments, amount) VALUES ({april.Id}, 'energy', '2026-04-30', 1, 1.00)");

        (await payee.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("written only by the preparation");
        (await total.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("written only by the preparation");
        (await db.Scalar<long>($"SELECT count(*) FROM batch_payees WHERE batch_id = {april.Id} AND payee_iban = '{NewAccount}'")).Should().Be(0);
    }

    [Test]
    public async Task The_approver_acknowledges_one_kind_at_once_and_each_exception_keeps_its_own_row()
    {
        var batch = await BatchWithExceptions();
        var late = await db.Scalar<long>($"SELECT count(*) FROM batch_issues WHERE batch_id = {batch.Id} AND kind = 'late_execution'");

        var done = (await Lifecycle.AcknowledgeAll(UseCaseCalls.As("bob"), batch.Id, "late_execution")).OrThrow();
        var again = (await Lifecycle.AcknowledgeAll(UseCaseCalls.As("bob"), batch.Id, "late_execution")).OrThrow();
        var view = (await Review.Show(batch.Id))!;

        (done, again).Should().Be(((int)late, 0));
        view.ExceptionKinds.Single(k => k.Kind == "late_execution").Open.Should().Be(0);
        view.Unacknowledged.Should().Be(view.ExceptionCount - (int)late);
        (await db.Scalar<long>($"SELECT count(*) FROM batch_issue_acknowledgements WHERE batch_id = {batch.Id}")).Should().Be(late);
        (await db.Scalar<long>("SELECT count(*) FROM audit_log WHERE action = 'batch.acknowledge' AND outcome = 'done'")).Should().Be(1, "once for the kind; again changed nothing");
    }

    [Test]
    public async Task An_exception_of_an_approved_batch_or_of_another_batch_is_not_acknowledged()
    {
        var batch = await BatchWithExceptions();
        await Lifecycle.Approve(batch.Id, "bob");

        var afterApproval = await Lifecycle.Acknowledge(UseCaseCalls.As("bob"), batch.Id, 1);
        var unknown = await Lifecycle.Acknowledge(UseCaseCalls.As("bob"), 999, 1);

        afterApproval.Refusal!.Code.Should().Be(RefusalCode.BatchWrongState);
        unknown.Refusal!.Code.Should().Be(RefusalCode.BatchUnknown);
    }

    [Test]
    public async Task The_preview_gives_the_preparation_s_own_figures_and_writes_nothing()
    {
        var day = new LocalDate(2026, 3, 24);
        var audit = await db.Scalar<long>("SELECT count(*) FROM audit_log");

        var preview = await Preparer.Preview(UseCaseCalls.As("anna"), new YearMonth(2026, 4), day);
        var (batches, records) = (await db.Scalar<long>("SELECT count(*) FROM batches"), await db.Scalar<long>("SELECT count(*) FROM audit_log"));
        var prepared = await Preparer.Prepare(new YearMonth(2026, 4), day, "anna");

        (batches, records).Should().Be((0, audit), "a preview writes nothing and keeps no record");
        preview.WouldPrepare.Should().BeTrue();
        (preview.Households, preview.Payments, preview.Exceptions, preview.CreditDrawn).Should().Be((prepared.Households, prepared.Payments, prepared.Issues, prepared.CreditDrawn));
        preview.Total.Should().Be(Money.FromEuros(await db.Scalar<decimal>($"SELECT sum(amount) FROM payments WHERE batch_id = {prepared.Id}")));
        preview.LateInstallments.Should().Be((int)await db.Scalar<long>($"SELECT count(*) FROM batch_issues WHERE batch_id = {prepared.Id} AND kind = 'late_execution'"));
    }

    [Test]
    public async Task A_month_prepared_long_after_its_day_needs_a_reason_in_the_preview_and_in_the_engine()
    {
        var late = new LocalDate(2026, 4, 20);

        var preview = await Preparer.Preview(UseCaseCalls.As("anna"), new YearMonth(2026, 4), late);
        var refused = await Preparer.Prepare(UseCaseCalls.As("anna"), new YearMonth(2026, 4), late);
        var withReason = await Preparer.Prepare(UseCaseCalls.As("anna"), new YearMonth(2026, 4), late, "the scheduler was down");

        (preview.ReasonRequired, preview.DaysLate, preview.Refusal!.Code).Should().Be((true, 27, RefusalCode.PreparationLate));
        preview.LateInstallments.Should().BePositive("installments due on the 1st go out late");
        refused.Refusal!.Code.Should().Be(RefusalCode.PreparationLate);
        withReason.Refusal.Should().BeNull();
        (await db.Scalar<string>("SELECT out_of_order_reason FROM batches")).Should().Be("the scheduler was down");
    }

    [Test]
    public async Task The_comparison_shows_a_changed_account_first_a_new_creditor_and_figures_that_match_the_payments()
    {
        var (april, may) = await AprilThenMayWithASecondEnergyAccount();

        var view = (await Review.Show(may.Id))!;

        var c = view.Comparison!;
        c.PreviousBatch.Should().Be(april.Id);
        c.IbanChanges.Should().ContainEquivalentOf(new IbanChange("HH-0001", "energy", "Eneco Energie", OldAccount, NewAccount, 1));
        c.IbanChanges.Should().ContainEquivalentOf(new IbanChange(null, "energy", "Eneco Energie", OldAccount, NewAccount, 1), "the creditor is paid at a second account");
        c.NewCreditors.Should().ContainSingle(n => n.Iban == NewAccount).Which.Should().BeEquivalentTo(new NewCreditor("Eneco Energie", NewAccount, 1, Money.FromEuros(140.00m)));
        c.NewCreditors.Should().NotContain(n => n.Iban == OldAccount);

        await using var connection = new NpgsqlConnection(db.ConnectionString);
        var expectedAdded = (await connection.QueryAsync<string>($"""
            SELECT h.reference FROM batch_households bh JOIN households h ON h.id = bh.household_id WHERE bh.batch_id = {may.Id}
            EXCEPT SELECT h.reference FROM batch_households bh JOIN households h ON h.id = bh.household_id WHERE bh.batch_id = {april.Id}
            """)).ToList();
        var expectedGone = (await connection.QueryAsync<string>($"""
            SELECT h.reference FROM batch_households bh JOIN households h ON h.id = bh.household_id WHERE bh.batch_id = {april.Id}
            EXCEPT SELECT h.reference FROM batch_households bh JOIN households h ON h.id = bh.household_id WHERE bh.batch_id = {may.Id}
            """)).ToList();
        (c.HouseholdsAdded, c.HouseholdsGone).Should().Be((expectedAdded.Count, expectedGone.Count));
        c.Added.Should().BeEquivalentTo(expectedAdded);
        c.Gone.Should().BeEquivalentTo(expectedGone);

        var payments = (await connection.QueryAsync<(long Batch, string Household, string Kind, decimal Amount)>(
            $"SELECT p.batch_id, h.reference, p.kind, p.amount FROM payments p JOIN households h ON h.id = p.household_id WHERE p.batch_id IN ({april.Id}, {may.Id})")).ToList();
        foreach (var kind in c.Kinds)
        {
            kind.Total.Should().Be(Money.FromEuros(payments.Where(p => p.Batch == may.Id && p.Kind == kind.Kind).Sum(p => p.Amount)), kind.Kind);
            kind.PreviousTotal.Should().Be(Money.FromEuros(payments.Where(p => p.Batch == april.Id && p.Kind == kind.Kind).Sum(p => p.Amount)), kind.Kind);
        }

        var before = payments.Where(p => p.Batch == april.Id).GroupBy(p => p.Household).ToDictionary(g => g.Key, g => g.Sum(p => p.Amount));
        var after = payments.Where(p => p.Batch == may.Id).GroupBy(p => p.Household).ToDictionary(g => g.Key, g => g.Sum(p => p.Amount));
        var moved = after.Where(a => before.TryGetValue(a.Key, out var b) && Math.Abs(a.Value - b) > b * Policy.Default.BatchChangePercent / 100).Select(a => a.Key).ToList();
        c.HouseholdsChanged.Should().Be(moved.Count);
        c.Changed.Select(m => m.Household).Should().BeEquivalentTo(moved);
        moved.Should().Contain("HH-0001", "a second energy bill of 140.00 moves its total");

        view.Funding.CreditDrawn.Should().Be(may.CreditDrawn);
        view.Funding.ExpectedBalance.Should().Be(view.Funding.AccountBalance + view.Funding.Bijstand + view.Funding.CreditDrawn - view.Funding.Payments);
    }

    [Test]
    public async Task A_kind_last_month_did_not_pay_is_compared_with_the_last_batch_that_paid_it()
    {
        const string Before = "NL02ABNA0123456789";
        const string After = "NL20INGB0001234567";
        Task Contract(string iban, string from, string? to) => ImportContract($"HH-0001,other,Stichting Schuldhulp,{iban},5.00,5,,{from},{to},2026-03-01");

        await Contract(Before, "2026-04-01", "2026-04-30");
        var april = await Preparer.Prepare(new YearMonth(2026, 4), new LocalDate(2026, 3, 24), "anna");
        await Lifecycle.Approve(april.Id, "bob");
        var may = await Preparer.Prepare(new YearMonth(2026, 5), new LocalDate(2026, 4, 24), "anna");
        await Lifecycle.Approve(may.Id, "bob");
        await Contract(After, "2026-06-01", null);
        var june = await Preparer.Prepare(new YearMonth(2026, 6), new LocalDate(2026, 5, 24), "anna");

        var paid = await db.Scalar<string>($"SELECT string_agg(DISTINCT b.month || ' ' || p.payee_iban, ', ' ORDER BY b.month || ' ' || p.payee_iban) FROM payments p JOIN batches b ON b.id = p.batch_id WHERE p.kind = 'other'");
        var c = (await Review.Show(june.Id))!.Comparison!;

        paid.Should().Be($"2026-04-01 {Before}, 2026-06-01 {After}", "the case: April and June pay the kind, May does not");
        c.PreviousBatch.Should().Be(may.Id);
        c.IbanChanges.Should().ContainEquivalentOf(new IbanChange("HH-0001", "other", "Stichting Schuldhulp", Before, After, 1));
        c.NewCreditors.Should().ContainSingle(n => n.Iban == After);
    }

    [Test]
    public async Task The_summaries_a_preparation_keeps_equal_what_its_payments_add_up_to_as_the_migration_computes_them()
    {
        var (april, may) = await AprilThenMayWithASecondEnergyAccount();

        // The definitions of migrations/0026_batch_summaries.sql's backfill, side by side with what the preparer wrote.
        var households = await db.Scalar<long>($$"""
            SELECT count(*) FROM batch_households bh
             WHERE bh.batch_id IN ({{april.Id}}, {{may.Id}})
               AND (bh.paid IS DISTINCT FROM (SELECT coalesce(sum(amount), 0) FROM payments p WHERE p.batch_id = bh.batch_id AND p.household_id = bh.household_id)
                    OR bh.accounts IS DISTINCT FROM coalesce((SELECT array_agg(a.pair ORDER BY a.pair COLLATE "C")
                          FROM (SELECT DISTINCT p.kind || ' ' || p.payee_iban AS pair FROM payments p WHERE p.batch_id = bh.batch_id AND p.household_id = bh.household_id) a), '{}'))
            """);
        var totals = await db.Scalar<long>($$"""
            SELECT count(*) FROM (
                (SELECT batch_id, kind, execution_date, count(*)::int, sum(amount) FROM payments WHERE batch_id IN ({{april.Id}}, {{may.Id}}) GROUP BY 1, 2, 3
                 EXCEPT SELECT batch_id, kind, execution_date, payments, amount FROM batch_totals)
                UNION ALL
                (SELECT batch_id, kind, execution_date, payments, amount FROM batch_totals WHERE batch_id IN ({{april.Id}}, {{may.Id}})
                 EXCEPT SELECT batch_id, kind, execution_date, count(*)::int, sum(amount) FROM payments GROUP BY 1, 2, 3)) d
            """);
        var payees = await db.Scalar<long>($$"""
            SELECT count(*) FROM (
                (SELECT batch_id, payee_iban, payee_name, min(kind COLLATE "C"), count(DISTINCT household_id)::int, sum(amount) FROM payments
                  WHERE batch_id IN ({{april.Id}}, {{may.Id}}) AND kind <> 'leefgeld' GROUP BY 1, 2, 3
                 EXCEPT SELECT batch_id, payee_iban, payee_name, kind, households, amount FROM batch_payees)
                UNION ALL
                (SELECT batch_id, payee_iban, payee_name, kind, households, amount FROM batch_payees WHERE batch_id IN ({{april.Id}}, {{may.Id}})
                 EXCEPT SELECT batch_id, payee_iban, payee_name, min(kind COLLATE "C"), count(DISTINCT household_id)::int, sum(amount) FROM payments
                  WHERE kind <> 'leefgeld' GROUP BY 1, 2, 3)) d
            """);

        (households, totals, payees).Should().Be((0, 0, 0));
        (await db.Scalar<long>($"SELECT count(*) FROM batch_payees WHERE batch_id = {may.Id} AND payee_iban = '{NewAccount}'")).Should().Be(1);
        (await db.Scalar<string>($"SELECT array_to_string(accounts, ',') FROM batch_households WHERE batch_id = {may.Id} AND household_id = (SELECT id FROM households WHERE reference = 'HH-0001')"))
            .Should().Contain($"energy {NewAccount}").And.Contain($"energy {OldAccount}");
    }

    [Test]
    public async Task The_list_pages_and_filters_batches_by_status_and_month()
    {
        var april = await Preparer.Prepare(new YearMonth(2026, 4), new LocalDate(2026, 3, 24), "anna");
        await Lifecycle.Approve(april.Id, "bob");
        await Preparer.Prepare(new YearMonth(2026, 5), new LocalDate(2026, 4, 24), "anna");

        var all = await Review.Page(new BatchFilter(PageSize: 1));
        var second = await Review.Page(new BatchFilter(Page: 2, PageSize: 1));
        var drafts = await Review.Page(new BatchFilter(Status: BatchStatus.Draft));
        var april2 = await Review.Page(new BatchFilter(From: new YearMonth(2026, 4), Through: new YearMonth(2026, 4)));

        (all.Matching, all.Pages, all.Rows.Single().Month).Should().Be((2, 2, new LocalDate(2026, 5, 1)));
        second.Rows.Single().Month.Should().Be(new LocalDate(2026, 4, 1));
        drafts.Rows.Select(r => r.Month).Should().Equal(new LocalDate(2026, 5, 1));
        april2.Rows.Single().Should().Match<BatchListRow>(r => r.Id == april.Id && r.PreparedBy == "os:anna" && r.ApprovedBy == "os:bob" && r.Households == april.Households);
    }

    [Test]
    public async Task The_schedule_shows_the_preparation_job_s_last_run_with_its_outcome_and_the_next_from_the_policy_when_no_scheduler_ran()
    {
        var runs = db.Services.GetRequiredService<Infrastructure.Monitoring.JobRuns>();
        await runs.Started("ontzorging.prepare-monthly-batch", "fire-1", "node-1", null, recovering: false, CancellationToken.None);
        await runs.Finished("fire-1", "node-1", "the database was down", CancellationToken.None);

        var schedule = await Review.Schedule();

        (schedule.LastOutcome, schedule.LastError, schedule.NextFromScheduler).Should().Be(("failed", "the database was down", false));
        var next = schedule.NextRun!.Value.InZone(DateTimeZoneProviders.Tzdb["Europe/Amsterdam"]);
        (next.Day, next.Hour, next.Minute).Should().Be((24, 6, 0));
        schedule.NextRun.Value.Should().BeGreaterThan(SystemClock.Instance.GetCurrentInstant());
    }

    /// <summary>April prepared and approved, then HH-0001 given a second energy account from May, and May prepared.</summary>
    private async Task<(PreparedBatch April, PreparedBatch May)> AprilThenMayWithASecondEnergyAccount()
    {
        var april = await Preparer.Prepare(new YearMonth(2026, 4), new LocalDate(2026, 3, 24), "anna");
        await Lifecycle.Approve(april.Id, "bob");
        await ImportContract($"HH-0001,energy,Eneco Energie,{NewAccount},140.00,15,,2026-05-01,,");
        return (april, await Preparer.Prepare(new YearMonth(2026, 5), new LocalDate(2026, 4, 24), "anna"));
    }

    /// <summary>Imports one line of contracts.csv through the intake.</summary>
    private async Task ImportContract(string line)
    {
        await File.WriteAllTextAsync(Path.Combine(folder, "contracts.csv"),
            $"household_ref,kind,creditor_name,creditor_iban,amount,due_day,reference,valid_from,valid_to,consent_on\n{line}\n");
        await db.Services.GetRequiredService<IntakeImporter>().Import(folder, "tester");
    }

    /// <summary>April prepared on 20 April: its installments due on the 1st go out late, so it has exceptions.</summary>
    private async Task<PreparedBatch> BatchWithExceptions()
    {
        var batch = await Preparer.Prepare(new YearMonth(2026, 4), new LocalDate(2026, 4, 20), "anna", "late on purpose");
        batch.Issues.Should().BePositive();
        return batch;
    }
}
