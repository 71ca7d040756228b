-- The same guarantees, checked once per statement instead of once per row.
--
-- A monthly batch of 100,000 households writes about 620,000 payments and 300,000 journal lines in
-- bulk. A foreign key checks (and key-share locks) its referenced row once per inserted row, and the
-- deferred balance check ran once per journal entry at commit: together well over half of the time
-- a batch took. Here each of those checks becomes one set-based query per statement:
--
-- * journal_lines → journal_entries, journal_entries → households and batches, batch_households →
--   batches and households, and payments → batch_households are checked by statement triggers that
--   probe the referenced table's key for the statement's new rows. What a foreign key also
--   guarantees, that the referenced row is never deleted or re-keyed while referenced, holds
--   because none of those referenced rows can be deleted or re-keyed at all any more: households,
--   batches, journal entries and batch households are records a municipality keeps (a batch that
--   is not sent is rejected or cancelled, a household that leaves keeps its history).
-- * the balance of every journal entry is still checked at commit (lines may be added by several
--   statements of the creating transaction), but once per statement that inserted entries: a
--   statement trigger notes the id range it inserted, and a deferred constraint trigger on that
--   note checks all entries of the range created by this transaction in one query.

-- Rows kept for the record: never deleted or renumbered --------------------------------------------

CREATE FUNCTION refuse_delete_or_rekey() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are kept for the record: they cannot be deleted or renumbered', TG_TABLE_NAME
        USING ERRCODE = 'P0001';
END;
$$;

-- Journal entries and their lines -------------------------------------------------------------------

ALTER TABLE journal_lines DROP CONSTRAINT fk_journal_lines_entry;

CREATE OR REPLACE FUNCTION journal_lines_apply_balances() RETURNS trigger LANGUAGE plpgsql
    -- Probe the referenced table's index per new row: statistics of rows written in this transaction are
    -- stale, and a plan built on them (a scan of a table thought empty) would cost far more than a probe.
    SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
    accounts bigint;
    updated bigint;
    unknown text;
    stray record;
BEGIN
    SELECT n.entry_id, e.id IS NULL AS missing INTO stray
      FROM new_lines n LEFT JOIN journal_entries e ON e.id = n.entry_id
     WHERE e.id IS NULL OR e.created_in <> pg_current_xact_id()
     LIMIT 1;
    IF FOUND AND stray.missing THEN
        RAISE EXCEPTION 'journal line names entry %, which does not exist', stray.entry_id USING ERRCODE = '23503';
    ELSIF FOUND THEN
        RAISE EXCEPTION 'journal entry % was recorded earlier; add a correcting entry instead of lines', stray.entry_id USING ERRCODE = 'P0001';
    END IF;
    -- Each account once, in its normal direction; an account that does not exist is not updated.
    WITH movement AS (SELECT account, sum(debit - credit) AS net FROM new_lines GROUP BY account),
         changed AS (UPDATE ledger_accounts a
                        SET balance = a.balance + CASE WHEN a.type IN ('asset', 'expense') THEN m.net ELSE -m.net END
                       FROM movement m
                      WHERE a.code = m.account
                     RETURNING 1)
    SELECT (SELECT count(*) FROM movement), (SELECT count(*) FROM changed) INTO accounts, updated;
    IF updated < accounts THEN
        SELECT n.account INTO unknown FROM new_lines n WHERE NOT EXISTS (SELECT FROM ledger_accounts la WHERE la.code = n.account) LIMIT 1;
        RAISE EXCEPTION 'journal line names unknown account %', unknown USING ERRCODE = '23503';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tr_journal_entries_append_only
    BEFORE UPDATE OF id OR DELETE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION refuse_delete_or_rekey();

-- One row per statement that inserted entries, removed again when it has been checked at commit.
CREATE TABLE journal_entry_checks (
    id              bigint GENERATED ALWAYS AS IDENTITY,
    first_entry     bigint NOT NULL,
    last_entry      bigint NOT NULL,
    CONSTRAINT pk_journal_entry_checks PRIMARY KEY (id)
);

ALTER TABLE journal_entries
    DROP CONSTRAINT fk_journal_entries_household,
    DROP CONSTRAINT fk_journal_entries_batch;

CREATE FUNCTION journal_entries_note_check() RETURNS trigger LANGUAGE plpgsql
    SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
    stray record;
BEGIN
    SELECT n.id, n.household_id, n.batch_id INTO stray
      FROM new_entries n
     WHERE (n.household_id IS NOT NULL AND NOT EXISTS (SELECT FROM households h WHERE h.id = n.household_id))
        OR (n.batch_id IS NOT NULL AND NOT EXISTS (SELECT FROM batches b WHERE b.id = n.batch_id))
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal entry % names household % or batch % that does not exist', stray.id, stray.household_id, stray.batch_id
            USING ERRCODE = '23503';
    END IF;
    INSERT INTO journal_entry_checks (first_entry, last_entry)
    SELECT min(id), max(id) FROM new_entries HAVING count(*) > 0;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tr_journal_entries_note_check
    AFTER INSERT ON journal_entries
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION journal_entries_note_check();

