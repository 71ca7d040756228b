-- Issue 25 part 4: going live with an existing caseload (docs/rules.md §20). A household that was
-- unburdened outside the engine enters it with an opening position as of its cut-over date: the
-- months already done, the balance held, the credit outstanding, its open arrears and the receipts
-- already received. The engine prepares it from the month after `unburdened_through`; the balance and
-- the credit are booked once against the equity account `cutover`. A position is never changed: a
-- correction is a journal entry or a decision, as for every other fact.
CREATE TABLE opening_positions (
    household_id        bigint        NOT NULL,
    cutover_on          date          NOT NULL,
    unburdened_through  date          NOT NULL,
    balance             numeric(12,2) NOT NULL,
    credit_outstanding  numeric(12,2) NOT NULL,
    imported_by         text          NOT NULL,
    imported_at         timestamptz   NOT NULL,
    CONSTRAINT pk_opening_positions PRIMARY KEY (household_id),
    CONSTRAINT fk_opening_positions_household FOREIGN KEY (household_id) REFERENCES households (id),
    CONSTRAINT ck_opening_positions_balance CHECK (balance >= 0),
    CONSTRAINT ck_opening_positions_credit CHECK (credit_outstanding >= 0),
    CONSTRAINT ck_opening_positions_month CHECK (extract(day FROM unburdened_through) = 1)
);

-- The cut-over account: what the managed account held for households, and the credit they owed,
-- before the engine kept the ledger.
INSERT INTO ledger_accounts (code, type) VALUES ('cutover', 'equity');

-- An arrear of an opening position was raised by no batch of the engine.
ALTER TABLE arrears ALTER COLUMN raised_in_batch_id DROP NOT NULL;

-- Receipts and write-offs dated on or before their household's cut-over are in its opening
-- position: recorded (toeslag status, readiness, the statement read them), never booked again.
ALTER TABLE receipts ADD COLUMN in_opening boolean NOT NULL DEFAULT false;
ALTER TABLE write_off_bookings ADD COLUMN in_opening boolean NOT NULL DEFAULT false;
ALTER TABLE write_off_bookings ADD CONSTRAINT ck_write_off_bookings_opening CHECK (NOT in_opening OR amount = 0);
