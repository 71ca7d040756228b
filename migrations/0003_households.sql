-- Households and everything the caseworker's intake says about them: members, fixed-cost
-- contracts (effective-dated versions that may not overlap), expected income, receipts and the
-- decisions from which the period is derived. Natural keys make a re-import add nothing.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE households (
    id                  bigint GENERATED ALWAYS AS IDENTITY,
    reference           text        NOT NULL,
    municipality        text        NOT NULL,
    bijstand_start      date        NOT NULL,
    adults              smallint    NOT NULL,
    children            smallint    NOT NULL,
    iban                text        NOT NULL,
    leefgeld_frequency  text        NOT NULL,
    language            text,
    created_at          timestamptz NOT NULL,
    CONSTRAINT pk_households PRIMARY KEY (id),
    CONSTRAINT uq_households_reference UNIQUE (reference),
    CONSTRAINT ck_households_reference CHECK (reference ~ '^[A-Za-z0-9][A-Za-z0-9-]{0,15}$'),
    CONSTRAINT ck_households_municipality CHECK (municipality ~ '^GM[0-9]{4}$'),
    CONSTRAINT ck_households_adults CHECK (adults BETWEEN 1 AND 2),
    CONSTRAINT ck_households_children CHECK (children >= 0),
    CONSTRAINT ck_households_frequency CHECK (leefgeld_frequency IN ('monthly', 'weekly'))
);

-- The BSN is stored because the municipality must; the application never logs it.
CREATE TABLE persons (
    id              bigint GENERATED ALWAYS AS IDENTITY,
    household_id    bigint NOT NULL,
    bsn             text   NOT NULL,
    name            text   NOT NULL,
    date_of_birth   date   NOT NULL,
    role            text   NOT NULL,
    CONSTRAINT pk_persons PRIMARY KEY (id),
    CONSTRAINT fk_persons_household FOREIGN KEY (household_id) REFERENCES households (id),
    CONSTRAINT uq_persons_bsn UNIQUE (bsn),
    CONSTRAINT ck_persons_bsn CHECK (bsn ~ '^[0-9]{9}$'),
    CONSTRAINT ck_persons_role CHECK (role IN ('adult', 'child'))
);
CREATE INDEX ix_persons_household ON persons (household_id);

CREATE TABLE contracts (
    id              bigint GENERATED ALWAYS AS IDENTITY,
    household_id    bigint NOT NULL,
    kind            text   NOT NULL,
    creditor_iban   text   NOT NULL,
    CONSTRAINT pk_contracts PRIMARY KEY (id),
    CONSTRAINT fk_contracts_household FOREIGN KEY (household_id) REFERENCES households (id),
    CONSTRAINT uq_contracts_natural UNIQUE (household_id, kind, creditor_iban),
    CONSTRAINT ck_contracts_kind CHECK (kind IN ('rent', 'health_insurance', 'energy', 'water', 'municipal_tax', 'insurance', 'other'))
);

CREATE TABLE contract_versions (
    id              bigint GENERATED ALWAYS AS IDENTITY,
    contract_id     bigint        NOT NULL,
    creditor_name   text          NOT NULL,
    amount          numeric(12,2) NOT NULL,
    due_day         smallint      NOT NULL,
    reference       text,
    valid_from      date          NOT NULL,
    valid_to        date,
    consent_on      date,
    CONSTRAINT pk_contract_versions PRIMARY KEY (id),
    CONSTRAINT fk_contract_versions_contract FOREIGN KEY (contract_id) REFERENCES contracts (id),
    CONSTRAINT uq_contract_versions_natural UNIQUE (contract_id, valid_from),
    CONSTRAINT ck_contract_versions_amount CHECK (amount >= 0),
    CONSTRAINT ck_contract_versions_due_day CHECK (due_day BETWEEN 1 AND 31),
    CONSTRAINT ck_contract_versions_range CHECK (valid_to IS NULL OR valid_to >= valid_from),
    CONSTRAINT ex_contract_versions_overlap EXCLUDE USING gist (
        contract_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&)
);

