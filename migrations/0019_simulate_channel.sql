-- Issue 20: every write goes through one door and keeps its audit record in its own transaction,
-- including the writes of a simulation (and a benchmark) on its scratch database. Those act as
-- system subjects on a channel of their own, so the log tells them from the scheduled jobs.
ALTER TABLE audit_log DROP CONSTRAINT ck_audit_log_channel;
ALTER TABLE audit_log ADD CONSTRAINT ck_audit_log_channel CHECK (channel IN ('web', 'cli', 'job', 'simulate'));
