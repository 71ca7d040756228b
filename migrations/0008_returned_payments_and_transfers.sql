-- Returned payments (storno) and the municipality's own transfers on the bank statement.
--
-- A payment the bank returns is marked returned on the day the money came back; the money is the
-- household's again (Dr bank, Cr household) until the next batch takes it into its balance. A
-- returned installment is an arrear again, to be re-sent with the next attempt number; returned
-- leefgeld is re-sent by the next batch as its own payment, also with the next attempt number.
ALTER TABLE payments
    ADD COLUMN returned_on date,
    ADD COLUMN return_reason text,
    ADD COLUMN return_taken_in_batch_id bigint,
    ADD COLUMN resends_payment_id bigint,
    ADD CONSTRAINT fk_payments_return_taken FOREIGN KEY (return_taken_in_batch_id) REFERENCES batches (id),
    ADD CONSTRAINT fk_payments_resends FOREIGN KEY (resends_payment_id) REFERENCES payments (id),
    ADD CONSTRAINT ck_payments_returned CHECK ((status = 'returned') = (returned_on IS NOT NULL)),
    ADD CONSTRAINT ck_payments_returned_after_settlement CHECK (returned_on IS NULL OR settled_on IS NOT NULL);
-- A returned payment is re-sent once (a cancelled batch frees it to be re-sent again).
CREATE UNIQUE INDEX ux_payments_resends ON payments (resends_payment_id) WHERE resends_payment_id IS NOT NULL AND status <> 'cancelled';
CREATE INDEX ix_payments_returned ON payments (household_id) WHERE status = 'returned';

ALTER TABLE arrears
    ADD COLUMN attempt smallint NOT NULL DEFAULT 1,
    ADD CONSTRAINT ck_arrears_attempt CHECK (attempt >= 1);

-- A statement line is matched when it settles one payment, brings in one receipt, returns one
-- payment, or is one of the municipality's transfers (bijstand, credit funding) booked from it.
ALTER TABLE bank_lines
    ADD COLUMN return_reason text,
    ADD COLUMN returned_payment_id bigint,
    ADD COLUMN transfer text,
    ADD CONSTRAINT fk_bank_lines_returned_payment FOREIGN KEY (returned_payment_id) REFERENCES payments (id),
    ADD CONSTRAINT ck_bank_lines_transfer CHECK (transfer IN ('bijstand', 'credit_funding')),
    DROP CONSTRAINT ck_bank_lines_matched,
    ADD CONSTRAINT ck_bank_lines_matched CHECK ((status = 'matched') = (num_nonnulls(payment_id, receipt_id, returned_payment_id, transfer) = 1));
CREATE UNIQUE INDEX ux_bank_lines_returned_payment ON bank_lines (returned_payment_id) WHERE returned_payment_id IS NOT NULL;
-- Matching looks at the lines not yet matched, however long the history of matched ones grows.
CREATE INDEX ix_bank_lines_unmatched ON bank_lines (id) WHERE status = 'unmatched';

-- The ledger entry each matched statement line produced, found by the entry's source key: a
-- settlement or a return of the line's payment, the line's receipt, or (a municipal transfer) the
-- line itself. Reconciliation follows it in both directions.
CREATE VIEW bank_line_entries AS
SELECT b.id AS line_id, b.account, b.booking_date, e.id AS entry_id
  FROM bank_lines b
  LEFT JOIN payments p ON p.id = coalesce(b.payment_id, b.returned_payment_id)
  JOIN journal_entries e ON e.source_key = CASE
       WHEN b.payment_id IS NOT NULL THEN 'settlement:' || p.end_to_end_id
       WHEN b.receipt_id IS NOT NULL THEN 'receipt:' || b.receipt_id
       WHEN b.returned_payment_id IS NOT NULL THEN 'return:' || p.end_to_end_id
       WHEN b.transfer IS NOT NULL THEN 'bank_line:' || b.id END
 WHERE b.status = 'matched';
