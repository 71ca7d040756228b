namespace Ontzorging.Infrastructure.Database;

/// <summary>
/// What the application role (the CLI, the worker and the site) may do to each table (issue 21): it
/// reads every table, but adds, changes and removes only the columns its use cases write, found by
/// reading every INSERT, COPY, UPDATE and DELETE in <c>src/</c>. So a fact the engine never changes
/// (a batch's preparer, what a payment pays, a household's data) cannot be changed with its
/// credentials either, whatever the triggers. Rows the triggers write for it (balances, the audit
/// chain, the ledger's pending checks) are written by security-definer functions instead.
/// <para>
/// Everything is revoked first and granted again on every <c>db migrate</c>, so a database migrated
/// with wider grants narrows, and a table a migration adds gets nothing until it is listed here.
/// <c>DatabaseSecurityTests</c> keeps its own copy of this list: widening it is a reviewed change in
/// both places.
/// </para>
/// </summary>
internal static class ApplicationGrants
{
    /// <summary>The grants; <c>{0}</c> is the application role, quoted as an identifier.</summary>
    public const string Sql = """
        REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {0};
        GRANT USAGE ON SCHEMA public TO {0};
        GRANT SELECT ON ALL TABLES IN SCHEMA public TO {0};
        GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {0};

        -- Intake (IntakeWriter). UPDATE (id) on households only lets a decision lock its household
        -- (FOR NO KEY UPDATE needs an UPDATE privilege); a trigger refuses any change of an id.
        GRANT INSERT (reference, municipality, bijstand_start, adults, children, iban, leefgeld_frequency, language, created_at), UPDATE (id) ON households TO {0};
        GRANT INSERT (household_id, bsn, name, date_of_birth, role) ON persons TO {0};
        GRANT INSERT (household_id, kind, creditor_iban) ON contracts TO {0};
        GRANT INSERT (contract_id, creditor_name, amount, due_day, reference, valid_from, valid_to, consent_on) ON contract_versions TO {0};
        GRANT INSERT (household_id, kind, amount, from_month, to_month, routed, applied_on) ON income_streams TO {0};
        GRANT INSERT (code, type, household_id, cap) ON ledger_accounts TO {0};

        -- Receipts: intake and bank lines add them, the bookkeeping books them, a batch takes them in
        -- and an undone batch gives them back.
        GRANT INSERT (household_id, kind, amount, received_on, covers_from, covers_to, reference, routed, source), UPDATE (booked_on, batch_id, in_opening) ON receipts TO {0};

        -- Decisions (DecisionRecorder, intake) and the write-offs they book (DailyBookkeeping).
        GRANT INSERT (household_id, kind, decided_on, months, last_day, score, amount, reason, recorded_by, recorded_at) ON decisions TO {0};
        GRANT INSERT (decision_id, booked_on, amount, in_opening) ON write_off_bookings TO {0};

        -- Opening positions (IntakeImporter, issue 25): written once, with the household's intake.
        GRANT INSERT (household_id, cutover_on, unburdened_through, balance, credit_outstanding, imported_by, imported_at) ON opening_positions TO {0};

        -- The ledger (LedgerWriter): entries and lines are only ever added.
        GRANT INSERT (id, entry_date, kind, description, household_id, batch_id, source_key, recorded_by, recorded_at) ON journal_entries TO {0};
        GRANT INSERT (entry_id, account, debit, credit) ON journal_lines TO {0};

        -- Batches (BatchPreparer, BatchLifecycle, PaymentSettlement). A batch is added as a draft; its
        -- steps move its status and name who took them; its digest is set by its preparation.
        GRANT INSERT (month, preparation_day, prepared_by, prepared_at, out_of_order_reason),
              UPDATE (status, approved_by, approved_at, rejected_by, rejected_at, rejection_reason, cancelled_by, cancelled_at, exported_at,
                      payment_count, control_sum, payments_sha256) ON batches TO {0};
        GRANT INSERT (batch_id, household_id, period_start, period_end, balance_before, receipts, bijstand, minimum_leefgeld, credit_drawn,
                      installments_paid, arrears_open, leefgeld, credit_repaid, credit_outstanding, kept_back, paid, accounts) ON batch_households TO {0};
        GRANT INSERT (batch_id, kind, execution_date, payments, amount) ON batch_totals TO {0};
        GRANT INSERT (batch_id, payee_iban, payee_name, kind, households, amount) ON batch_payees TO {0};
        GRANT INSERT (batch_id, household_id, end_to_end_id, obligation, attempt, kind, contract_id, payee_name, payee_iban, amount, due_date,
                      execution_date, reference, resends_payment_id),
              UPDATE (status, settled_on, returned_on, return_reason, return_source, return_taken_in_batch_id) ON payments TO {0};
        GRANT INSERT (batch_id, household_id, kind, message) ON batch_issues TO {0};
        GRANT INSERT (household_id, contract_id, kind, creditor_name, creditor_iban, amount, due_date, reference, attempt, raised_in_batch_id),
              UPDATE (paid_in_batch_id, attempt, amount, creditor_iban), DELETE ON arrears TO {0};
        GRANT INSERT (batch_id, approved_by, approved_at) ON batch_approvals TO {0};
        GRANT INSERT (issue_id, batch_id, acknowledged_by, acknowledged_at) ON batch_issue_acknowledgements TO {0};
        GRANT INSERT (batch_id, msg_id, version, file_name, sha256, payment_count, control_sum, exported_by, exported_at) ON batch_exports TO {0};

        -- Bank statements (BankStatementImporter, BankMatcher, IncomingMatcher).
        GRANT INSERT (file_name, sha256, format, imported_by, imported_at, lines_read, lines_added) ON bank_imports TO {0};
        GRANT INSERT (id, import_id, identity_key, account, booking_date, amount, counterparty_iban, counterparty_name, description, reference, return_reason,
                      occurrence, status, payment_id, returned_payment_id, receipt_id, transfer, suggested_household, suggested_kind, bank_reference, batch_ref),
              UPDATE (status, receipt_id) ON bank_lines TO {0};
        GRANT INSERT (line_id, payment_id) ON bank_line_payments TO {0};
        -- pain.002 status reports (PaymentStatusImporter) and the creditor accounts they refuse.
        GRANT INSERT (message_id, version, file_name, sha256, original_message_id, batch_id, group_status, rejected, accepted, imported_by, imported_at) ON payment_status_reports TO {0};
        GRANT INSERT (report_id, payment_id, status, reason_code, reason_text, outcome) ON payment_status_report_lines TO {0};
        GRANT INSERT (contract_id, refused_on, reason_code, payment_id), UPDATE (refused_on, reason_code, payment_id, confirmed_by, confirmed_at) ON refused_creditor_accounts TO {0};
        GRANT INSERT (account, booking_date, opening, closing, import_id), UPDATE (opening, closing, import_id) ON bank_day_balances TO {0};

        -- Readiness and the watches (ReadinessService, Watches).
        GRANT INSERT (household_id, evaluated_on, verdict, unmet, evaluated_at), UPDATE (verdict, unmet, evaluated_at) ON readiness_evaluations TO {0};
        GRANT INSERT (household_id, kind, status, first_seen_on, last_seen_on), UPDATE (last_seen_on) ON toeslag_flags TO {0};
        GRANT INSERT (household_id, period_end, noticed_on) ON period_end_notices TO {0};
        -- The forecast watch (ForecastSignals): a run of a day replaces that day's signals.
        GRANT INSERT (computed_on, households, signalled, computed_at), UPDATE (households, signalled, computed_at) ON forecast_signal_runs TO {0};
        GRANT INSERT (household_id, computed_on, month, risks, missing), DELETE ON forecast_signals TO {0};
        -- The money signals (MoneySignals): the watch adds, updates and resolves; a caseworker suppresses.
        GRANT INSERT (computed_on, households, found, added, resolved, computed_at), UPDATE (households, found, added, resolved, computed_at) ON money_signal_runs TO {0};
        GRANT INSERT (household_id, kind, subject, month, expected_amount, expected_on, actual_amount, actual_on, detail, status, first_seen_on),
              UPDATE (expected_amount, expected_on, actual_amount, actual_on, detail, status, resolved_on, suppressed_reason, suppressed_by, suppressed_at) ON money_signals TO {0};
        -- The monthly statements printed after an export (StatementRenderer).
        GRANT INSERT (batch_id, month, statements, directory, rendered_by, rendered_at) ON statement_renders TO {0};
        -- Complaints (Complaints): registered once, each step set once (migrations/always/complaints.sql).
        GRANT INSERT (household_id, received_on, channel, complainant_kind, complainant_name, subject, description, conduct, staff_member,
              advisory_committee, statutory_deadline, registered_by, registered_at),
              UPDATE (acknowledged_on, acknowledged_by, hearing_held_on, hearing_waiver, hearing_note, heard_by, outcome, decided_on, findings, decided_by) ON complaints TO {0};
        GRANT INSERT (complaint_id, seq, kind, new_deadline, told_on, recorded_by, recorded_at) ON complaint_deadline_moves TO {0};
        GRANT INSERT (complaint_id, kind, payment_id, receipt_id, decision_id, month) ON complaint_links TO {0};
        GRANT INSERT (complaint_id, kind, payment_id, decision_id, note, recorded_by, recorded_at) ON complaint_remedies TO {0};

        -- The scheduler's own log (JobRuns).
        GRANT INSERT (instance_id, scheduled_for, recorded_at) ON heartbeats TO {0};
        GRANT INSERT (job_name, fire_instance_id, instance_id, scheduled_for, started_at, recovering), UPDATE (finished_at, outcome, error) ON job_runs TO {0};
        -- "Run now" (JobRequests): an administrator asks, a worker node takes the request.
        GRANT INSERT (job_name, requested_by, requested_at), UPDATE (taken_at, taken_by) ON job_requests TO {0};

        -- The audit trail (AuditTrail): records are only added (the database dates and chains them);
        -- a person's name is kept current, and two subjects are linked as one person (PersonLinks;
        -- a trigger lets a link be made once and never undone).
        GRANT INSERT (at, actor_subject, actor_name, channel, action, target, municipality, outcome, before, after, detail) ON audit_log TO {0};
        GRANT INSERT (subject, display_name, first_seen_at, last_seen_at), UPDATE (display_name, last_seen_at, person) ON people TO {0};

        -- The site's sessions and its Data Protection key ring (SessionRows, KeyRingRows).
        GRANT INSERT (key, scheme, subject, ticket, expires_at, ends_at), UPDATE (ticket, expires_at), DELETE ON web_sessions TO {0};
        GRANT INSERT (friendly_name, xml) ON data_protection_keys TO {0};

        -- Quartz's job store is the scheduler's own state, written by Quartz's SQL, not ours: whole tables.
        GRANT INSERT, UPDATE, DELETE ON qrtz_blob_triggers, qrtz_calendars, qrtz_cron_triggers, qrtz_execution_history, qrtz_fired_triggers,
              qrtz_job_details, qrtz_job_status, qrtz_locks, qrtz_misfire_history, qrtz_paused_job_grps, qrtz_paused_trigger_grps,
              qrtz_scheduler_state, qrtz_simple_triggers, qrtz_simprop_triggers, qrtz_triggers TO {0};
        """;
}
