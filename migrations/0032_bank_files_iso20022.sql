-- Issue 25: camt.053 statements, batch bookings and pain.002 status reports (docs/rules.md §9).

-- The bank's own reference of a camt.053 entry (AcctSvcrRef); like the balance, not part of a line's identity.
-- A statement line that books a whole pain.001 batch as one amount is matched when it settles the
-- batch's payments: batch_ref names what identified the batch (PmtInfId, MsgId, or the control sum
-- and execution date), and bank_line_payments lists the payments it settled or linked.
ALTER TABLE bank_lines
    ADD COLUMN bank_reference text,
    ADD COLUMN batch_ref text,
    DROP CONSTRAINT ck_bank_lines_matched,
    ADD CONSTRAINT ck_bank_lines_matched CHECK ((status = 'matched') = (num_nonnulls(payment_id, receipt_id, returned_payment_id, transfer, batch_ref) = 1));

CREATE TABLE bank_line_payments (
    line_id     bigint NOT NULL,
    payment_id  bigint NOT NULL,
    CONSTRAINT pk_bank_line_payments PRIMARY KEY (payment_id),
    CONSTRAINT fk_bank_line_payments_line FOREIGN KEY (line_id) REFERENCES bank_lines (id),
    CONSTRAINT fk_bank_line_payments_payment FOREIGN KEY (payment_id) REFERENCES payments (id)
);
CREATE INDEX ix_bank_line_payments_line ON bank_line_payments (line_id);

-- The ledger entries of a matched line: as before, and for a batch booking the settlement of each of its payments.
CREATE OR REPLACE VIEW bank_line_entries AS
SELECT b.id AS line_id, b.account, b.booking_date, e.id AS entry_id
  FROM bank_lines b
  LEFT JOIN payments p ON p.id = coalesce(b.payment_id, b.returned_payment_id)
  JOIN journal_entries e ON e.source_key = CASE
       WHEN b.payment_id IS NOT NULL THEN 'settlement:' || p.end_to_end_id
       WHEN b.receipt_id IS NOT NULL THEN 'receipt:' || b.receipt_id
       WHEN b.returned_payment_id IS NOT NULL THEN 'return:' || p.end_to_end_id
       WHEN b.transfer IS NOT NULL THEN 'bank_line:' || b.id END
 WHERE b.status = 'matched' AND b.batch_ref IS NULL
UNION ALL
SELECT b.id, b.account, b.booking_date, e.id
  FROM bank_lines b
  JOIN bank_line_payments lp ON lp.line_id = b.id
  JOIN payments p ON p.id = lp.payment_id
  JOIN journal_entries e ON e.source_key = 'settlement:' || p.end_to_end_id
 WHERE b.status = 'matched' AND b.batch_ref IS NOT NULL;

-- A payment the bank rejected before it left (pain.002) is returned like a storno, without ever
-- having been settled: return_source says which. (NULL: a statement line, as before issue 25.)
ALTER TABLE payments
    ADD COLUMN return_source text,
    ADD CONSTRAINT ck_payments_return_source CHECK (return_source IN ('statement', 'status_report')),
    DROP CONSTRAINT ck_payments_returned_after_settlement,
    ADD CONSTRAINT ck_payments_returned_after_settlement CHECK (returned_on IS NULL OR settled_on IS NOT NULL OR return_source = 'status_report');

-- pain.002 status reports: each kept once by its MsgId, with the batch export it answers.
CREATE TABLE payment_status_reports (
    id                   bigint GENERATED ALWAYS AS IDENTITY,
    message_id           text        NOT NULL,
    version              text        NOT NULL,
    file_name            text        NOT NULL,
    sha256               text        NOT NULL,
    original_message_id  text        NOT NULL,
    batch_id             bigint      NOT NULL,
    group_status         text,
    rejected             integer     NOT NULL,
    accepted             integer     NOT NULL,
    imported_by          text        NOT NULL,
    imported_at          timestamptz NOT NULL,
    CONSTRAINT pk_payment_status_reports PRIMARY KEY (id),
    CONSTRAINT uq_payment_status_reports_message UNIQUE (message_id),
    CONSTRAINT fk_payment_status_reports_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
    CONSTRAINT ck_payment_status_reports_version CHECK (version IN ('pain.002.001.03', 'pain.002.001.10'))
);
CREATE INDEX ix_payment_status_reports_batch ON payment_status_reports (batch_id);

-- What a report said of each payment it names (or, rejected whole, of every payment of the file),
-- and what the engine did with it.
CREATE TABLE payment_status_report_lines (
    report_id    bigint NOT NULL,
    payment_id   bigint NOT NULL,
    status       text   NOT NULL,
    reason_code  text,
    reason_text  text,
    outcome      text   NOT NULL,
    CONSTRAINT pk_payment_status_report_lines PRIMARY KEY (report_id, payment_id),
    CONSTRAINT fk_payment_status_report_lines_report FOREIGN KEY (report_id) REFERENCES payment_status_reports (id),
    CONSTRAINT fk_payment_status_report_lines_payment FOREIGN KEY (payment_id) REFERENCES payments (id),
    CONSTRAINT ck_payment_status_report_lines_outcome CHECK (outcome IN ('reopened', 'accepted', 'already_reopened', 'already_settled', 'not_open'))
);
CREATE INDEX ix_payment_status_report_lines_payment ON payment_status_report_lines (payment_id);

-- A creditor account the bank refused as closed or wrong (AC04, AC01): the next batch that would
-- pay it raises an exception a person must acknowledge, until someone confirms the account.
CREATE TABLE refused_creditor_accounts (
    contract_id   bigint      NOT NULL,
    refused_on    date        NOT NULL,
    reason_code   text        NOT NULL,
    payment_id    bigint      NOT NULL,
    confirmed_by  text,
    confirmed_at  timestamptz,
    CONSTRAINT pk_refused_creditor_accounts PRIMARY KEY (contract_id),
    CONSTRAINT fk_refused_creditor_accounts_contract FOREIGN KEY (contract_id) REFERENCES contracts (id),
    CONSTRAINT fk_refused_creditor_accounts_payment FOREIGN KEY (payment_id) REFERENCES payments (id),
    CONSTRAINT ck_refused_creditor_accounts_confirmed CHECK ((confirmed_by IS NULL) = (confirmed_at IS NULL))
);
