-- Issue 23: the monthly statements a job printed after a batch was exported (StatementRenderer):
-- one row per batch, so each exported batch's statements are printed once, and staff can see where.
CREATE TABLE statement_renders (
    batch_id     bigint        NOT NULL,
    month        date          NOT NULL,
    statements   integer       NOT NULL,
    directory    text          NOT NULL,
    rendered_by  text          NOT NULL,
    rendered_at  timestamptz   NOT NULL,
    CONSTRAINT pk_statement_renders PRIMARY KEY (batch_id),
    CONSTRAINT fk_statement_renders_batch FOREIGN KEY (batch_id) REFERENCES batches (id),
    CONSTRAINT ck_statement_renders_month CHECK (extract(day FROM month) = 1),
    CONSTRAINT ck_statement_renders_count CHECK (statements >= 0)
);
