-- Issue 22: the batch page reads a batch's acknowledgements by the batch they name, and from now on a
-- statement-level check (migrations/always/batches.sql) refuses one that names another batch than
-- its exception's. The acknowledgements made before that check are checked here, once: a database
-- holding one that does not match stops its migration, naming it, rather than showing an approver an
-- exception as waiting that the approval counted as seen.
DO $$
DECLARE
    stray record;
BEGIN
    SELECT a.issue_id, a.batch_id, i.batch_id AS issue_batch INTO stray
      FROM batch_issue_acknowledgements a JOIN batch_issues i ON i.id = a.issue_id
     WHERE i.batch_id <> a.batch_id
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'the acknowledgement of exception % names batch %, but the exception belongs to batch %: find out how it was written before migrating',
            stray.issue_id, stray.batch_id, stray.issue_batch;
    END IF;
END;
$$;