-- Bijstand rates and expected toeslagen/kinderbijslag/other; months are stored as their first day.
CREATE TABLE income_streams (
    id              bigint GENERATED ALWAYS AS IDENTITY,
    household_id    bigint        NOT NULL,
    kind            text          NOT NULL,
    amount          numeric(12,2) NOT NULL,
    from_month      date          NOT NULL,
    to_month        date,
    routed          boolean       NOT NULL,
    applied_on      date,
    CONSTRAINT pk_income_streams PRIMARY KEY (id),
    CONSTRAINT fk_income_streams_household FOREIGN KEY (household_id) REFERENCES households (id),
    CONSTRAINT uq_income_streams_natural UNIQUE (household_id, kind, from_month),
    CONSTRAINT ck_income_streams_kind CHECK (kind IN ('bijstand', 'huurtoeslag', 'zorgtoeslag', 'kindgebonden_budget', 'kinderbijslag', 'other')),
    CONSTRAINT ck_income_streams_amount CHECK (amount >= 0),
    CONSTRAINT ck_income_streams_months CHECK (extract(day FROM from_month) = 1 AND (to_month IS NULL OR (extract(day FROM to_month) = 1 AND to_month >= from_month))),
    CONSTRAINT ck_income_streams_bijstand_routed CHECK (kind <> 'bijstand' OR routed)
);

-- Money received for a household. booked_on is set when it is booked into the ledger; batch_id
-- when a batch has taken it into its waterfall ("routed receipts booked since the last batch").
CREATE TABLE receipts (
    id              bigint GENERATED ALWAYS AS IDENTITY,
    household_id    bigint        NOT NULL,
    kind            text          NOT NULL,
    amount          numeric(12,2) NOT NULL,
    received_on     date          NOT NULL,
    covers_from     date          NOT NULL,
    covers_to       date          NOT NULL,
    reference       text,
    routed          boolean       NOT NULL,
    booked_on       date,
    batch_id        bigint,
    source          text          NOT NULL DEFAULT 'intake',
    CONSTRAINT pk_receipts PRIMARY KEY (id),
    CONSTRAINT fk_receipts_household FOREIGN KEY (household_id) REFERENCES households (id),
    CONSTRAINT ck_receipts_kind CHECK (kind IN ('huurtoeslag', 'zorgtoeslag', 'kindgebonden_budget', 'kinderbijslag', 'other')),
    CONSTRAINT ck_receipts_amount CHECK (amount >= 0),
    CONSTRAINT ck_receipts_covers CHECK (covers_to >= covers_from AND extract(day FROM covers_from) = 1 AND extract(day FROM covers_to) = 1)
);
CREATE UNIQUE INDEX ux_receipts_natural ON receipts (household_id, kind, amount, received_on, covers_from, covers_to, coalesce(reference, ''));
CREATE INDEX ix_receipts_unbatched ON receipts (household_id) WHERE batch_id IS NULL;

-- Decisions and events (who, when, why). The period, readiness and write-offs derive from them.
CREATE TABLE decisions (
    id              bigint GENERATED ALWAYS AS IDENTITY,
    household_id    bigint        NOT NULL,
    kind            text          NOT NULL,
    decided_on      date          NOT NULL,
    months          smallint,
    last_day        date,
    score           smallint,
    amount          numeric(12,2),
    reason          text,
    recorded_by     text          NOT NULL,
    recorded_at     timestamptz   NOT NULL,
    CONSTRAINT pk_decisions PRIMARY KEY (id),
    CONSTRAINT fk_decisions_household FOREIGN KEY (household_id) REFERENCES households (id),
    CONSTRAINT ck_decisions_kind CHECK (kind IN ('extension', 'bijstand_end', 'opt_out', 'zrm_score', 'training_completed', 'write_off')),
    CONSTRAINT ck_decisions_extension CHECK (kind <> 'extension' OR months BETWEEN 1 AND 12),
    CONSTRAINT ck_decisions_bijstand_end CHECK (kind <> 'bijstand_end' OR last_day IS NOT NULL),
    CONSTRAINT ck_decisions_zrm CHECK (kind <> 'zrm_score' OR score BETWEEN 1 AND 5),
    CONSTRAINT ck_decisions_reason CHECK (kind NOT IN ('opt_out', 'write_off', 'training_completed') OR coalesce(reason, '') <> ''),
    CONSTRAINT ck_decisions_amount CHECK (amount IS NULL OR amount > 0)
);
CREATE UNIQUE INDEX ux_decisions_natural ON decisions (household_id, kind, decided_on, coalesce(months, 0), coalesce(last_day, '-infinity'::date), coalesce(score, 0), coalesce(amount, -1), coalesce(reason, ''));
