-- Complaints (migration 0031; docs/rules.md §19): what the engine never changes, no role can.
--
-- Repeatable: the migrator applies this file after the numbered migrations on every `db migrate`.

-- A complaint's registration is set once; each step (acknowledgement, hearing, outcome) is set once
-- and never changed or undone; nothing is added to a decided complaint but its remedies.
CREATE OR REPLACE FUNCTION complaints_steps_set_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.household_id, NEW.received_on, NEW.channel, NEW.complainant_kind, NEW.complainant_name, NEW.subject, NEW.description,
        NEW.conduct, NEW.staff_member, NEW.advisory_committee, NEW.statutory_deadline, NEW.registered_by, NEW.registered_at)
       IS DISTINCT FROM
       (OLD.household_id, OLD.received_on, OLD.channel, OLD.complainant_kind, OLD.complainant_name, OLD.subject, OLD.description,
        OLD.conduct, OLD.staff_member, OLD.advisory_committee, OLD.statutory_deadline, OLD.registered_by, OLD.registered_at) THEN
        RAISE EXCEPTION 'complaint %: what was registered is kept as it was received', OLD.id USING ERRCODE = 'P0001';
    END IF;
    IF OLD.acknowledged_on IS NOT NULL AND (NEW.acknowledged_on, NEW.acknowledged_by) IS DISTINCT FROM (OLD.acknowledged_on, OLD.acknowledged_by) THEN
        RAISE EXCEPTION 'complaint %: its acknowledgement is set once', OLD.id USING ERRCODE = 'P0001';
    END IF;
    IF OLD.heard_by IS NOT NULL AND (NEW.hearing_held_on, NEW.hearing_waiver, NEW.hearing_note, NEW.heard_by)
       IS DISTINCT FROM (OLD.hearing_held_on, OLD.hearing_waiver, OLD.hearing_note, OLD.heard_by) THEN
        RAISE EXCEPTION 'complaint %: its hearing is set once', OLD.id USING ERRCODE = 'P0001';
    END IF;
    IF OLD.outcome IS NOT NULL AND (NEW IS DISTINCT FROM OLD) THEN
        RAISE EXCEPTION 'complaint %: it was decided; nothing of it changes', OLD.id USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS tr_complaints_steps_set_once ON complaints;
CREATE TRIGGER tr_complaints_steps_set_once BEFORE UPDATE ON public.complaints FOR EACH ROW EXECUTE FUNCTION complaints_steps_set_once();

-- The money a complaint links, and a remedy's payment or decision, are the complaint's household's own.
CREATE OR REPLACE FUNCTION complaint_links_of_household() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    household bigint;
BEGIN
    SELECT household_id INTO household FROM complaints WHERE id = NEW.complaint_id;
    IF NEW.payment_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payments WHERE id = NEW.payment_id AND household_id = household)
       OR NEW.decision_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM decisions WHERE id = NEW.decision_id AND household_id = household)
       OR TG_TABLE_NAME = 'complaint_links' AND to_jsonb(NEW) ->> 'receipt_id' IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM receipts WHERE id = (to_jsonb(NEW) ->> 'receipt_id')::bigint AND household_id = household) THEN
        RAISE EXCEPTION 'complaint %: it may only name its own household''s payments, receipts and decisions', NEW.complaint_id USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS tr_complaint_links_of_household ON complaint_links;
CREATE TRIGGER tr_complaint_links_of_household BEFORE INSERT OR UPDATE ON public.complaint_links FOR EACH ROW EXECUTE FUNCTION complaint_links_of_household();
DROP TRIGGER IF EXISTS tr_complaint_remedies_of_household ON complaint_remedies;
CREATE TRIGGER tr_complaint_remedies_of_household BEFORE INSERT OR UPDATE ON public.complaint_remedies FOR EACH ROW EXECUTE FUNCTION complaint_links_of_household();

-- A decided complaint's deadline is not moved any more (Awb 9:11 ends with the decision).
CREATE OR REPLACE FUNCTION complaint_deadline_moves_while_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM complaints WHERE id = NEW.complaint_id AND decided_on IS NOT NULL) THEN
        RAISE EXCEPTION 'complaint %: it was decided; its deadline is not moved any more', NEW.complaint_id USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS tr_complaint_deadline_moves_while_open ON complaint_deadline_moves;
CREATE TRIGGER tr_complaint_deadline_moves_while_open BEFORE INSERT ON public.complaint_deadline_moves FOR EACH ROW EXECUTE FUNCTION complaint_deadline_moves_while_open();
