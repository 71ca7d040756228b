#!/usr/bin/env bash
# The main job on the bundled samples: the local database becomes the sample municipality as it
# lived from March to December 2026. The first time, the engine simulates it there, day by day
# (intake, receipts, every month's batch prepared, approved, exported and settled, readiness at each
# month end; the files go to out/simulation, git-ignored), and the sample bank files are imported (the
# statements of June to November, camt.053 for November, and the bank's pain.002 rejecting one rent)
# and reconciled. Run again, it finds that history and changes nothing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ "$(scripts/ontzorging batch list --json | tr -d '[:space:]')" = "[]" ]; then
  echo "-- simulate the sample municipality, March to December 2026, in the local database"
  scripts/ontzorging simulate --input samples --from 2026-03 --to 2026-12 --out out/simulation --in-place
else
  echo "-- the local database already holds the sample municipality's history; it is left as it is"
fi
echo "-- import the sample bank statements and the status report (again: nothing is added)"
for statement in samples/bank/*; do
  scripts/ontzorging ledger import "$statement"
done
echo "-- reconcile June to November 2026 and verify the ledger"
scripts/ontzorging ledger reconcile --from 2026-06-01 --to 2026-11-30
scripts/ontzorging ledger verify
echo "-- the day's money signals, after the statements (again: nothing is added)"
scripts/ontzorging signals watch
