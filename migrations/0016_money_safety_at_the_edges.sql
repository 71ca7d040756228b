-- Money safety at the edges (issue 14): what the engine records so that a step is done once.
--
-- A write-off decision is booked once, on the first bookkeeping on or after its date, with what was
-- outstanding then. When nothing was outstanding it writes off nothing and is done: before this, a
-- write-off of "all" with no credit was tried again every day, and took credit drawn months later.
CREATE TABLE write_off_bookings (
    decision_id     bigint        NOT NULL,
    booked_on       date          NOT NULL,
    amount          numeric(12,2) NOT NULL,
    CONSTRAINT pk_write_off_bookings PRIMARY KEY (decision_id),
    CONSTRAINT fk_write_off_bookings_decision FOREIGN KEY (decision_id) REFERENCES decisions (id),
    CONSTRAINT ck_write_off_bookings_amount CHECK (amount >= 0)
);

INSERT INTO write_off_bookings (decision_id, booked_on, amount)
SELECT d.id, e.entry_date, l.debit
  FROM decisions d
  JOIN journal_entries e ON e.source_key = 'write_off:' || d.id
  JOIN journal_lines l ON l.entry_id = e.id AND l.debit > 0
 WHERE d.kind = 'write_off';

-- One month at a time (rules §6): a month prepared although an earlier month was never prepared
-- keeps the officer's reason for it.
ALTER TABLE batches ADD COLUMN out_of_order_reason text;

-- A household whose data cannot be carried through the waterfall is that batch's exception, and
-- every other household is paid.
ALTER TABLE batch_issues DROP CONSTRAINT ck_batch_issues_kind;
ALTER TABLE batch_issues ADD CONSTRAINT ck_batch_issues_kind CHECK (kind IN (
    'arrear', 'shortfall_beyond_cap', 'leefgeld_below_minimum', 'late_execution', 'invalid_creditor_account', 'overpaid_after_decision',
    'household_not_prepared'));

-- Four eyes, kept by the database: a batch becomes approved only together with its approval
-- record, written by someone other than its preparer while it is a draft. An UPDATE of the status
-- and approver alone (what a person with a database client could try) is refused, and an approval
-- is never changed or taken back.
CREATE TABLE batch_approvals (
    batch_id        bigint      NOT NULL,
    approved_by     text        NOT NULL,
    approved_at     timestamptz NOT NULL,
    CONSTRAINT pk_batch_approvals PRIMARY KEY (batch_id),
    CONSTRAINT fk_batch_approvals_batch FOREIGN KEY (batch_id) REFERENCES batches (id)
);

INSERT INTO batch_approvals (batch_id, approved_by, approved_at)
SELECT id, approved_by, coalesce(approved_at, prepared_at) FROM batches WHERE approved_by IS NOT NULL;

-- The rules themselves (functions and triggers) are in migrations/always/batches.sql.
