#!/usr/bin/env bash
# How quickly a person's command answers: the median wall time of RUNS runs (default 11) of a few
# everyday commands, for the CLI as `dotnet build` leaves it (JIT) and as scripts/ontzorging runs it
# (published ReadyToRun in .local/cli). Needs command 1 first (the local server and its history).
# Usage: scripts/bench-cli.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${1:-11}"
scripts/ontzorging --version >/dev/null
dotnet build src/Ontzorging.Cli --configuration Release --nologo -v quiet >/dev/null
export Ontzorging__Database__ConnectionString="$(bash scripts/pg.sh url app)"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() {
  local i
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -n 1
  done | median
}
printf '%-34s %10s %12s\n' "command" "JIT (s)" "ReadyToRun (s)"
for command in "--version" "household show HH-0017" "household list" "batch list" "batch show 1"; do
  read -r -a words <<<"$command"
  jit="$(measure dotnet src/Ontzorging.Cli/bin/Release/net10.0/ontzorging.dll "${words[@]}")"
  r2r="$(measure dotnet .local/cli/ontzorging.dll "${words[@]}")"
  printf '%-34s %10s %12s\n' "$command" "$jit" "$r2r"
done
