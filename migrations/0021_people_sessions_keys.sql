-- Issue 21: one person, one identity; sessions that end; two site instances behind one address.
--
-- A person acts under more than one subject: "os:<login>" from the CLI and "oidc:<sub>" from the
-- site. `person` names the person a subject belongs to: the subject itself until it is linked, then
-- the subject it was linked to. Four eyes compares persons (person_of, in
-- migrations/always/people.sql). A link is set once and never undone (the trigger there): linking
-- only ever makes two subjects one person, which can only make four eyes stricter.
ALTER TABLE people ADD COLUMN person text;
UPDATE people SET person = subject;
ALTER TABLE people ALTER COLUMN person SET NOT NULL;
ALTER TABLE people ADD CONSTRAINT fk_people_person FOREIGN KEY (person) REFERENCES people (subject) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX ix_people_person ON people (person);

-- The site's sessions, kept here instead of in the cookie (an ITicketStore): the cookie holds only
-- the session's random key, so signing out removes the session and a copied cookie is refused
-- afterwards, on every instance. The ticket is protected with the site's Data Protection keys.
-- `expires_at` moves with each request (the idle lifetime); `ends_at` never moves (the absolute one).
CREATE TABLE web_sessions (
    key             text        NOT NULL,
    scheme          text        NOT NULL,
    subject         text,
    ticket          bytea       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT statement_timestamp(),
    expires_at      timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    CONSTRAINT pk_web_sessions PRIMARY KEY (key),
    CONSTRAINT ck_web_sessions_key CHECK (length(key) >= 32),
    CONSTRAINT ck_web_sessions_ends CHECK (expires_at <= ends_at)
);
CREATE INDEX ix_web_sessions_ends ON web_sessions (ends_at);
CREATE INDEX ix_web_sessions_subject ON web_sessions (subject);

-- The site's Data Protection key ring (what protects its cookies, sessions and antiforgery
-- tokens), shared by every instance so a session made on one is read on another. Each key is XML
-- as ASP.NET Core writes it; in production encrypted at rest with a certificate (README).
CREATE TABLE data_protection_keys (
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    friendly_name   text        NOT NULL,
    xml             text        NOT NULL,
    stored_at       timestamptz NOT NULL DEFAULT statement_timestamp(),
    CONSTRAINT pk_data_protection_keys PRIMARY KEY (id),
    CONSTRAINT uq_data_protection_keys_name UNIQUE (friendly_name)
);
