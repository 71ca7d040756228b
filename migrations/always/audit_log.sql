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

-- Issue 21: the database dates every record itself (the moment of its insert), whatever time the
-- client sends, so no role can backdate one.
CREATE OR REPLACE FUNCTION audit_log_dated_by_the_database() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.at := statement_timestamp();
    RETURN NEW;
END;
$$;
DROP TRIGGER IF EXISTS tr_audit_log_dated ON audit_log;
CREATE TRIGGER tr_audit_log_dated BEFORE INSERT ON public.audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_dated_by_the_database();
