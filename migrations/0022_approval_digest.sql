-- Issue 21: an export writes what was approved. A batch keeps the digest of its payments (how many,
-- their control sum and a SHA-256 of what each pays; docs/rules.md §14), computed by its preparation
-- from the rows it writes. Its approval keeps a copy, taken by the database when the approval is
-- written, and an export refuses a batch whose rows no longer give that digest.
--
-- A batch also remembers the transaction that prepared it (as journal entries do), so that its
-- payments, households and exceptions are written by that preparation only, and its digest is set
-- there once. Batches that exist already were prepared before this migration: they get its
-- transaction, so nothing is ever added to them, and no digest.
ALTER TABLE batches ADD COLUMN created_in xid8 NOT NULL DEFAULT pg_current_xact_id();

ALTER TABLE batches
    ADD COLUMN payment_count   integer,
    ADD COLUMN control_sum     numeric(14,2),
    ADD COLUMN payments_sha256 text,
    ADD CONSTRAINT ck_batches_digest CHECK (
        (payment_count IS NULL) = (control_sum IS NULL) AND (payment_count IS NULL) = (payments_sha256 IS NULL)
        AND (payments_sha256 IS NULL OR payments_sha256 ~ '^[0-9a-f]{64}$'));

-- Approvals written from now on always keep the digest (NOT VALID: an approval written before this
-- migration has none, and its batch is not exported until it is prepared and approved again).
ALTER TABLE batch_approvals
    ADD COLUMN payment_count   integer,
    ADD COLUMN control_sum     numeric(14,2),
    ADD COLUMN payments_sha256 text,
    ADD CONSTRAINT ck_batch_approvals_digest CHECK (
        payment_count IS NOT NULL AND control_sum IS NOT NULL AND payments_sha256 ~ '^[0-9a-f]{64}$') NOT VALID;

-- The rules themselves (functions and triggers) are in migrations/always/batches.sql.
