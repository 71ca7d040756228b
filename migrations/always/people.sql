-- Issue 21: one person, one identity (docs/rules.md §14). A person acts under several subjects (an
-- OS login in the CLI, a provider subject on the site); `people.person` names the subject that
-- stands for the person. Four eyes compares persons, in the engine and in batch_approval_rules.

-- The person a subject belongs to: the subject it is linked to, or itself when it is not linked
-- (or not yet known: a subject acts before its first record is written).
CREATE OR REPLACE FUNCTION person_of(who text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT p.person FROM people p WHERE p.subject = who), who)
$$;

-- A subject starts as its own person. A link is made once and never undone or moved: only a
-- subject that stands for nobody else may be linked, only to a subject that stands for itself, and
-- a linked subject stays linked. So linking can only make two subjects one person (four eyes grows
-- stricter), never split one person into two, by any role while this trigger stands.
CREATE OR REPLACE FUNCTION people_link_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.person := coalesce(NEW.person, NEW.subject);
        IF NEW.person <> NEW.subject AND person_of(NEW.person) <> NEW.person THEN
            RAISE EXCEPTION 'subject % cannot be linked to %, which is itself linked to %', NEW.subject, NEW.person, person_of(NEW.person)
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.subject IS DISTINCT FROM OLD.subject THEN
        RAISE EXCEPTION 'a subject is never renamed (%)', OLD.subject USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.person IS DISTINCT FROM OLD.person THEN
        IF OLD.person <> OLD.subject THEN
            RAISE EXCEPTION 'subject % is linked to %; a link is never undone or moved', OLD.subject, OLD.person USING ERRCODE = 'check_violation';
        END IF;
        IF EXISTS (SELECT 1 FROM people p WHERE p.person = OLD.subject AND p.subject <> OLD.subject) THEN
            RAISE EXCEPTION 'subject % stands for other subjects; link them to it instead', OLD.subject USING ERRCODE = 'check_violation';
        END IF;
        IF person_of(NEW.person) <> NEW.person OR NOT EXISTS (SELECT 1 FROM people p WHERE p.subject = NEW.person) THEN
            RAISE EXCEPTION 'subject % can only be linked to a known subject that stands for itself, not %', OLD.subject, NEW.person
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS tr_people_link_once ON people;
CREATE TRIGGER tr_people_link_once BEFORE INSERT OR UPDATE ON public.people FOR EACH ROW EXECUTE FUNCTION people_link_once();

CREATE OR REPLACE FUNCTION people_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a person is never removed: the audit log and the batches name them' USING ERRCODE = 'check_violation';
END;
$$;
DROP TRIGGER IF EXISTS tr_people_refuse_delete ON people;
CREATE TRIGGER tr_people_refuse_delete BEFORE DELETE ON public.people FOR EACH ROW EXECUTE FUNCTION people_refuse_delete();
