#!/usr/bin/env bash
# The main job on the bundled samples. Until the payment batch lands this summarises what
# samples/ holds (files and data rows); afterwards it becomes the six-month simulation.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shopt -s nullglob
files=("$root"/samples/*.csv)
if [ ${#files[@]} -eq 0 ]; then
  echo "samples/ holds no intake files yet."
  exit 0
fi
printf '%-20s %8s\n' "file" "rows"
for f in "${files[@]}"; do
  printf '%-20s %8d\n' "$(basename "$f")" "$(($(grep -c '' "$f") - 1))"
done
