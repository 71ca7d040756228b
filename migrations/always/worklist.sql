-- Issue 21: two site instances behind one address. Every site keeps the caseworkers' worklist
-- computed in memory; a write to what the worklist shows, by a site, the CLI or a scheduled job,
-- announces itself on the channel `ontzorging_worklist` when its transaction commits (NOTIFY is
-- delivered only then, and once per transaction however many statements sent it), and every
-- listening site computes its list afresh (Infrastructure/Households/WorklistChanges).
CREATE OR REPLACE FUNCTION worklist_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ontzorging_worklist', '');
    RETURN NULL;
END;
$$;

-- What the worklist shows (HouseholdWorklist.Facts and HouseholdStore.Load), one trigger per table.
DROP TRIGGER IF EXISTS tr_households_worklist_changed ON households;
CREATE TRIGGER tr_households_worklist_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.households FOR EACH STATEMENT EXECUTE FUNCTION worklist_changed();
DROP TRIGGER IF EXISTS tr_persons_worklist_changed ON persons;
CREATE TRIGGER tr_persons_worklist_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.persons FOR EACH STATEMENT EXECUTE FUNCTION worklist_changed();
DROP TRIGGER IF EXISTS tr_decisions_worklist_changed ON decisions;
CREATE TRIGGER tr_decisions_worklist_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.decisions FOR EACH STATEMENT EXECUTE FUNCTION worklist_changed();
DROP TRIGGER IF EXISTS tr_income_streams_worklist_changed ON income_streams;
CREATE TRIGGER tr_income_streams_worklist_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.income_streams FOR EACH STATEMENT EXECUTE FUNCTION worklist_changed();
DROP TRIGGER IF EXISTS tr_receipts_worklist_changed ON receipts;
CREATE TRIGGER tr_receipts_worklist_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.receipts FOR EACH STATEMENT EXECUTE FUNCTION worklist_changed();
DROP TRIGGER IF EXISTS tr_arrears_worklist_changed ON arrears;
CREATE TRIGGER tr_arrears_worklist_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.arrears FOR EACH STATEMENT EXECUTE FUNCTION worklist_changed();
DROP TRIGGER IF EXISTS tr_ledger_accounts_worklist_changed ON ledger_accounts;
CREATE TRIGGER tr_ledger_accounts_worklist_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.ledger_accounts FOR EACH STATEMENT EXECUTE FUNCTION worklist_changed();
DROP TRIGGER IF EXISTS tr_readiness_evaluations_worklist_changed ON readiness_evaluations;
CREATE TRIGGER tr_readiness_evaluations_worklist_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.readiness_evaluations FOR EACH STATEMENT EXECUTE FUNCTION worklist_changed();
DROP TRIGGER IF EXISTS tr_batches_worklist_changed ON batches;
CREATE TRIGGER tr_batches_worklist_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.batches FOR EACH STATEMENT EXECUTE FUNCTION worklist_changed();
DROP TRIGGER IF EXISTS tr_batch_households_worklist_changed ON batch_households;
CREATE TRIGGER tr_batch_households_worklist_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.batch_households FOR EACH STATEMENT EXECUTE FUNCTION worklist_changed();
-- Issue 24: the money signals the worklist shows (a run of the watch, a suppression).
DROP TRIGGER IF EXISTS tr_money_signals_worklist_changed ON money_signals;
CREATE TRIGGER tr_money_signals_worklist_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.money_signals FOR EACH STATEMENT EXECUTE FUNCTION worklist_changed();
