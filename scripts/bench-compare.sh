#!/usr/bin/env bash
# Two builds of the CLI side by side (issue 20: "same speed"): `bench batch`, `bench import` and
# `bench web` of each, interleaved (before, after, before, after, ...) in one sitting on this
# checkout's server, so the machine's speed of the day cancels out. Compare the medians.
# Usage: scripts/bench-compare.sh BEFORE_DLL AFTER_DLL [ROUNDS] [HOUSEHOLDS] [ROWS] [WEB_HOUSEHOLDS]
#   e.g. git worktree add ../before <commit> && (cd ../before && dotnet build src/Ontzorging.Cli -c Release)
#        scripts/bench-compare.sh ../before/src/Ontzorging.Cli/bin/Release/net10.0/ontzorging.dll \
#                                 src/Ontzorging.Cli/bin/Release/net10.0/ontzorging.dll 3
# Prints one line per run: build, bench, and its headline figures (seconds; web: server ms p50/p99).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
before="$1" after="$2" rounds="${3:-3}" households="${4:-100000}" rows="${5:-1000000}" web="${6:-20000}"
bash scripts/pg.sh start >/dev/null
export Ontzorging__Database__ConnectionString="$(bash scripts/pg.sh url app)"
export Ontzorging__Database__OwnerConnectionString="$(bash scripts/pg.sh url owner)"
run() {
  local name="$1" dll="$2" out
  out="$(dotnet "$dll" bench batch --households "$households" 2>&1)"
  echo "$name batch $(grep -o 'prepare + approve + export: [0-9.]* s' <<<"$out")"
  out="$(dotnet "$dll" bench import --rows "$rows" 2>&1)"
  echo "$name import $(grep -o 'ledger import (parse + COPY + dedupe + match): [0-9.]* s, [0-9,]* rows/s' <<<"$out")"
  # bench web is its own program beside the CLI since issue 21 (an older build's CLI still has it).
  local webbench
  webbench="$(dirname "$dll")/../../../../Ontzorging.WebBench/bin/Release/net10.0/ontzorging-webbench.dll"
  [ -f "$webbench" ] || webbench="$dll"
  out="$(dotnet "$webbench" bench web --households "$web" 2>&1)"
  # The table's rows: page, requests, p50, p95, p99, max, client p50, client p99.
  awk -v name="$name" -F'│' 'NF > 8 && $2 ~ /(household|worklist)/ { gsub(/ /, "", $2); gsub(/ /, "", $4); gsub(/ /, "", $6); printf "%s web %s p50 %s ms p99 %s ms\n", name, $2, $4, $6 }' <<<"$out"
}
for ((r = 1; r <= rounds; r++)); do
  run before "$before"
  run after "$after"
done
