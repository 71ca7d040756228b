-- One definition of a live batch (docs/rules.md §6): a batch that is not rejected or cancelled. Its
-- month is taken and its payments stand. Queries read this view instead of repeating the filter;
-- the unique index ux_batches_live_month keeps the same condition for the month.
CREATE VIEW live_batches AS
SELECT * FROM batches WHERE status NOT IN ('rejected', 'cancelled');
