-- Bank statement lines as the auditors import them, each real transaction once: its identity is
-- account + booking date + amount + counterparty + description + its occurrence among identical
-- lines of that day, so overlapping statements add nothing twice while two genuinely identical
-- transactions on one day are both kept. Every import is logged (file, hash, who, when, counts).
CREATE TABLE bank_imports (
    id              bigint GENERATED ALWAYS AS IDENTITY,
    file_name       text        NOT NULL,
    sha256          text        NOT NULL,
    format          text        NOT NULL,
    imported_by     text        NOT NULL,
    imported_at     timestamptz NOT NULL,
    lines_read      int         NOT NULL,
    lines_added     int         NOT NULL,
    CONSTRAINT pk_bank_imports PRIMARY KEY (id),
    CONSTRAINT ck_bank_imports_counts CHECK (lines_added BETWEEN 0 AND lines_read)
);

CREATE TABLE bank_lines (
    id                  bigint GENERATED ALWAYS AS IDENTITY,
    import_id           bigint        NOT NULL,
    identity_key        text          NOT NULL,
    account             text          NOT NULL,
    booking_date        date          NOT NULL,
    amount              numeric(14,2) NOT NULL,
    counterparty_iban   text,
    counterparty_name   text          NOT NULL,
    description         text          NOT NULL,
    reference           text,
    occurrence          int           NOT NULL,
    status              text          NOT NULL DEFAULT 'unmatched',
    payment_id          bigint,
    receipt_id          bigint,
    suggested_household bigint,
    suggested_kind      text,
    CONSTRAINT pk_bank_lines PRIMARY KEY (id),
    CONSTRAINT fk_bank_lines_payment FOREIGN KEY (payment_id) REFERENCES payments (id),
    CONSTRAINT fk_bank_lines_receipt FOREIGN KEY (receipt_id) REFERENCES receipts (id),
    CONSTRAINT fk_bank_lines_suggested_household FOREIGN KEY (suggested_household) REFERENCES households (id),
    -- A matched line pays one of our payments or brings in one receipt; nothing else is "matched".
    CONSTRAINT ck_bank_lines_matched CHECK ((status = 'matched') = (num_nonnulls(payment_id, receipt_id) = 1)),
    CONSTRAINT fk_bank_lines_import FOREIGN KEY (import_id) REFERENCES bank_imports (id),
    CONSTRAINT uq_bank_lines_identity UNIQUE (identity_key),
    CONSTRAINT ck_bank_lines_occurrence CHECK (occurrence >= 1),
    CONSTRAINT ck_bank_lines_status CHECK (status IN ('unmatched', 'matched', 'suggested', 'ignored'))
);
CREATE INDEX ix_bank_lines_account_date ON bank_lines (account, booking_date);
CREATE UNIQUE INDEX ux_bank_lines_payment ON bank_lines (payment_id) WHERE payment_id IS NOT NULL;
CREATE UNIQUE INDEX ux_bank_lines_receipt ON bank_lines (receipt_id) WHERE receipt_id IS NOT NULL;
