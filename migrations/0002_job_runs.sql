-- Every scheduled job run, whoever ran it: when it was due, which cluster node took it, how it
-- ended. Operators read it to see that the schedule is alive; tests read it to see that a job
-- fired exactly once.
CREATE TABLE job_runs (
    id                bigint GENERATED ALWAYS AS IDENTITY,
    job_name          text        NOT NULL,
    fire_instance_id  text        NOT NULL,
    instance_id       text        NOT NULL,
    scheduled_for     timestamptz,
    started_at        timestamptz NOT NULL,
    finished_at       timestamptz,
    outcome           text        NOT NULL DEFAULT 'running',
    error             text,
    recovering        boolean     NOT NULL DEFAULT false,
    CONSTRAINT pk_job_runs PRIMARY KEY (id),
    CONSTRAINT ck_job_runs_outcome CHECK (outcome IN ('running', 'succeeded', 'failed')),
    CONSTRAINT ck_job_runs_finished CHECK ((outcome = 'running') = (finished_at IS NULL))
);

CREATE UNIQUE INDEX ux_job_runs_fire ON job_runs (fire_instance_id, instance_id);
CREATE INDEX ix_job_runs_job_started ON job_runs (job_name, started_at DESC);

-- The heartbeat job writes one row per firing: the cheapest proof that the clustered scheduler
-- runs jobs and that their writes persist.
CREATE TABLE heartbeats (
    id            bigint GENERATED ALWAYS AS IDENTITY,
    instance_id   text        NOT NULL,
    scheduled_for timestamptz NOT NULL,
    recorded_at   timestamptz NOT NULL,
    CONSTRAINT pk_heartbeats PRIMARY KEY (id),
    CONSTRAINT uq_heartbeats_scheduled_for UNIQUE (scheduled_for)
);
