-- Issue 24: complaints (Awb chapter 9) on the payment trail (docs/rules.md §19). A complaint is
-- registered once, and its steps (acknowledgement, hearing, outcome) are each set once by their own
-- write (migrations/always/complaints.sql keeps them so, for every role). The text is personal data:
-- it is shown only within the household's municipality and every view is audited; the audit log
-- keeps a step's codes and dates, never the complaint's words.
CREATE TABLE complaints (
    id                  bigint GENERATED ALWAYS AS IDENTITY,
    household_id        bigint        NOT NULL,
    received_on         date          NOT NULL,
    channel             text          NOT NULL,
    complainant_kind    text          NOT NULL,
    complainant_name    text          NOT NULL,
    subject             text          NOT NULL,
    description         text          NOT NULL,
    conduct             text,
    staff_member        text,
    advisory_committee  boolean       NOT NULL,
    statutory_deadline  date          NOT NULL,
    registered_by       text          NOT NULL,
    registered_at       timestamptz   NOT NULL,
    acknowledged_on     date,
    acknowledged_by     text,
    hearing_held_on     date,
    hearing_waiver      text,
    hearing_note        text,
    heard_by            text,
    outcome             text,
    decided_on          date,
    findings            text,
    decided_by          text,
    CONSTRAINT pk_complaints PRIMARY KEY (id),
    CONSTRAINT fk_complaints_household FOREIGN KEY (household_id) REFERENCES households (id),
    CONSTRAINT ck_complaints_channel CHECK (channel IN ('letter', 'email', 'counter', 'phone', 'representative')),
    CONSTRAINT ck_complaints_complainant CHECK (complainant_kind IN ('member', 'representative')),
    CONSTRAINT ck_complaints_subject CHECK (subject IN ('payment', 'leefgeld', 'credit', 'income', 'decision', 'conduct', 'other')),
    CONSTRAINT ck_complaints_deadline CHECK (statutory_deadline > received_on),
    CONSTRAINT ck_complaints_acknowledged CHECK ((acknowledged_on IS NULL) = (acknowledged_by IS NULL) AND (acknowledged_on IS NULL OR acknowledged_on >= received_on)),
    CONSTRAINT ck_complaints_hearing CHECK (
        (hearing_held_on IS NULL OR hearing_waiver IS NULL)
        AND (heard_by IS NULL) = (hearing_held_on IS NULL AND hearing_waiver IS NULL)
        AND (hearing_waiver IS NULL OR hearing_waiver IN ('clearly_unfounded', 'complainant_declined', 'no_response'))
        AND (hearing_held_on IS NULL OR hearing_held_on >= received_on)),
    CONSTRAINT ck_complaints_outcome CHECK (
        (outcome IS NULL) = (decided_on IS NULL) AND (outcome IS NULL) = (decided_by IS NULL)
        AND (outcome IS NULL OR (findings IS NOT NULL AND length(btrim(findings)) > 0))
        AND (outcome IS NULL OR outcome IN ('well_founded', 'partly_well_founded', 'unfounded', 'withdrawn'))
        AND (decided_on IS NULL OR decided_on >= received_on)),
    -- Awb 9:10: heard, or the hearing waived, before a decision; a withdrawn complaint is not decided on.
    CONSTRAINT ck_complaints_heard_before_decided CHECK (outcome IS NULL OR outcome = 'withdrawn' OR heard_by IS NOT NULL),
    CONSTRAINT ck_complaints_decided_after_hearing CHECK (decided_on IS NULL OR hearing_held_on IS NULL OR decided_on >= hearing_held_on)
);
-- The same complaint sent twice (a form submitted again) is registered once.
CREATE UNIQUE INDEX ux_complaints_same ON complaints (household_id, received_on, channel, complainant_name, subject, md5(description));
CREATE INDEX ix_complaints_household ON complaints (household_id);
CREATE INDEX ix_complaints_open ON complaints (received_on) WHERE decided_on IS NULL;
CREATE INDEX ix_complaints_received ON complaints (received_on);

