-- Bank statement lines refer to what exists: their import, and the payment, receipt or returned
-- payment they match (checked once per statement, in one pass).
--
-- Repeatable: the migrator applies this file after the numbered migrations on every `db migrate`,
-- so it holds the one current definition of each function and trigger in it. Change them here,
-- never in a numbered migration (those stay append-only for tables).

-- From 0014_bank_line_check_in_one_pass.sql.
-- The reference check on bank statement lines reads the statement's new lines once instead of five times.
--
-- An import writes a million lines in one statement; the check of 0011 sorted all of them to find
-- the one import they name and scanned them again for each kind of reference, about 0.6 s. Now one
-- pass keeps only the lines that name something besides the import of the first line (in an
-- import: the matched and suggested lines), and the distinct references are taken from those. The
-- check still covers every line: a line naming another import is kept by that pass.
CREATE OR REPLACE FUNCTION bank_lines_check_references() RETURNS trigger LANGUAGE plpgsql
    SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off SET jit = off AS $$
DECLARE
    stray record;
BEGIN
    WITH named AS MATERIALIZED (
        SELECT import_id, payment_id, returned_payment_id, receipt_id, suggested_household
          FROM new_lines
         WHERE payment_id IS NOT NULL OR returned_payment_id IS NOT NULL OR receipt_id IS NOT NULL OR suggested_household IS NOT NULL
            OR import_id IS DISTINCT FROM (SELECT import_id FROM new_lines LIMIT 1))
    SELECT what, id INTO stray
      FROM (SELECT 'import' AS what, n.import_id AS id
              FROM (SELECT import_id FROM (SELECT import_id FROM new_lines LIMIT 1) first_line
                    UNION
                    SELECT import_id FROM named) n
             WHERE NOT EXISTS (SELECT FROM bank_imports i WHERE i.id = n.import_id)
            UNION ALL
            SELECT 'payment', n.payment_id
              FROM (SELECT DISTINCT payment_id FROM named WHERE payment_id IS NOT NULL) n
             WHERE NOT EXISTS (SELECT FROM payments p WHERE p.id = n.payment_id)
            UNION ALL
            SELECT 'returned payment', n.returned_payment_id
              FROM (SELECT DISTINCT returned_payment_id FROM named WHERE returned_payment_id IS NOT NULL) n
             WHERE NOT EXISTS (SELECT FROM payments p WHERE p.id = n.returned_payment_id)
            UNION ALL
            SELECT 'receipt', n.receipt_id
              FROM (SELECT DISTINCT receipt_id FROM named WHERE receipt_id IS NOT NULL) n
             WHERE NOT EXISTS (SELECT FROM receipts r WHERE r.id = n.receipt_id)
            UNION ALL
            SELECT 'household', n.suggested_household
              FROM (SELECT DISTINCT suggested_household FROM named WHERE suggested_household IS NOT NULL) n
             WHERE NOT EXISTS (SELECT FROM households h WHERE h.id = n.suggested_household)) missing
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'a bank statement line names % %, which does not exist', stray.what, stray.id
            USING ERRCODE = '23503';
    END IF;
    RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS tr_bank_lines_references_insert ON bank_lines;
CREATE TRIGGER tr_bank_lines_references_insert AFTER INSERT ON public.bank_lines REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION bank_lines_check_references();
DROP TRIGGER IF EXISTS tr_bank_lines_references_update ON bank_lines;
CREATE TRIGGER tr_bank_lines_references_update AFTER UPDATE ON public.bank_lines REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION bank_lines_check_references();
