#!/usr/bin/env bash
# README command 2: runs the whole test suite and ends with one line
#   tests: N passed, N failed[, N skipped]
# counted from the TRX results. Integration tests use ONTZORGING_TEST_CONNECTION when set, else
# they start the local server of scripts/pg.sh themselves (and stop it again if they started it).
# Exit status: non-zero on any failure, a build error, or when no test ran.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/.local/test-results"
rm -rf "$results"
mkdir -p "$results"

# ICU culture data: the site, run inside the tests, writes nl-NL and en-GB amounts and dates.
bash "$root/scripts/packages.sh" || { echo "test.sh: the Debian packages it needs could not be installed" >&2; exit 1; }

# The site's NL Design System CSS (npm, pinned in its package-lock.json): the browser tests check
# contrast and layout with it.
web="$root/src/Ontzorging.Web"
if [ ! -f "$web/node_modules/@utrecht/component-library-css/dist/index.css" ]; then
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || { echo "test.sh: npm ci failed in $web" >&2; exit 1; }
fi
if ! command -v chromium >/dev/null 2>&1 && [ -z "${ONTZORGING_CHROMIUM:-}" ]; then
  echo "test.sh: the browser tests need Chromium: apt-get install chromium (or set ONTZORGING_CHROMIUM)" >&2
fi

dotnet test Ontzorging.sln --configuration Release --logger "trx" --results-directory "$results" "$@"
status=$?

# Counted from each test's own result: the summary counters of a TRX file leave ignored tests out.
passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  outcomes="$(grep -o '<UnitTestResult [^>]*>' "$trx" | grep -o 'outcome="[A-Za-z]*"' || true)"
  passed=$((passed + $(grep -c '"Passed"' <<<"$outcomes" || true)))
  failed=$((failed + $(grep -Ec '"(Failed|Error|Timeout|Aborted)"' <<<"$outcomes" || true)))
  skipped=$((skipped + $(grep -Ec '"(NotExecuted|Inconclusive|NotRunnable)"' <<<"$outcomes" || true)))
done

line="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"

if [ "$status" -ne 0 ] || [ "$failed" -gt 0 ]; then exit 1; fi
if [ $((passed + failed)) -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
exit 0
