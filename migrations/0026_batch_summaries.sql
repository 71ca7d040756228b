-- Issue 22: what the approver's page compares, kept with the batch when it is prepared, so the page
-- of a 100,000-household batch reads a few hundred summary rows and two columns per household
-- instead of sorting and hashing both months' 360,000 payments on every request.
--
-- The preparer computes them from the payments it writes, in the same transaction (BatchComparisonSummary).
-- Payments never change what they pay once written (tr_payments_what_is_paid_set_once) and leave a
-- batch only with it (tr_payments_status_follows_batch), so a summary stays true for the batch's life.
-- The application role may only add them (Database/ApplicationGrants).

-- Per household of a batch: what its payments add up to, and the accounts they pay: its distinct
-- "kind iban" pairs, sorted by code point. A household whose pairs this month are all among last
-- month's changed no account; only the pairs that are new are looked at further.
ALTER TABLE batch_households ADD COLUMN paid numeric(12,2), ADD COLUMN accounts text[];

-- Per kind and execution date of a batch: how many payments and their sum.
CREATE TABLE batch_totals (
    batch_id        bigint        NOT NULL,
    kind            text          NOT NULL,
    execution_date  date          NOT NULL,
    payments        integer       NOT NULL,
    amount          numeric(14,2) NOT NULL,
    CONSTRAINT pk_batch_totals PRIMARY KEY (batch_id, kind, execution_date),
    CONSTRAINT fk_batch_totals_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
    CONSTRAINT ck_batch_totals_positive CHECK (payments > 0)
);

-- Per creditor account and name of a batch (leefgeld, paid to the household itself, left out): the
-- first kind it was paid for (by code point), how many households, and the sum.
CREATE TABLE batch_payees (
    batch_id        bigint        NOT NULL,
    payee_iban      text          NOT NULL,
    payee_name      text          NOT NULL,
    kind            text          NOT NULL,
    households      integer       NOT NULL,
    amount          numeric(14,2) NOT NULL,
    CONSTRAINT pk_batch_payees PRIMARY KEY (batch_id, payee_iban, payee_name),
    CONSTRAINT fk_batch_payees_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
    CONSTRAINT ck_batch_payees_positive CHECK (households > 0)
);
-- "Was this account ever paid before?": one probe per account of the batch.
CREATE INDEX ix_batch_payees_iban ON batch_payees (payee_iban, batch_id);

-- The batches prepared before this migration get their summaries from their payments, as the
-- preparer would have written them. batch_households refuses every change (set once), so its
-- triggers are held off for this one backfill.
ALTER TABLE batch_households DISABLE TRIGGER USER;
CREATE TEMPORARY TABLE household_summaries ON COMMIT DROP AS
SELECT batch_id, household_id, sum(amount) AS paid,
       array_agg(DISTINCT (kind || ' ' || payee_iban) COLLATE "C" ORDER BY (kind || ' ' || payee_iban) COLLATE "C") AS accounts
  FROM payments GROUP BY batch_id, household_id;
UPDATE batch_households bh SET paid = s.paid, accounts = s.accounts
  FROM household_summaries s WHERE s.batch_id = bh.batch_id AND s.household_id = bh.household_id;
-- A household in a batch without a payment of it.
UPDATE batch_households SET paid = 0, accounts = '{}' WHERE paid IS NULL;
ALTER TABLE batch_households ENABLE TRIGGER USER;
ALTER TABLE batch_households ALTER COLUMN paid SET NOT NULL, ALTER COLUMN accounts SET NOT NULL;

INSERT INTO batch_totals (batch_id, kind, execution_date, payments, amount)
SELECT batch_id, kind, execution_date, count(*), sum(amount) FROM payments GROUP BY batch_id, kind, execution_date;

INSERT INTO batch_payees (batch_id, payee_iban, payee_name, kind, households, amount)
SELECT batch_id, payee_iban, payee_name, min(kind COLLATE "C"), count(DISTINCT household_id), sum(amount)
  FROM payments WHERE kind <> 'leefgeld' GROUP BY batch_id, payee_iban, payee_name;
