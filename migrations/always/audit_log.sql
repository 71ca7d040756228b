-- The audit log is append-only (migration 0018): a row once written is never changed or removed,
-- not even by the schema owner without first dropping this trigger (which the log of DDL shows).
--
-- Repeatable: applied after the numbered migrations on every `db migrate`.
CREATE OR REPLACE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % is refused', TG_OP USING ERRCODE = 'P0001';
END;
$$;
DROP TRIGGER IF EXISTS tr_audit_log_append_only ON audit_log;
CREATE TRIGGER tr_audit_log_append_only BEFORE UPDATE OR DELETE ON public.audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
DROP TRIGGER IF EXISTS tr_audit_log_no_truncate ON audit_log;
CREATE TRIGGER tr_audit_log_no_truncate BEFORE TRUNCATE ON public.audit_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

-- Issue 21: the hash chain (migration 0020). A record's digest covers the previous record's hash
-- and every field of its own, in a fixed text form (times in UTC to the microsecond).
CREATE OR REPLACE FUNCTION audit_log_digest(previous bytea, r audit_log) RETURNS bytea LANGUAGE sql STABLE AS $$
    SELECT sha256(coalesce(previous, '\x'::bytea) || convert_to(format('%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s',
        r.id, quote_nullable(r.previous_id), to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        quote_nullable(r.actor_subject), quote_nullable(r.actor_name), quote_nullable(r.channel), quote_nullable(r.action),
        quote_nullable(r.target), quote_nullable(r.municipality), quote_nullable(r.outcome),
        quote_nullable(r.before::text), quote_nullable(r.after::text), quote_nullable(r.detail)), 'UTF8'))
$$;

-- Every insert is dated by the database (the moment of its insert, whatever time the client sends,
-- so no role can backdate a record) and joined to the chain, one at a time (the head's row lock).
-- SECURITY DEFINER: the application role may add records but never move the chain's head itself.
CREATE OR REPLACE FUNCTION audit_log_dated_and_chained() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    previous_hash bytea;
BEGIN
    NEW.at := statement_timestamp();
    INSERT INTO audit_chain (head) VALUES (true) ON CONFLICT (head) DO NOTHING;
    SELECT last_id, last_hash INTO NEW.previous_id, previous_hash FROM audit_chain WHERE head FOR UPDATE;
    NEW.hash := audit_log_digest(previous_hash, NEW);
    UPDATE audit_chain SET last_id = NEW.id, last_hash = NEW.hash WHERE head;
    RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS tr_audit_log_dated_and_chained ON audit_log;
CREATE TRIGGER tr_audit_log_dated_and_chained BEFORE INSERT ON public.audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_dated_and_chained();

-- The records that existed before the chain (migration 0020) are chained once, in id order.
DO $$
DECLARE
    r audit_log;
    previous_id bigint;
    previous_hash bytea;
BEGIN
    IF EXISTS (SELECT 1 FROM audit_log WHERE hash IS NULL) AND NOT EXISTS (SELECT 1 FROM audit_chain) THEN
        ALTER TABLE audit_log DISABLE TRIGGER tr_audit_log_append_only;
        FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
            r.previous_id := previous_id;
            r.hash := audit_log_digest(previous_hash, r);
            UPDATE audit_log SET previous_id = r.previous_id, hash = r.hash WHERE id = r.id;
            previous_id := r.id;
            previous_hash := r.hash;
        END LOOP;
        ALTER TABLE audit_log ENABLE TRIGGER tr_audit_log_append_only;
        INSERT INTO audit_chain (head, last_id, last_hash) VALUES (true, previous_id, previous_hash);
    END IF;
END;
$$;
