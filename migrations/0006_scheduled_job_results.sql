-- What the daily jobs found, kept so that running a job again changes nothing and people can see
-- when a flag or notice first appeared: toeslag flags (overdue, decision_overdue) per stream and
-- day, and one period-end notice per household and period end.
CREATE TABLE toeslag_flags (
    household_id    bigint      NOT NULL,
    kind            text        NOT NULL,
    status          text        NOT NULL,
    first_seen_on   date        NOT NULL,
    last_seen_on    date        NOT NULL,
    CONSTRAINT pk_toeslag_flags PRIMARY KEY (household_id, kind, status),
    CONSTRAINT fk_toeslag_flags_household FOREIGN KEY (household_id) REFERENCES households (id),
    CONSTRAINT ck_toeslag_flags_status CHECK (status IN ('overdue', 'decision_overdue'))
);

CREATE TABLE period_end_notices (
    household_id    bigint      NOT NULL,
    period_end      date        NOT NULL,
    noticed_on      date        NOT NULL,
    CONSTRAINT pk_period_end_notices PRIMARY KEY (household_id, period_end),
    CONSTRAINT fk_period_end_notices_household FOREIGN KEY (household_id) REFERENCES households (id)
);
