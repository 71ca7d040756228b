-- A batch's own guards: its lines and payments refer to what exists (checked per statement), a
-- payment never moves to another batch line, and four eyes: a batch is approved only together with
-- its approval record, by someone other than its preparer (docs/rules.md §6, §9). And what four eyes
-- relies on is set once (issue 21, docs/rules.md §14): a batch's facts and digest, its households,
-- payments and exceptions as prepared, and a payment's status moves only with its batch.
--
-- Repeatable: the migrator applies this file after the numbered migrations on every `db migrate`,
-- so it holds the one current definition of each function and trigger in it. Change them here,
-- never in a numbered migration (those stay append-only for tables).

-- Issue 21: a change to a batch after its preparation is refused; a wrong batch is cancelled and
-- prepared again. Its households, payments and exceptions are written only in the transaction that
-- made the batch (batches.created_in, migration 0022), so nothing is slipped into a draft before it is
-- approved, nor into an approved batch before it is exported. Called by the statement checks below.
CREATE OR REPLACE FUNCTION batch_written_by_its_preparation(batch_ids bigint[], what text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    prepared bigint;
BEGIN
    SELECT b.id INTO prepared FROM batches b WHERE b.id = ANY(batch_ids) AND b.created_in <> pg_current_xact_id() LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'batch % was prepared earlier: its % are written only by the preparation that makes it (cancel it and prepare it again)', prepared, what
            USING ERRCODE = 'check_violation';
    END IF;
END;
$$;

-- From 0010_lighter_bulk_checks.sql.
CREATE OR REPLACE FUNCTION batch_households_check_references() RETURNS trigger LANGUAGE plpgsql
    SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off SET jit = off AS $$
DECLARE
    stray record;
BEGIN
    SELECT what, id INTO stray
      FROM (SELECT 'household' AS what, n.household_id AS id
              FROM new_households n
             WHERE NOT EXISTS (SELECT FROM households h WHERE h.id = n.household_id)
            UNION ALL
            SELECT 'batch', n.batch_id
              FROM (SELECT DISTINCT batch_id FROM new_households) n
             WHERE NOT EXISTS (SELECT FROM batches b WHERE b.id = n.batch_id)) missing
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'a batch household names % %, which does not exist', stray.what, stray.id
            USING ERRCODE = '23503';
    END IF;
    PERFORM batch_written_by_its_preparation(ARRAY(SELECT DISTINCT batch_id FROM new_households), 'households');
    RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS tr_batch_households_references ON batch_households;
CREATE TRIGGER tr_batch_households_references AFTER INSERT ON public.batch_households REFERENCING NEW TABLE AS new_households FOR EACH STATEMENT EXECUTE FUNCTION batch_households_check_references();

-- From 0010_lighter_bulk_checks.sql.
CREATE OR REPLACE FUNCTION payments_check_batch_household() RETURNS trigger LANGUAGE plpgsql
    -- Probe the referenced table's index per new row: statistics of rows written in this transaction are
    -- stale, and a plan built on them (a scan of a table thought empty) would cost far more than a probe.
    SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off SET jit = off AS $$
DECLARE
    stray record;
BEGIN
    SELECT n.batch_id, n.household_id INTO stray
      FROM (SELECT DISTINCT batch_id, household_id FROM new_payments) n
     WHERE NOT EXISTS (SELECT FROM batch_households bh WHERE bh.batch_id = n.batch_id AND bh.household_id = n.household_id)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'a payment names household % that is not in batch %', stray.household_id, stray.batch_id
            USING ERRCODE = '23503';
    END IF;
    PERFORM batch_written_by_its_preparation(ARRAY(SELECT DISTINCT batch_id FROM new_payments), 'payments');
    RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS tr_payments_in_batch_insert ON payments;
CREATE TRIGGER tr_payments_in_batch_insert AFTER INSERT ON public.payments REFERENCING NEW TABLE AS new_payments FOR EACH STATEMENT EXECUTE FUNCTION payments_check_batch_household();

-- From 0009_statement_level_checks.sql.
CREATE OR REPLACE FUNCTION payments_refuse_rekey() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'payment % cannot move to another batch or household', OLD.end_to_end_id
        USING ERRCODE = 'P0001';
END;
$$;
DROP TRIGGER IF EXISTS tr_payments_keep_batch_household ON payments;
CREATE TRIGGER tr_payments_keep_batch_household BEFORE UPDATE OF batch_id, household_id ON public.payments FOR EACH ROW WHEN (((old.batch_id IS DISTINCT FROM new.batch_id) OR (old.household_id IS DISTINCT FROM new.household_id))) EXECUTE FUNCTION payments_refuse_rekey();

-- From 0016_money_safety_at_the_edges.sql.
CREATE OR REPLACE FUNCTION batch_approval_rules() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    batch batches%ROWTYPE;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        RAISE EXCEPTION 'an approval of batch % is never changed or taken back', OLD.batch_id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    SELECT * INTO batch FROM batches WHERE id = NEW.batch_id;
    IF batch.status <> 'draft' THEN
        RAISE EXCEPTION 'batch % is %, only a draft can be approved', NEW.batch_id, batch.status USING ERRCODE = 'check_violation';
    END IF;
    -- Four eyes compares persons, not subjects: anna in the CLI and anna on the site are one person
    -- once linked (migrations/always/people.sql).
    IF person_of(batch.prepared_by) = person_of(NEW.approved_by) THEN
        RAISE EXCEPTION 'batch % was prepared by %, who as % cannot approve it (four eyes)', NEW.batch_id, batch.prepared_by, NEW.approved_by USING ERRCODE = 'check_violation';
    END IF;
    -- Issue 21: the approval keeps the digest of the payments it approves, taken here from the batch
    -- (whatever the client sends); an export writes only rows that give this digest again.
    IF batch.payments_sha256 IS NULL THEN
        RAISE EXCEPTION 'batch % was prepared before a batch kept the digest of its payments; cancel it and prepare it again', NEW.batch_id
            USING ERRCODE = 'check_violation';
    END IF;
    NEW.payment_count := batch.payment_count;
    NEW.control_sum := batch.control_sum;
    NEW.payments_sha256 := batch.payments_sha256;
    RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS tr_batch_approvals_rules ON batch_approvals;
CREATE TRIGGER tr_batch_approvals_rules BEFORE INSERT OR DELETE OR UPDATE ON public.batch_approvals FOR EACH ROW EXECUTE FUNCTION batch_approval_rules();

-- From 0016_money_safety_at_the_edges.sql.
CREATE OR REPLACE FUNCTION batch_status_needs_approval() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.approved_by IS NOT NULL AND NEW.approved_by IS DISTINCT FROM OLD.approved_by THEN
        RAISE EXCEPTION 'batch % was approved by %; an approval is never changed', OLD.id, OLD.approved_by USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.status = 'draft' AND NEW.status NOT IN ('draft', 'approved', 'rejected', 'cancelled') THEN
        RAISE EXCEPTION 'batch % is a draft; it must be approved before it is %', OLD.id, NEW.status USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.status = 'approved' AND OLD.status <> 'approved' AND NOT EXISTS (
        SELECT 1 FROM batch_approvals a WHERE a.batch_id = NEW.id AND a.approved_by = NEW.approved_by) THEN
        RAISE EXCEPTION 'batch % has no approval record by %; a batch is approved only together with its approval', NEW.id, coalesce(NEW.approved_by, '(nobody)')
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS tr_batches_status_needs_approval ON batches;
CREATE TRIGGER tr_batches_status_needs_approval BEFORE UPDATE ON public.batches FOR EACH ROW EXECUTE FUNCTION batch_status_needs_approval();

-- Issue 21: the facts four eyes relies on are set once. A batch's month, preparation day, preparer
-- and preparation time never change, for any role (the application role, and the owner as long as
-- this trigger stands), so a preparer cannot make a batch someone else's and approve it.
CREATE OR REPLACE FUNCTION batches_refuse_fact_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'batch %: its month, preparer and preparation are set once and never changed', OLD.id USING ERRCODE = 'check_violation';
END;
$$;
DROP TRIGGER IF EXISTS tr_batches_facts_set_once ON batches;
CREATE TRIGGER tr_batches_facts_set_once BEFORE UPDATE OF month, preparation_day, prepared_by, prepared_at, created_in ON public.batches FOR EACH ROW
    WHEN (old.month IS DISTINCT FROM new.month OR old.preparation_day IS DISTINCT FROM new.preparation_day
          OR old.prepared_by IS DISTINCT FROM new.prepared_by OR old.prepared_at IS DISTINCT FROM new.prepared_at
          OR old.created_in IS DISTINCT FROM new.created_in)
    EXECUTE FUNCTION batches_refuse_fact_change();

-- Issue 21: the digest of a batch's payments (count, control sum, SHA-256; docs/rules.md §14) is set
-- by the preparation that wrote them, at its end, in its own transaction, and never changed after.
CREATE OR REPLACE FUNCTION batches_digest_set_by_preparation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.payments_sha256 IS NULL AND OLD.payment_count IS NULL AND OLD.control_sum IS NULL AND OLD.created_in = pg_current_xact_id() THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'batch %: the digest of its payments is set by its preparation and never changed', OLD.id USING ERRCODE = 'check_violation';
END;
$$;
DROP TRIGGER IF EXISTS tr_batches_digest_set_once ON batches;
CREATE TRIGGER tr_batches_digest_set_once BEFORE UPDATE OF payment_count, control_sum, payments_sha256 ON public.batches FOR EACH ROW
    WHEN (old.payment_count IS DISTINCT FROM new.payment_count OR old.control_sum IS DISTINCT FROM new.control_sum
          OR old.payments_sha256 IS DISTINCT FROM new.payments_sha256)
    EXECUTE FUNCTION batches_digest_set_by_preparation();

-- Issue 21: a batch's exceptions are written by its preparation too (see batch_written_by_its_preparation).
CREATE OR REPLACE FUNCTION batch_issues_check_preparation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM batch_written_by_its_preparation(ARRAY(SELECT DISTINCT batch_id FROM new_issues), 'exceptions');
    RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS tr_batch_issues_by_preparation ON batch_issues;
CREATE TRIGGER tr_batch_issues_by_preparation AFTER INSERT ON public.batch_issues REFERENCING NEW TABLE AS new_issues FOR EACH STATEMENT EXECUTE FUNCTION batch_issues_check_preparation();

-- Issue 22: so are the summaries the batch page compares (migration 0026). A row added later (a
-- creditor's account slipped into an old batch's summary) would hide that account from "paid for
-- the first time" in every batch after it. One function for both tables; its argument names them.
CREATE OR REPLACE FUNCTION batch_summary_check_preparation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM batch_written_by_its_preparation(ARRAY(SELECT DISTINCT batch_id FROM new_rows), TG_ARGV[0]);
    RETURN NULL;
END;
$$;
DROP FUNCTION IF EXISTS batch_totals_check_preparation() CASCADE;
DROP FUNCTION IF EXISTS batch_payees_check_preparation() CASCADE;
DROP TRIGGER IF EXISTS tr_batch_totals_by_preparation ON batch_totals;
CREATE TRIGGER tr_batch_totals_by_preparation AFTER INSERT ON public.batch_totals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION batch_summary_check_preparation('totals');
DROP TRIGGER IF EXISTS tr_batch_payees_by_preparation ON batch_payees;
CREATE TRIGGER tr_batch_payees_by_preparation AFTER INSERT ON public.batch_payees REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION batch_summary_check_preparation('creditor summaries');

-- Issue 21: what the waterfall gave each household of a batch (its balance, leefgeld, credit, what it
-- keeps back for the next month) is written when the batch is prepared and never changed.
CREATE OR REPLACE FUNCTION batch_households_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'batch %: what its households were given is written when it is prepared and never changed (cancel it and prepare it again)', OLD.batch_id
        USING ERRCODE = 'check_violation';
END;
$$;
DROP TRIGGER IF EXISTS tr_batch_households_set_once ON batch_households;
CREATE TRIGGER tr_batch_households_set_once BEFORE UPDATE ON public.batch_households FOR EACH ROW EXECUTE FUNCTION batch_households_refuse_change();

-- Issue 21: what a payment pays, to whom and when is written once, when its batch is prepared, and
-- never changed: the second officer approves exactly these rows and the export writes exactly them.
-- Only its status moves (settled, returned, cancelled). A wrong payment is corrected by cancelling
-- the batch and preparing it again.
CREATE OR REPLACE FUNCTION payments_refuse_change_of_what_is_paid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'payment %: its payee, IBAN, amount, execution date, reference and EndToEndId are set when it is prepared and never changed', OLD.id
        USING ERRCODE = 'check_violation';
END;
$$;
DROP TRIGGER IF EXISTS tr_payments_what_is_paid_set_once ON payments;
CREATE TRIGGER tr_payments_what_is_paid_set_once
    BEFORE UPDATE OF payee_name, payee_iban, amount, execution_date, reference, end_to_end_id, kind ON public.payments FOR EACH ROW
    WHEN (old.payee_name IS DISTINCT FROM new.payee_name OR old.payee_iban IS DISTINCT FROM new.payee_iban OR old.amount IS DISTINCT FROM new.amount
          OR old.execution_date IS DISTINCT FROM new.execution_date OR old.reference IS DISTINCT FROM new.reference
          OR old.end_to_end_id IS DISTINCT FROM new.end_to_end_id OR old.kind IS DISTINCT FROM new.kind)
    EXECUTE FUNCTION payments_refuse_change_of_what_is_paid();

-- Issue 21: a payment's status moves only with its batch: it is settled or returned once its batch
-- is exported (issue 25: one the bank rejects in its status report goes from open to returned), and
-- cancelled together with its batch. So no payment leaves a draft or an approved
-- batch on its own (which would change what the second officer approved). Checked once per statement.
CREATE OR REPLACE FUNCTION payments_status_follows_batch() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    stray record;
BEGIN
    -- The old and new rows are paired in a CTE of their own: planned for all its rows, it hashes the
    -- two transition tables. Under the LIMIT 1 directly the planner chose a nested loop, which pairs
    -- them in quadratic time: settling a batch of 29,000 payments took over 40 s instead of half a second.
    WITH changed AS MATERIALIZED (
        SELECT n.id, n.batch_id, o.status AS was, n.status AS now
          FROM new_payments n JOIN old_payments o ON o.id = n.id
         WHERE n.status IS DISTINCT FROM o.status)
    SELECT c.id, c.batch_id, c.was, c.now, b.status AS batch_status INTO stray
      FROM changed c JOIN batches b ON b.id = c.batch_id
     WHERE NOT (((c.was, c.now) IN (('open', 'settled'), ('settled', 'returned'), ('open', 'returned')) AND b.status IN ('exported', 'partially_settled', 'settled'))
                OR ((c.was, c.now) = ('open', 'cancelled') AND b.status IN ('rejected', 'cancelled')))
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'payment % of batch % cannot go from % to % while the batch is %: a payment''s status moves only with its batch', stray.id, stray.batch_id,
            stray.was, stray.now, stray.batch_status USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS tr_payments_status_follows_batch ON payments;
CREATE TRIGGER tr_payments_status_follows_batch AFTER UPDATE ON public.payments REFERENCING OLD TABLE AS old_payments NEW TABLE AS new_payments FOR EACH STATEMENT EXECUTE FUNCTION payments_status_follows_batch();

-- Issue 22: an acknowledgement names its exception's own batch. The approver's page reads a batch's
-- acknowledgements by that batch (ix_batch_issue_acknowledgements_batch), so one naming another
-- batch would show its exception as still waiting while the approval counted it seen. Checked once
-- per statement: an approver acknowledges a kind of 60,000 exceptions in one.
CREATE OR REPLACE FUNCTION batch_issue_acknowledgements_check_batch() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    stray record;
BEGIN
    WITH added AS MATERIALIZED (SELECT issue_id, batch_id FROM new_acknowledgements)
    SELECT a.issue_id, a.batch_id, i.batch_id AS issue_batch INTO stray
      FROM added a JOIN batch_issues i ON i.id = a.issue_id
     WHERE i.batch_id <> a.batch_id
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'the acknowledgement of exception % names batch %, but the exception belongs to batch %', stray.issue_id, stray.batch_id, stray.issue_batch
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS tr_batch_issue_acknowledgements_batch ON batch_issue_acknowledgements;
CREATE TRIGGER tr_batch_issue_acknowledgements_batch AFTER INSERT ON public.batch_issue_acknowledgements REFERENCING NEW TABLE AS new_acknowledgements FOR EACH STATEMENT EXECUTE FUNCTION batch_issue_acknowledgements_check_batch();
