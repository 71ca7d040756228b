-- Issue 23: the daily forecast watch (ForecastSignals). Each run of a day keeps the households whose
-- expected forecast shows a month at risk within the policy's months (docs/rules.md §15, §16): the
-- first month at risk, what puts it at risk and the amount missing. The rows of every day are kept,
-- so how early the signal warned can be counted afterwards (bench signal); a run of the same day
-- again replaces that day's rows. The runs say which day the worklist reads.
CREATE TABLE forecast_signal_runs (
    computed_on  date          NOT NULL,
    households   integer       NOT NULL,
    signalled    integer       NOT NULL,
    computed_at  timestamptz   NOT NULL,
    CONSTRAINT pk_forecast_signal_runs PRIMARY KEY (computed_on),
    CONSTRAINT ck_forecast_signal_runs_counts CHECK (households >= 0 AND signalled BETWEEN 0 AND households)
);

CREATE TABLE forecast_signals (
    household_id bigint        NOT NULL,
    computed_on  date          NOT NULL,
    month        date          NOT NULL,
    risks        text[]        NOT NULL,
    missing      numeric(12,2) NOT NULL,
    CONSTRAINT pk_forecast_signals PRIMARY KEY (computed_on, household_id),
    CONSTRAINT fk_forecast_signals_household FOREIGN KEY (household_id) REFERENCES households (id),
    CONSTRAINT fk_forecast_signals_run FOREIGN KEY (computed_on) REFERENCES forecast_signal_runs (computed_on) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT ck_forecast_signals_month CHECK (extract(day FROM month) = 1),
    CONSTRAINT ck_forecast_signals_missing CHECK (missing >= 0),
    CONSTRAINT ck_forecast_signals_risks CHECK (cardinality(risks) > 0 AND risks <@ ARRAY['credit_cap', 'leefgeld_below_minimum', 'arrear'])
);

CREATE INDEX ix_forecast_signals_household ON forecast_signals (household_id, computed_on);

-- The forecast reads a household's arrears as of a day, paid or not (ForecastStarts).
CREATE INDEX ix_arrears_household ON arrears (household_id);
