-- Rows that others refer to are kept for the record: never deleted or renumbered. With this, a
-- reference checked once when it was written stays valid (see docs/architecture.md, "Statement-level
-- checks").
--
-- Repeatable: the migrator applies this file after the numbered migrations on every `db migrate`,
-- so it holds the one current definition of each function and trigger in it. Change them here,
-- never in a numbered migration (those stay append-only for tables).

-- From 0009_statement_level_checks.sql.
CREATE OR REPLACE FUNCTION refuse_delete_or_rekey() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are kept for the record: they cannot be deleted or renumbered', TG_TABLE_NAME
        USING ERRCODE = 'P0001';
END;
$$;
DROP TRIGGER IF EXISTS tr_bank_imports_kept ON bank_imports;
CREATE TRIGGER tr_bank_imports_kept BEFORE DELETE OR UPDATE OF id ON public.bank_imports FOR EACH ROW EXECUTE FUNCTION refuse_delete_or_rekey();
DROP TRIGGER IF EXISTS tr_batch_households_append_only ON batch_households;
CREATE TRIGGER tr_batch_households_append_only BEFORE DELETE OR UPDATE OF batch_id, household_id ON public.batch_households FOR EACH ROW EXECUTE FUNCTION refuse_delete_or_rekey();
DROP TRIGGER IF EXISTS tr_batches_kept ON batches;
CREATE TRIGGER tr_batches_kept BEFORE DELETE OR UPDATE OF id ON public.batches FOR EACH ROW EXECUTE FUNCTION refuse_delete_or_rekey();
DROP TRIGGER IF EXISTS tr_households_kept ON households;
CREATE TRIGGER tr_households_kept BEFORE DELETE OR UPDATE OF id ON public.households FOR EACH ROW EXECUTE FUNCTION refuse_delete_or_rekey();
DROP TRIGGER IF EXISTS tr_journal_entries_append_only ON journal_entries;
CREATE TRIGGER tr_journal_entries_append_only BEFORE DELETE OR UPDATE OF id ON public.journal_entries FOR EACH ROW EXECUTE FUNCTION refuse_delete_or_rekey();
DROP TRIGGER IF EXISTS tr_payments_kept ON payments;
CREATE TRIGGER tr_payments_kept BEFORE DELETE OR UPDATE OF id ON public.payments FOR EACH ROW EXECUTE FUNCTION refuse_delete_or_rekey();
DROP TRIGGER IF EXISTS tr_receipts_kept ON receipts;
CREATE TRIGGER tr_receipts_kept BEFORE DELETE OR UPDATE OF id ON public.receipts FOR EACH ROW EXECUTE FUNCTION refuse_delete_or_rekey();

-- Complaints (0031): registrations, deadline moves, links and remedies are kept for the record.
DROP TRIGGER IF EXISTS tr_complaints_kept ON complaints;
CREATE TRIGGER tr_complaints_kept BEFORE DELETE ON public.complaints FOR EACH ROW EXECUTE FUNCTION refuse_delete_or_rekey();
DROP TRIGGER IF EXISTS tr_complaint_deadline_moves_kept ON complaint_deadline_moves;
CREATE TRIGGER tr_complaint_deadline_moves_kept BEFORE DELETE OR UPDATE ON public.complaint_deadline_moves FOR EACH ROW EXECUTE FUNCTION refuse_delete_or_rekey();
DROP TRIGGER IF EXISTS tr_complaint_links_kept ON complaint_links;
CREATE TRIGGER tr_complaint_links_kept BEFORE DELETE ON public.complaint_links FOR EACH ROW EXECUTE FUNCTION refuse_delete_or_rekey();
DROP TRIGGER IF EXISTS tr_complaint_remedies_kept ON complaint_remedies;
CREATE TRIGGER tr_complaint_remedies_kept BEFORE DELETE OR UPDATE ON public.complaint_remedies FOR EACH ROW EXECUTE FUNCTION refuse_delete_or_rekey();
