-- The statement checks of 0009–0011 run with sequential scans, hash and merge joins disabled (so
-- they probe indexes whatever the statistics say). Disabled paths add a huge constant to a plan's
-- cost, and above jit_above_cost PostgreSQL compiles the query to machine code before running it:
-- about 0.3 s per call, for a check whose probes take milliseconds. These checks never profit from
-- JIT compilation, so it is off inside them.
ALTER FUNCTION journal_lines_apply_balances() SET jit = off;
ALTER FUNCTION journal_entries_note_check() SET jit = off;
ALTER FUNCTION journal_entry_checks_balanced() SET jit = off;
ALTER FUNCTION batch_households_check_references() SET jit = off;
ALTER FUNCTION payments_check_batch_household() SET jit = off;
ALTER FUNCTION bank_lines_check_references() SET jit = off;