-- One aggregate over the range, without a join: the entries of this transaction and the lines in
-- the range, grouped by entry. (Lines in the range of another transaction's entries are ignored.)
CREATE FUNCTION journal_entry_checks_balanced() RETURNS trigger LANGUAGE plpgsql
    -- The id range, through the indexes, however stale the statistics of this transaction's rows.
    SET enable_seqscan = off AS $$
DECLARE
    bad record;
BEGIN
    SELECT entry_id, sum(amount) AS difference, sum(line) AS line_count INTO bad
      FROM (SELECT id AS entry_id, true AS ours, 0::numeric AS amount, 0 AS line
              FROM journal_entries
             WHERE id BETWEEN NEW.first_entry AND NEW.last_entry AND created_in = pg_current_xact_id()
            UNION ALL
            SELECT entry_id, false, debit - credit, 1
              FROM journal_lines
             WHERE entry_id BETWEEN NEW.first_entry AND NEW.last_entry) AS movements
     GROUP BY entry_id
    HAVING bool_or(ours) AND (sum(amount) <> 0 OR sum(line) < 2)
     ORDER BY entry_id
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal entry % does not balance (debits - credits = %, % lines)', bad.entry_id, bad.difference, bad.line_count
            USING ERRCODE = '23514';
    END IF;
    DELETE FROM journal_entry_checks WHERE id = NEW.id;
    RETURN NULL;
END;
$$;

DROP TRIGGER tr_journal_entries_balanced ON journal_entries;
DROP FUNCTION journal_entries_check_balanced();

CREATE CONSTRAINT TRIGGER tr_journal_entry_checks_balanced
    AFTER INSERT ON journal_entry_checks
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION journal_entry_checks_balanced();

-- Households and batches -----------------------------------------------------------------------------

CREATE TRIGGER tr_households_kept
    BEFORE UPDATE OF id OR DELETE ON households
    FOR EACH ROW EXECUTE FUNCTION refuse_delete_or_rekey();

CREATE TRIGGER tr_batches_kept
    BEFORE UPDATE OF id OR DELETE ON batches
    FOR EACH ROW EXECUTE FUNCTION refuse_delete_or_rekey();

-- Batch households and the payments that belong to them -------------------------------------------

ALTER TABLE batch_households
    DROP CONSTRAINT fk_batch_households_batch,
    DROP CONSTRAINT fk_batch_households_household;

CREATE FUNCTION batch_households_check_references() RETURNS trigger LANGUAGE plpgsql
    SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
    stray record;
BEGIN
    SELECT n.batch_id, n.household_id INTO stray
      FROM new_households n
     WHERE NOT EXISTS (SELECT FROM households h WHERE h.id = n.household_id)
        OR NOT EXISTS (SELECT FROM batches b WHERE b.id = n.batch_id)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'batch % or household % does not exist', stray.batch_id, stray.household_id
            USING ERRCODE = '23503';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tr_batch_households_references
    AFTER INSERT ON batch_households
    REFERENCING NEW TABLE AS new_households
    FOR EACH STATEMENT EXECUTE FUNCTION batch_households_check_references();

ALTER TABLE payments DROP CONSTRAINT fk_payments_batch_household;

CREATE FUNCTION payments_check_batch_household() RETURNS trigger LANGUAGE plpgsql
    -- Probe the referenced table's index per new row: statistics of rows written in this transaction are
    -- stale, and a plan built on them (a scan of a table thought empty) would cost far more than a probe.
    SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
    stray record;
BEGIN
    SELECT n.end_to_end_id, n.batch_id, n.household_id INTO stray
      FROM new_payments n
      LEFT JOIN batch_households bh ON bh.batch_id = n.batch_id AND bh.household_id = n.household_id
     WHERE bh.batch_id IS NULL
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'payment % names household % that is not in batch %', stray.end_to_end_id, stray.household_id, stray.batch_id
            USING ERRCODE = '23503';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tr_payments_in_batch_insert
    AFTER INSERT ON payments
    REFERENCING NEW TABLE AS new_payments
    FOR EACH STATEMENT EXECUTE FUNCTION payments_check_batch_household();

CREATE FUNCTION payments_refuse_rekey() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'payment % cannot move to another batch or household', OLD.end_to_end_id
        USING ERRCODE = 'P0001';
END;
$$;

CREATE TRIGGER tr_payments_keep_batch_household
    BEFORE UPDATE OF batch_id, household_id ON payments
    FOR EACH ROW WHEN (OLD.batch_id IS DISTINCT FROM NEW.batch_id OR OLD.household_id IS DISTINCT FROM NEW.household_id)
    EXECUTE FUNCTION payments_refuse_rekey();

CREATE TRIGGER tr_batch_households_append_only
    BEFORE UPDATE OF batch_id, household_id OR DELETE ON batch_households
    FOR EACH ROW EXECUTE FUNCTION refuse_delete_or_rekey();
