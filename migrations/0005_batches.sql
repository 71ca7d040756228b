-- Monthly payment batches: one live batch per month, the waterfall result per household, the
-- payments (keyed by their deterministic EndToEndId) and the exceptions for the finance officer.
-- The four-eyes rule is a constraint: the approver is never the preparer. A rejected or cancelled
-- batch was never sent, so it frees its month and its payment keys for a new preparation.
CREATE TABLE batches (
    id                  bigint GENERATED ALWAYS AS IDENTITY,
    month               date        NOT NULL,
    status              text        NOT NULL DEFAULT 'draft',
    preparation_day     date        NOT NULL,
    prepared_by         text        NOT NULL,
    prepared_at         timestamptz NOT NULL,
    approved_by         text,
    approved_at         timestamptz,
    rejected_by         text,
    rejected_at         timestamptz,
    rejection_reason    text,
    cancelled_by        text,
    cancelled_at        timestamptz,
    exported_at         timestamptz,
    CONSTRAINT pk_batches PRIMARY KEY (id),
    CONSTRAINT ck_batches_month CHECK (extract(day FROM month) = 1),
    CONSTRAINT ck_batches_status CHECK (status IN ('draft', 'approved', 'exported', 'partially_settled', 'settled', 'rejected', 'cancelled')),
    CONSTRAINT ck_batches_four_eyes CHECK (approved_by IS NULL OR approved_by <> prepared_by),
    CONSTRAINT ck_batches_approved CHECK (status IN ('draft', 'rejected', 'cancelled') OR approved_by IS NOT NULL),
    CONSTRAINT ck_batches_exported CHECK (status NOT IN ('exported', 'partially_settled', 'settled') OR exported_at IS NOT NULL),
    CONSTRAINT ck_batches_never_cancel_exported CHECK (status <> 'cancelled' OR exported_at IS NULL)
);
CREATE UNIQUE INDEX ux_batches_live_month ON batches (month) WHERE status NOT IN ('rejected', 'cancelled');

ALTER TABLE receipts ADD CONSTRAINT fk_receipts_batch FOREIGN KEY (batch_id) REFERENCES batches (id);
ALTER TABLE journal_entries ADD CONSTRAINT fk_journal_entries_batch FOREIGN KEY (batch_id) REFERENCES batches (id);

CREATE TABLE batch_households (
    batch_id            bigint        NOT NULL,
    household_id        bigint        NOT NULL,
    period_start        date          NOT NULL,
    period_end          date          NOT NULL,
    balance_before      numeric(12,2) NOT NULL,
    receipts            numeric(12,2) NOT NULL,
    bijstand            numeric(12,2) NOT NULL,
    minimum_leefgeld    numeric(12,2) NOT NULL,
    credit_drawn        numeric(12,2) NOT NULL,
    installments_paid   numeric(12,2) NOT NULL,
    arrears_open        numeric(12,2) NOT NULL,
    leefgeld            numeric(12,2) NOT NULL,
    credit_repaid       numeric(12,2) NOT NULL,
    credit_outstanding  numeric(12,2) NOT NULL,
    kept_back           numeric(12,2) NOT NULL,
    CONSTRAINT pk_batch_households PRIMARY KEY (batch_id, household_id),
    CONSTRAINT fk_batch_households_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
    CONSTRAINT fk_batch_households_household FOREIGN KEY (household_id) REFERENCES households (id),
    CONSTRAINT ck_batch_households_not_negative CHECK (
        balance_before >= 0 AND receipts >= 0 AND bijstand >= 0 AND minimum_leefgeld >= 0 AND credit_drawn >= 0
        AND installments_paid >= 0 AND arrears_open >= 0 AND leefgeld >= 0 AND credit_repaid >= 0
        AND credit_outstanding >= 0 AND kept_back >= 0),
    -- Money in equals money out: nothing is lost or created by a batch.
    CONSTRAINT ck_batch_households_conserved CHECK (
        balance_before + bijstand + credit_drawn = installments_paid + leefgeld + credit_repaid + kept_back)
);
CREATE INDEX ix_batch_households_household ON batch_households (household_id);