-- Each move of the deadline: the municipality's one postponement (Awb 9:11(2), the unique index
-- holds it to one), then only delays the complainant agreed to in writing, with that day.
CREATE TABLE complaint_deadline_moves (
    complaint_id  bigint        NOT NULL,
    seq           smallint      NOT NULL,
    kind          text          NOT NULL,
    new_deadline  date          NOT NULL,
    told_on       date          NOT NULL,
    recorded_by   text          NOT NULL,
    recorded_at   timestamptz   NOT NULL,
    CONSTRAINT pk_complaint_deadline_moves PRIMARY KEY (complaint_id, seq),
    CONSTRAINT fk_complaint_deadline_moves_complaint FOREIGN KEY (complaint_id) REFERENCES complaints (id),
    CONSTRAINT ck_complaint_deadline_moves_kind CHECK (kind IN ('postponement', 'consent')),
    CONSTRAINT ck_complaint_deadline_moves_seq CHECK (seq >= 1 AND (kind = 'consent' OR seq = 1))
);
CREATE UNIQUE INDEX ux_complaint_deadline_moves_postponement ON complaint_deadline_moves (complaint_id) WHERE kind = 'postponement';

-- The money a complaint is about: the household's own payments, receipts, months and decisions.
CREATE TABLE complaint_links (
    complaint_id  bigint  NOT NULL,
    kind          text    NOT NULL,
    payment_id    bigint,
    receipt_id    bigint,
    decision_id   bigint,
    month         date,
    CONSTRAINT fk_complaint_links_complaint FOREIGN KEY (complaint_id) REFERENCES complaints (id),
    CONSTRAINT fk_complaint_links_payment FOREIGN KEY (payment_id) REFERENCES payments (id),
    CONSTRAINT fk_complaint_links_receipt FOREIGN KEY (receipt_id) REFERENCES receipts (id),
    CONSTRAINT fk_complaint_links_decision FOREIGN KEY (decision_id) REFERENCES decisions (id),
    CONSTRAINT ck_complaint_links_one CHECK (
        (kind = 'payment') = (payment_id IS NOT NULL) AND (kind = 'receipt') = (receipt_id IS NOT NULL)
        AND (kind = 'decision') = (decision_id IS NOT NULL) AND (kind = 'month') = (month IS NOT NULL)),
    CONSTRAINT ck_complaint_links_month CHECK (extract(day FROM month) = 1)
);
CREATE UNIQUE INDEX ux_complaint_links ON complaint_links (complaint_id, kind, coalesce(payment_id, receipt_id, decision_id, 0), coalesce(month, DATE '1900-01-01'));
CREATE INDEX ix_complaint_links_payment ON complaint_links (payment_id) WHERE payment_id IS NOT NULL;

-- What was put right, each linked to the write that did it.
CREATE TABLE complaint_remedies (
    id            bigint GENERATED ALWAYS AS IDENTITY,
    complaint_id  bigint        NOT NULL,
    kind          text          NOT NULL,
    payment_id    bigint,
    decision_id   bigint,
    note          text,
    recorded_by   text          NOT NULL,
    recorded_at   timestamptz   NOT NULL,
    CONSTRAINT pk_complaint_remedies PRIMARY KEY (id),
    CONSTRAINT fk_complaint_remedies_complaint FOREIGN KEY (complaint_id) REFERENCES complaints (id),
    CONSTRAINT fk_complaint_remedies_payment FOREIGN KEY (payment_id) REFERENCES payments (id),
    CONSTRAINT fk_complaint_remedies_decision FOREIGN KEY (decision_id) REFERENCES decisions (id),
    CONSTRAINT ck_complaint_remedies_kind CHECK (kind IN ('payment_resent', 'write_off', 'apology', 'other')),
    CONSTRAINT ck_complaint_remedies_link CHECK ((kind = 'payment_resent') = (payment_id IS NOT NULL) AND (kind = 'write_off') = (decision_id IS NOT NULL))
);
CREATE INDEX ix_complaint_remedies_complaint ON complaint_remedies (complaint_id);
-- The same remedy sent twice is kept once.
CREATE UNIQUE INDEX ux_complaint_remedies_same ON complaint_remedies (complaint_id, kind, coalesce(payment_id, 0), coalesce(decision_id, 0), md5(coalesce(note, '')));
