-- Issue 24: money signals (docs/rules.md §18), computed daily by the signal watch (MoneySignals)
-- from the ledger and the bank lines: an expected receipt missing, an amount off, several receipts
-- for one month or a payment settled twice, a shortage (an arrear, credit at its cap, leefgeld under
-- the minimum) and a payment returned. A signal is kept once per household, kind, stream or payment
-- and month (the watch adds nothing when it runs again); it is open, suppressed by a caseworker with
-- a reason (audited), or resolved by the watch when what was missing arrives.
CREATE TABLE money_signals (
    id                bigint        GENERATED ALWAYS AS IDENTITY,
    household_id      bigint        NOT NULL,
    kind              text          NOT NULL,
    subject           text          NOT NULL,
    month             date          NOT NULL,
    expected_amount   numeric(12,2),
    expected_on       date,
    actual_amount     numeric(12,2),
    actual_on         date,
    detail            text,
    status            text          NOT NULL DEFAULT 'open',
    first_seen_on     date          NOT NULL,
    resolved_on       date,
    suppressed_reason text,
    suppressed_by     text,
    suppressed_at     timestamptz,
    CONSTRAINT pk_money_signals PRIMARY KEY (id),
    CONSTRAINT fk_money_signals_household FOREIGN KEY (household_id) REFERENCES households (id),
    CONSTRAINT uq_money_signals_key UNIQUE (household_id, kind, subject, month),
    CONSTRAINT ck_money_signals_kind CHECK (kind IN ('missing', 'unexpected_amount', 'several', 'short', 'returned')),
    CONSTRAINT ck_money_signals_status CHECK (status IN ('open', 'suppressed', 'resolved')),
    CONSTRAINT ck_money_signals_month CHECK (extract(day FROM month) = 1),
    CONSTRAINT ck_money_signals_subject CHECK (subject <> '' AND length(subject) <= 80),
    CONSTRAINT ck_money_signals_resolved CHECK ((status = 'resolved') = (resolved_on IS NOT NULL)),
    CONSTRAINT ck_money_signals_suppressed CHECK ((status = 'suppressed') = (suppressed_reason IS NOT NULL AND suppressed_by IS NOT NULL AND suppressed_at IS NOT NULL)),
    CONSTRAINT ck_money_signals_reason CHECK (suppressed_reason IS NULL OR (btrim(suppressed_reason) <> '' AND length(suppressed_reason) <= 2000))
);
-- The watch reads the open signals; the household page and the worklist read a household's.
CREATE INDEX ix_money_signals_open ON money_signals (household_id) WHERE status = 'open';
CREATE INDEX ix_money_signals_household ON money_signals (household_id, first_seen_on);

-- One row per day the watch ran: which day the worklist may trust, and what the run found.
CREATE TABLE money_signal_runs (
    computed_on  date        NOT NULL,
    households   integer     NOT NULL,
    found        integer     NOT NULL,
    added        integer     NOT NULL,
    resolved     integer     NOT NULL,
    computed_at  timestamptz NOT NULL,
    CONSTRAINT pk_money_signal_runs PRIMARY KEY (computed_on),
    CONSTRAINT ck_money_signal_runs_counts CHECK (households >= 0 AND found >= 0 AND added >= 0 AND resolved >= 0)
);

-- Outgoing lines that name a payment and settled nothing (a second settlement, another amount).
CREATE INDEX ix_bank_lines_reference_unsettled ON bank_lines (reference) WHERE amount < 0 AND payment_id IS NULL AND reference IS NOT NULL;
