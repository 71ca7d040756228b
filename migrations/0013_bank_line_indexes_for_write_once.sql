-- Bank statement lines: the indexes that matching and reconciliation use, and no others.
--
-- An import now matches its new lines while they are staged and writes each line once, with the
-- status matching gave it. Nothing scans bank_lines for unmatched lines any more, and each index
-- on bank_lines costs every import about a second per million lines it stores.
--
-- * ix_bank_lines_unmatched served matching statements that looked through all unmatched lines.
-- * ix_bank_lines_account_date could not serve reconciliation, which compares the account after
--   ltrim (ABN AMRO names the account by its number) and selects by booking date. A BRIN index on
--   the booking date does serve it: statements are imported roughly in date order, so each range
--   of the table covers a few weeks, and the index is a few pages whatever the history.
DROP INDEX ix_bank_lines_unmatched;
DROP INDEX ix_bank_lines_account_date;
CREATE INDEX ix_bank_lines_booking_date ON bank_lines USING brin (booking_date);

-- An import takes an id for each new line; a session keeps a thousand at hand instead of asking
-- the sequence every time. Ids stay unique and increasing per session; gaps were always possible.
ALTER TABLE bank_lines ALTER COLUMN id SET CACHE 1000;
