-- The ledger's guards (docs/rules.md §9): every journal entry balances (checked at commit, once per
-- statement that wrote entries), account balances follow their lines, and lines are append-only.
--
-- The three trigger functions that write rows of their own (the pending balance checks, the
-- accounts' balances) are SECURITY DEFINER (issue 21): the application role adds entries and lines
-- but may not write a balance or a pending check itself (docs/rules.md §14, ApplicationGrants).
--
-- Repeatable: the migrator applies this file after the numbered migrations on every `db migrate`,
-- so it holds the one current definition of each function and trigger in it. Change them here,
-- never in a numbered migration (those stay append-only for tables).

-- From 0010_lighter_bulk_checks.sql.
CREATE OR REPLACE FUNCTION journal_entries_note_check() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off SET jit = off AS $$
DECLARE
    stray record;
BEGIN
    SELECT what, id INTO stray
      FROM (SELECT 'household' AS what, n.household_id AS id
              FROM (SELECT DISTINCT household_id FROM new_entries WHERE household_id IS NOT NULL) n
             WHERE NOT EXISTS (SELECT FROM households h WHERE h.id = n.household_id)
            UNION ALL
            SELECT 'batch', n.batch_id
              FROM (SELECT DISTINCT batch_id FROM new_entries WHERE batch_id IS NOT NULL) n
             WHERE NOT EXISTS (SELECT FROM batches b WHERE b.id = n.batch_id)) missing
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'a journal entry names % %, which does not exist', stray.what, stray.id
            USING ERRCODE = '23503';
    END IF;
    INSERT INTO journal_entry_checks (first_entry, last_entry)
    SELECT min(id), max(id) FROM new_entries HAVING count(*) > 0;
    RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS tr_journal_entries_note_check ON journal_entries;
CREATE TRIGGER tr_journal_entries_note_check AFTER INSERT ON public.journal_entries REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION journal_entries_note_check();

-- From 0009_statement_level_checks.sql.
-- One aggregate over the range, without a join: the entries of this transaction and the lines in
-- the range, grouped by entry. (Lines in the range of another transaction's entries are ignored.)
CREATE OR REPLACE FUNCTION journal_entry_checks_balanced() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    -- The id range, through the indexes, however stale the statistics of this transaction's rows.
    SET enable_seqscan = off SET jit = off AS $$
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
DROP TRIGGER IF EXISTS tr_journal_entry_checks_balanced ON journal_entry_checks;
CREATE CONSTRAINT TRIGGER tr_journal_entry_checks_balanced AFTER INSERT ON public.journal_entry_checks DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_entry_checks_balanced();

-- From 0010_lighter_bulk_checks.sql.
CREATE OR REPLACE FUNCTION journal_lines_apply_balances() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    -- Probe the referenced table's index per new row: statistics of rows written in this transaction are
    -- stale, and a plan built on them (a scan of a table thought empty) would cost far more than a probe.
    SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off SET jit = off AS $$
DECLARE
    accounts bigint;
    updated bigint;
    unknown text;
    stray record;
BEGIN
    SELECT n.entry_id, e.id IS NULL AS missing INTO stray
      FROM (SELECT DISTINCT entry_id FROM new_lines) n LEFT JOIN journal_entries e ON e.id = n.entry_id
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
DROP TRIGGER IF EXISTS tr_journal_lines_apply_balances ON journal_lines;
CREATE TRIGGER tr_journal_lines_apply_balances AFTER INSERT ON public.journal_lines REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION journal_lines_apply_balances();

-- From 0004_ledger.sql.
CREATE OR REPLACE FUNCTION journal_lines_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'journal lines are append-only; record a correcting entry instead'
        USING ERRCODE = 'P0001';
END;
$$;
DROP TRIGGER IF EXISTS tr_journal_lines_append_only ON journal_lines;
CREATE TRIGGER tr_journal_lines_append_only BEFORE DELETE OR UPDATE ON public.journal_lines FOR EACH ROW EXECUTE FUNCTION journal_lines_refuse_change();