CREATE TABLE payments (
    id                  bigint GENERATED ALWAYS AS IDENTITY,
    batch_id            bigint        NOT NULL,
    household_id        bigint        NOT NULL,
    end_to_end_id       text          NOT NULL,
    obligation          text          NOT NULL,
    attempt             smallint      NOT NULL,
    kind                text          NOT NULL,
    contract_id         bigint,
    payee_name          text          NOT NULL,
    payee_iban          text          NOT NULL,
    amount              numeric(12,2) NOT NULL,
    due_date            date,
    execution_date      date          NOT NULL,
    reference           text,
    status              text          NOT NULL DEFAULT 'open',
    settled_on          date,
    CONSTRAINT pk_payments PRIMARY KEY (id),
    -- One check per row: a payment belongs to a household that is in its batch. (Whether the batch
    -- was exported is the batch's status; a payment's own status only changes when it settles.)
    CONSTRAINT fk_payments_batch_household FOREIGN KEY (batch_id, household_id) REFERENCES batch_households (batch_id, household_id),
    CONSTRAINT ck_payments_end_to_end_id CHECK (length(end_to_end_id) <= 35),
    CONSTRAINT ck_payments_amount CHECK (amount > 0),
    CONSTRAINT ck_payments_status CHECK (status IN ('open', 'settled', 'returned', 'cancelled')),
    CONSTRAINT ck_payments_kind_contract CHECK ((kind = 'leefgeld') = (contract_id IS NULL))
);
CREATE UNIQUE INDEX ux_payments_end_to_end_id ON payments (end_to_end_id) WHERE status <> 'cancelled';
CREATE INDEX ix_payments_batch ON payments (batch_id);

-- Every pain.001 file written: a new MsgId each time, the same payments (EndToEndIds) each time,
-- so a bank refuses a file sent twice instead of paying twice.
CREATE TABLE batch_exports (
    id              bigint GENERATED ALWAYS AS IDENTITY,
    batch_id        bigint        NOT NULL,
    msg_id          text          NOT NULL,
    version         text          NOT NULL,
    file_name       text          NOT NULL,
    sha256          text          NOT NULL,
    payment_count   int           NOT NULL,
    control_sum     numeric(14,2) NOT NULL,
    exported_by     text          NOT NULL,
    exported_at     timestamptz   NOT NULL,
    CONSTRAINT pk_batch_exports PRIMARY KEY (id),
    CONSTRAINT fk_batch_exports_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
    CONSTRAINT uq_batch_exports_msg_id UNIQUE (msg_id),
    CONSTRAINT ck_batch_exports_version CHECK (version IN ('pain.001.001.09', 'pain.001.001.03'))
);
CREATE INDEX ix_payments_household ON payments (household_id);

-- Installments that did not fit: raised by one batch, paid (or still open) by a later one.
CREATE TABLE arrears (
    id                  bigint GENERATED ALWAYS AS IDENTITY,
    household_id        bigint        NOT NULL,
    contract_id         bigint        NOT NULL,
    kind                text          NOT NULL,
    creditor_name       text          NOT NULL,
    creditor_iban       text          NOT NULL,
    amount              numeric(12,2) NOT NULL,
    due_date            date          NOT NULL,
    reference           text,
    raised_in_batch_id  bigint        NOT NULL,
    paid_in_batch_id    bigint,
    CONSTRAINT pk_arrears PRIMARY KEY (id),
    CONSTRAINT fk_arrears_household FOREIGN KEY (household_id) REFERENCES households (id),
    CONSTRAINT fk_arrears_contract FOREIGN KEY (contract_id) REFERENCES contracts (id),
    CONSTRAINT fk_arrears_raised FOREIGN KEY (raised_in_batch_id) REFERENCES batches (id),
    CONSTRAINT fk_arrears_paid FOREIGN KEY (paid_in_batch_id) REFERENCES batches (id),
    CONSTRAINT uq_arrears_natural UNIQUE (contract_id, due_date),
    CONSTRAINT ck_arrears_amount CHECK (amount > 0)
);
CREATE INDEX ix_arrears_open ON arrears (household_id) WHERE paid_in_batch_id IS NULL;

CREATE TABLE batch_issues (
    id              bigint GENERATED ALWAYS AS IDENTITY,
    batch_id        bigint NOT NULL,
    household_id    bigint NOT NULL,
    kind            text   NOT NULL,
    message         text   NOT NULL,
    CONSTRAINT pk_batch_issues PRIMARY KEY (id),
    CONSTRAINT fk_batch_issues_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
    CONSTRAINT fk_batch_issues_household FOREIGN KEY (household_id) REFERENCES households (id),
    CONSTRAINT ck_batch_issues_kind CHECK (kind IN ('arrear', 'shortfall_beyond_cap', 'leefgeld_below_minimum', 'late_execution', 'invalid_creditor_account', 'overpaid_after_decision'))
);
CREATE INDEX ix_batch_issues_batch ON batch_issues (batch_id);

CREATE TABLE readiness_evaluations (
    household_id    bigint      NOT NULL,
    evaluated_on    date        NOT NULL,
    verdict         text        NOT NULL,
    unmet           text        NOT NULL,
    evaluated_at    timestamptz NOT NULL,
    CONSTRAINT pk_readiness_evaluations PRIMARY KEY (household_id, evaluated_on),
    CONSTRAINT fk_readiness_evaluations_household FOREIGN KEY (household_id) REFERENCES households (id),
    CONSTRAINT ck_readiness_evaluations_verdict CHECK (verdict IN ('in_progress', 'ready', 'not_ready'))
);
