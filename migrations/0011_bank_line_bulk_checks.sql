-- Bank statement lines: a smaller identity key, and references checked once per statement.
--
-- An import of a million lines spent most of its time maintaining bank_lines rather than reading
-- the file: a 64-character text key in the unique identity index, and a foreign-key check (with a
-- key-share lock on the one bank_imports row) for every line written.
--
-- * The identity key becomes a uuid holding the first 16 bytes of the same SHA-256 (the first 32
--   hex characters of the old key), so every line imported before keeps its identity and a
--   statement imported again still adds nothing. 128 bits leave no practical room for collision.
-- * The import, payment, receipt, returned payment and suggested household a line names are checked
--   by statement triggers, once per distinct value, on insert and on update (matching). The rows
--   they name are never deleted or renumbered: imports, payments and receipts are kept like the
--   households and batches of 0009.

ALTER TABLE bank_lines ALTER COLUMN identity_key TYPE uuid USING left(identity_key, 32)::uuid;

ALTER TABLE bank_lines
    DROP CONSTRAINT fk_bank_lines_import,
    DROP CONSTRAINT fk_bank_lines_payment,
    DROP CONSTRAINT fk_bank_lines_receipt,
    DROP CONSTRAINT fk_bank_lines_returned_payment,
    DROP CONSTRAINT fk_bank_lines_suggested_household;

CREATE FUNCTION bank_lines_check_references() RETURNS trigger LANGUAGE plpgsql
    SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
    stray record;
BEGIN
    SELECT what, id INTO stray
      FROM (SELECT 'import' AS what, n.import_id AS id
              FROM (SELECT DISTINCT import_id FROM new_lines) n
             WHERE NOT EXISTS (SELECT FROM bank_imports i WHERE i.id = n.import_id)
            UNION ALL
            SELECT 'payment', n.payment_id
              FROM (SELECT DISTINCT payment_id FROM new_lines WHERE payment_id IS NOT NULL) n
             WHERE NOT EXISTS (SELECT FROM payments p WHERE p.id = n.payment_id)
            UNION ALL
            SELECT 'returned payment', n.returned_payment_id
              FROM (SELECT DISTINCT returned_payment_id FROM new_lines WHERE returned_payment_id IS NOT NULL) n
             WHERE NOT EXISTS (SELECT FROM payments p WHERE p.id = n.returned_payment_id)
            UNION ALL
            SELECT 'receipt', n.receipt_id
              FROM (SELECT DISTINCT receipt_id FROM new_lines WHERE receipt_id IS NOT NULL) n
             WHERE NOT EXISTS (SELECT FROM receipts r WHERE r.id = n.receipt_id)
            UNION ALL
            SELECT 'household', n.suggested_household
              FROM (SELECT DISTINCT suggested_household FROM new_lines WHERE suggested_household IS NOT NULL) n
             WHERE NOT EXISTS (SELECT FROM households h WHERE h.id = n.suggested_household)) missing
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'a bank statement line names % %, which does not exist', stray.what, stray.id
            USING ERRCODE = '23503';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tr_bank_lines_references_insert
    AFTER INSERT ON bank_lines
    REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION bank_lines_check_references();

CREATE TRIGGER tr_bank_lines_references_update
    AFTER UPDATE ON bank_lines
    REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION bank_lines_check_references();

CREATE TRIGGER tr_bank_imports_kept
    BEFORE UPDATE OF id OR DELETE ON bank_imports
    FOR EACH ROW EXECUTE FUNCTION refuse_delete_or_rekey();

CREATE TRIGGER tr_payments_kept
    BEFORE UPDATE OF id OR DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION refuse_delete_or_rekey();

CREATE TRIGGER tr_receipts_kept
    BEFORE UPDATE OF id OR DELETE ON receipts
    FOR EACH ROW EXECUTE FUNCTION refuse_delete_or_rekey();
