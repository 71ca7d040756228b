-- Issue 22: the auditors' /logboek and the administrators' /beheer.
--
-- /logboek pages the audit trail newest first by record id (a key, not an offset) under filters on
-- person, household (target), action and period. Each filter gets an index that ends in the id, so
-- a filtered page reads its rows in order from one index instead of sorting a million records.
-- These replace the (…, at) indexes of 0018, which nothing orders by any more.
CREATE INDEX ix_audit_log_actor_id ON audit_log (actor_subject, id);
CREATE INDEX ix_audit_log_target_id ON audit_log (target, id);
CREATE INDEX ix_audit_log_action_id ON audit_log (action, id);
CREATE INDEX ix_audit_log_at ON audit_log (at);
DROP INDEX ix_audit_log_target;
DROP INDEX ix_audit_log_actor;

-- "Run now" on /beheer: an administrator's request that the cluster run a scheduled job at once.
-- The request is a row written together with its audit record; a worker node takes it (taken_at,
-- taken_by) and hands the job to Quartz, so the run is the scheduler's like any other and is
-- logged in job_runs. One open request per job: asking again while it waits changes nothing.
CREATE TABLE job_requests (
    id            bigint GENERATED ALWAYS AS IDENTITY,
    job_name      text        NOT NULL,
    requested_by  text        NOT NULL,
    requested_at  timestamptz NOT NULL,
    taken_at      timestamptz,
    taken_by      text,
    CONSTRAINT pk_job_requests PRIMARY KEY (id),
    CONSTRAINT ck_job_requests_taken CHECK ((taken_at IS NULL) = (taken_by IS NULL))
);

CREATE UNIQUE INDEX ux_job_requests_open ON job_requests (job_name) WHERE taken_at IS NULL;
CREATE INDEX ix_job_requests_requested ON job_requests (requested_at DESC);
