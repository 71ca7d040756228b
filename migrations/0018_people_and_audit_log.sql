-- Issue 16: who acts is a person the system knows, not a typed name, and what people do and see
-- is kept in an audit log that nobody can alter.
--
-- A person is known by a stable subject id: "oidc:<sub>" from the identity provider (web sign-in)
-- or "os:<login>" from the operating system (CLI); "system:<name>" where no person acts (simulate,
-- bench, scheduled jobs). The actor columns of batches, decisions and journal entries hold this
-- subject, so four-eyes compares subject ids; display names live here, refreshed at each sign-in.
CREATE TABLE people (
    subject         text        NOT NULL,
    display_name    text        NOT NULL,
    first_seen_at   timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    CONSTRAINT pk_people PRIMARY KEY (subject),
    CONSTRAINT ck_people_subject CHECK (subject ~ '^(oidc|os|system):.+$')
);

-- Append-only: every write a person makes (with the values before and after) and every view of
-- personal data (a household page, a BSN shown in full, an export). Refused attempts are kept too.
-- The trigger in migrations/always/audit_log.sql refuses UPDATE, DELETE and TRUNCATE, and the
-- application role is granted only SELECT and INSERT (DatabaseMigrator).
CREATE TABLE audit_log (
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    at              timestamptz NOT NULL,
    actor_subject   text        NOT NULL,
    actor_name      text        NOT NULL,
    channel         text        NOT NULL,
    action          text        NOT NULL,
    target          text,
    municipality    text,
    outcome         text        NOT NULL,
    before          jsonb,
    after           jsonb,
    detail          text,
    CONSTRAINT pk_audit_log PRIMARY KEY (id),
    CONSTRAINT ck_audit_log_channel CHECK (channel IN ('web', 'cli', 'job')),
    CONSTRAINT ck_audit_log_outcome CHECK (outcome IN ('done', 'refused', 'viewed'))
);
CREATE INDEX ix_audit_log_target ON audit_log (target, at);
CREATE INDEX ix_audit_log_actor ON audit_log (actor_subject, at);
