#!/usr/bin/env bash
# The main job on the bundled samples: import samples/ into the local database (idempotent, so
# caseworker commands have data to show), then run the six-month simulation of the sample
# municipality on a fresh database and write its files to out/simulation (git-ignored).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
echo "-- import samples/ into the local database"
scripts/ontzorging import samples/ --as setup
echo "-- simulate the sample municipality, March to December 2026"
scripts/ontzorging simulate --input samples --from 2026-03 --to 2026-12 --out out/simulation
