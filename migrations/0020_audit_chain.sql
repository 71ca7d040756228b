-- Issue 21: an audit trail that cannot be forged. Each record holds the hash of the record before
-- it (previous_id, hash), so a record altered, removed or slipped in afterwards, even by a superuser,
-- breaks the chain where `ontzorging audit verify` finds it. The chain's head is one row, updated
-- only by the insert trigger (migrations/always/audit_log.sql), which the application role cannot
-- touch otherwise. Records that exist already are chained in the order of their ids.
ALTER TABLE audit_log ADD COLUMN previous_id bigint, ADD COLUMN hash bytea;

CREATE TABLE audit_chain (
    head        boolean NOT NULL DEFAULT true,
    last_id     bigint,
    last_hash   bytea,
    CONSTRAINT pk_audit_chain PRIMARY KEY (head),
    CONSTRAINT ck_audit_chain_one_row CHECK (head)
);
