-- Issue 22: a batch's exceptions are a worklist for its approver. Each acknowledgement (who, when)
-- is kept here, once per exception; the engine refuses an approval while one is missing
-- (BatchLifecycle.Approve, Domain's ExceptionAcknowledgements) and the preparer's own
-- acknowledgement (four eyes). Rows are never changed or removed: the application role may only
-- insert them (Database/ApplicationGrants).
CREATE TABLE batch_issue_acknowledgements (
    issue_id            bigint      NOT NULL,
    batch_id            bigint      NOT NULL,
    acknowledged_by     text        NOT NULL,
    acknowledged_at     timestamptz NOT NULL,
    CONSTRAINT pk_batch_issue_acknowledgements PRIMARY KEY (issue_id),
    CONSTRAINT fk_batch_issue_acknowledgements_issue FOREIGN KEY (issue_id) REFERENCES batch_issues (id),
    CONSTRAINT fk_batch_issue_acknowledgements_batch FOREIGN KEY (batch_id) REFERENCES batches (id)
);
CREATE INDEX ix_batch_issue_acknowledgements_batch ON batch_issue_acknowledgements (batch_id);

-- The batch page's comparison with the previous month asks, per payee account of this batch,
-- whether an earlier batch ever paid it (a creditor paid for the first time): one index probe each.
CREATE INDEX ix_payments_payee_iban ON payments (payee_iban, batch_id);
