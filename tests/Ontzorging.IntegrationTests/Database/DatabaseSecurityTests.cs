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
/// without DDL and with only the column privileges its use cases need (issue 21), the batch's
/// approval is kept by the database, and the local cluster asks every role for its password.
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
        // The engine's role may not delete an approval at all; the schema's owner is stopped by the trigger.
        var undo = () => connection.ExecuteAsync("DELETE FROM batch_approvals WHERE batch_id = @Id", new { batch.Id });
        await using var owner = new NpgsqlConnection(db.OwnerConnectionString);
        var ownerUndo = () => owner.ExecuteAsync("DELETE FROM batch_approvals WHERE batch_id = @Id", new { batch.Id });
        if (LocalCluster)
        {
            (await undo.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
        }

        (await ownerUndo.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("never changed or taken back");
    }

    [Test]
    public async Task As_the_application_role_a_batch_s_preparer_and_what_an_approved_batch_pays_cannot_be_changed()
    {
        if (!LocalCluster)
        {
            Assert.Ignore("ONTZORGING_TEST_CONNECTION names one role for everything");
        }

        await using var db = ScratchDatabase.Create();
        await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
        var batch = await db.Services.GetRequiredService<BatchPreparer>().Prepare(new NodaTime.YearMonth(2026, 4), new NodaTime.LocalDate(2026, 3, 24), "anna");
        await db.Services.GetRequiredService<BatchLifecycle>().Approve(batch.Id, "bob");
        await using var connection = new NpgsqlConnection(db.ConnectionString);

        var preparer = () => connection.ExecuteAsync("UPDATE batches SET prepared_by = 'os:x' WHERE id = @Id", new { batch.Id });
        var mallory = () => connection.ExecuteAsync("UPDATE payments SET payee_iban = 'NL91ABNA0417164300', payee_name = 'Mallory' WHERE batch_id = @Id", new { batch.Id });

        (await preparer.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
        (await mallory.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
        (await db.Scalar<string>($"SELECT prepared_by FROM batches WHERE id = {batch.Id}")).Should().Be("os:anna");
        (await db.Scalar<long>($"SELECT count(*) FROM payments WHERE batch_id = {batch.Id} AND payee_name = 'Mallory'")).Should().Be(0);
    }

    /// <summary>Quartz's job store: the scheduler's own state, written by Quartz's own SQL, so whole tables.</summary>
    private static readonly string[] QuartzTables =
    [
        "qrtz_blob_triggers", "qrtz_calendars", "qrtz_cron_triggers", "qrtz_execution_history", "qrtz_fired_triggers", "qrtz_job_details", "qrtz_job_status",
        "qrtz_locks", "qrtz_misfire_history", "qrtz_paused_job_grps", "qrtz_paused_trigger_grps", "qrtz_scheduler_state", "qrtz_simple_triggers",
        "qrtz_simprop_triggers", "qrtz_triggers",
    ];

    /// <summary>
    /// Every table and view, with exactly what the application role may do to it: its table-wide
    /// privileges, then the columns of each column privilege. The copy of <c>ApplicationGrants</c> a
    /// reviewer compares: widening the role means changing both.
    /// </summary>
    private static readonly string[] ExpectedGrants =
    [
        "arrears: DELETE, SELECT; INSERT (amount, attempt, contract_id, creditor_iban, creditor_name, due_date, household_id, kind, raised_in_batch_id, reference); UPDATE (amount, attempt, creditor_iban, paid_in_batch_id)",
        "audit_chain: SELECT",
        "audit_log: SELECT; INSERT (action, actor_name, actor_subject, after, at, before, channel, detail, municipality, outcome, target)",
        "bank_day_balances: SELECT; INSERT (account, booking_date, closing, import_id, opening); UPDATE (closing, import_id, opening)",
        "bank_imports: SELECT; INSERT (file_name, format, imported_at, imported_by, lines_added, lines_read, sha256)",
        "bank_line_entries: SELECT",
        "bank_line_payments: SELECT; INSERT (line_id, payment_id)",
        "bank_lines: SELECT; INSERT (account, amount, bank_reference, batch_ref, booking_date, counterparty_iban, counterparty_name, description, id, identity_key, import_id, occurrence, payment_id, receipt_id, reference, return_reason, returned_payment_id, status, suggested_household, suggested_kind, transfer); UPDATE (receipt_id, status)",
        "batch_approvals: SELECT; INSERT (approved_at, approved_by, batch_id)",
        "batch_exports: SELECT; INSERT (batch_id, control_sum, exported_at, exported_by, file_name, msg_id, payment_count, sha256, version)",
        "batch_households: SELECT; INSERT (accounts, arrears_open, balance_before, batch_id, bijstand, credit_drawn, credit_outstanding, credit_repaid, household_id, installments_paid, kept_back, leefgeld, minimum_leefgeld, paid, period_end, period_start, receipts)",
        "batch_issue_acknowledgements: SELECT; INSERT (acknowledged_at, acknowledged_by, batch_id, issue_id)",
        "batch_issues: SELECT; INSERT (batch_id, household_id, kind, message)",
        "batch_payees: SELECT; INSERT (amount, batch_id, households, kind, payee_iban, payee_name)",
        "batch_totals: SELECT; INSERT (amount, batch_id, execution_date, kind, payments)",
        "batches: SELECT; INSERT (month, out_of_order_reason, preparation_day, prepared_at, prepared_by); UPDATE (approved_at, approved_by, cancelled_at, cancelled_by, control_sum, exported_at, payment_count, payments_sha256, rejected_at, rejected_by, rejection_reason, status)",
        "complaint_deadline_moves: SELECT; INSERT (complaint_id, kind, new_deadline, recorded_at, recorded_by, seq, told_on)",
        "complaint_links: SELECT; INSERT (complaint_id, decision_id, kind, month, payment_id, receipt_id)",
        "complaint_remedies: SELECT; INSERT (complaint_id, decision_id, kind, note, payment_id, recorded_at, recorded_by)",
        "complaints: SELECT; INSERT (advisory_committee, channel, complainant_kind, complainant_name, conduct, description, household_id, received_on, registered_at, registered_by, staff_member, statutory_deadline, subject); UPDATE (acknowledged_by, acknowledged_on, decided_by, decided_on, findings, heard_by, hearing_held_on, hearing_note, hearing_waiver, outcome)",
        "contract_versions: SELECT; INSERT (amount, consent_on, contract_id, creditor_name, due_day, reference, valid_from, valid_to)",
        "contracts: SELECT; INSERT (creditor_iban, household_id, kind)",
        "data_protection_keys: SELECT; INSERT (friendly_name, xml)",
        "decisions: SELECT; INSERT (amount, decided_on, household_id, kind, last_day, months, reason, recorded_at, recorded_by, score)",
        "forecast_signal_runs: SELECT; INSERT (computed_at, computed_on, households, signalled); UPDATE (computed_at, households, signalled)",
        "forecast_signals: DELETE, SELECT; INSERT (computed_on, household_id, missing, month, risks)",
        "heartbeats: SELECT; INSERT (instance_id, recorded_at, scheduled_for)",
        "households: SELECT; INSERT (adults, bijstand_start, children, created_at, iban, language, leefgeld_frequency, municipality, reference); UPDATE (id)",
        "income_streams: SELECT; INSERT (amount, applied_on, from_month, household_id, kind, routed, to_month)",
        "job_requests: SELECT; INSERT (job_name, requested_at, requested_by); UPDATE (taken_at, taken_by)",
        "job_runs: SELECT; INSERT (fire_instance_id, instance_id, job_name, recovering, scheduled_for, started_at); UPDATE (error, finished_at, outcome)",
        "journal_entries: SELECT; INSERT (batch_id, description, entry_date, household_id, id, kind, recorded_at, recorded_by, source_key)",
        "journal_entry_checks: SELECT",
        "journal_lines: SELECT; INSERT (account, credit, debit, entry_id)",
        "ledger_accounts: SELECT; INSERT (cap, code, household_id, type)",
        "live_batches: SELECT",
        "migration_journal: SELECT",
        "money_signal_runs: SELECT; INSERT (added, computed_at, computed_on, found, households, resolved); UPDATE (added, computed_at, found, households, resolved)",
        "money_signals: SELECT; INSERT (actual_amount, actual_on, detail, expected_amount, expected_on, first_seen_on, household_id, kind, month, status, subject); UPDATE (actual_amount, actual_on, detail, expected_amount, expected_on, resolved_on, status, suppressed_at, suppressed_by, suppressed_reason)",
        "opening_positions: SELECT; INSERT (balance, credit_outstanding, cutover_on, household_id, imported_at, imported_by, unburdened_through)",
        "payment_status_report_lines: SELECT; INSERT (outcome, payment_id, reason_code, reason_text, report_id, status)",
        "payment_status_reports: SELECT; INSERT (accepted, batch_id, file_name, group_status, imported_at, imported_by, message_id, original_message_id, rejected, sha256, version)",
        "payments: SELECT; INSERT (amount, attempt, batch_id, contract_id, due_date, end_to_end_id, execution_date, household_id, kind, obligation, payee_iban, payee_name, reference, resends_payment_id); UPDATE (return_reason, return_source, return_taken_in_batch_id, returned_on, settled_on, status)",
        "people: SELECT; INSERT (display_name, first_seen_at, last_seen_at, subject); UPDATE (display_name, last_seen_at, person)",
        "period_end_notices: SELECT; INSERT (household_id, noticed_on, period_end)",
        "persons: SELECT; INSERT (bsn, date_of_birth, household_id, name, role)",
        .. QuartzTables.Select(t => $"{t}: DELETE, INSERT, SELECT, UPDATE"),
        "readiness_evaluations: SELECT; INSERT (evaluated_at, evaluated_on, household_id, unmet, verdict); UPDATE (evaluated_at, unmet, verdict)",
        "receipts: SELECT; INSERT (amount, covers_from, covers_to, household_id, kind, received_on, reference, routed, source); UPDATE (batch_id, booked_on, in_opening)",
        "refused_creditor_accounts: SELECT; INSERT (contract_id, payment_id, reason_code, refused_on); UPDATE (confirmed_at, confirmed_by, payment_id, reason_code, refused_on)",
        "statement_renders: SELECT; INSERT (batch_id, directory, month, rendered_at, rendered_by, statements)",
        "toeslag_flags: SELECT; INSERT (first_seen_on, household_id, kind, last_seen_on, status); UPDATE (last_seen_on)",
        "web_sessions: DELETE, SELECT; INSERT (ends_at, expires_at, key, scheme, subject, ticket); UPDATE (expires_at, ticket)",
        "write_off_bookings: SELECT; INSERT (amount, booked_on, decision_id, in_opening)",
    ];

    [Test]
    public async Task The_application_role_holds_exactly_the_privileges_its_use_cases_need_column_by_column()
    {
        if (!LocalCluster)
        {
            Assert.Ignore("ONTZORGING_TEST_CONNECTION names one role for everything");
        }

        await using var db = ScratchDatabase.Create();
        await using var connection = new NpgsqlConnection(db.ConnectionString);

        var grants = (await connection.QueryAsync<string>("""
            WITH tables AS (SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'),
                 whole AS (SELECT table_name, privilege_type FROM information_schema.role_table_grants WHERE grantee = current_user AND table_schema = 'public'),
                 columns AS (
                     SELECT c.table_name, c.privilege_type, string_agg(c.column_name, ', ' ORDER BY c.column_name) AS names
                       FROM information_schema.column_privileges c
                      WHERE c.grantee = current_user AND c.table_schema = 'public'
                        AND NOT EXISTS (SELECT 1 FROM whole w WHERE w.table_name = c.table_name AND w.privilege_type = c.privilege_type)
                      GROUP BY c.table_name, c.privilege_type)
            SELECT t.table_name || ': ' || concat_ws('; ',
                       (SELECT string_agg(w.privilege_type, ', ' ORDER BY w.privilege_type) FROM whole w WHERE w.table_name = t.table_name),
                       (SELECT string_agg(c.privilege_type || ' (' || c.names || ')', '; ' ORDER BY c.privilege_type) FROM columns c WHERE c.table_name = t.table_name))
              FROM tables t
            """)).Order(StringComparer.Ordinal).ToList();

        grants.Should().Equal(ExpectedGrants.Order(StringComparer.Ordinal));
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
