#!/usr/bin/env bash
# Crash harness (issues 14 and 20): kills the CLI with SIGKILL at random moments of `ledger import`,
# `batch prepare`, `batch export` and `household decide`, runs the command again to completion, and
# checks after every point that the money is still right and every write kept its record:
#   - no EndToEndId is held by two live payments;
#   - no half batch: every live batch has its households, every exported batch its export record;
#   - every receipt received by today is booked, and `ledger verify` passes (entries balance,
#     balances equal their lines, nothing negative or above its cap);
#   - running the command again completes, and an exported file is whole (every payment once);
#   - no write without its audit record: every row of every table a use case writes was written by
#     a transaction that also wrote an audit record (the row's xmin is a record's xmin), and no
#     record of a prepared batch, an export, a statement import or a decision without its row.
# Usage: scripts/chaos.sh [POINTS] [COPIES]
#   POINTS  kill points to try (default 12); COPIES  copies of the sample municipality (default 20).
#   CHAOS_SEED fixes the random choices. Ends with "chaos: N points, …" and exits 1 on a violation.
# It works in a database of its own on the local server (scripts/pg.sh), dropped at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
points="${1:-12}"
copies="${2:-20}"
seed="${CHAOS_SEED:-$$}"
RANDOM="$seed"

bash scripts/pg.sh start >/dev/null
dll="$root/src/Ontzorging.Cli/bin/Release/net10.0/ontzorging.dll"
[ -f "$dll" ] || dotnet build src/Ontzorging.Cli --configuration Release --nologo -v quiet >&2

db="ontzorging_chaos_$$"
owner_url="$(bash scripts/pg.sh url owner)"
export Ontzorging__Database__ConnectionString="$(bash scripts/pg.sh url app | sed "s/Database=ontzorging;/Database=$db;/")"
export Ontzorging__Database__OwnerConnectionString="$(sed "s/Database=ontzorging;/Database=$db;/" <<<"$owner_url")"
export PGPASSFILE="$root/.local/secrets/pgpass"
port="$(sed -n 's/.*Port=\([0-9]*\);.*/\1/p' <<<"$owner_url")"
psql_owner() { psql -X -q -h 127.0.0.1 -p "$port" -U ontzorging_owner "$@"; }
query() { psql -X -q -t -A -h 127.0.0.1 -p "$port" -U ontzorging_app -d "$db" -c "$1"; }
approve_as_second_officer() {
  query "BEGIN; INSERT INTO batch_approvals (batch_id, approved_by, approved_at) VALUES ($1, 'os:chaos-second-officer', now());
         UPDATE batches SET status = 'approved', approved_by = 'os:chaos-second-officer', approved_at = now() WHERE id = $1;
         INSERT INTO audit_log (at, actor_subject, actor_name, channel, action, target, outcome) VALUES (now(), 'os:chaos-second-officer', 'chaos', 'cli', 'batch.approve', 'batch $1', 'done');
         COMMIT;" >/dev/null
}
work="$(mktemp -d)"
cleanup() {
  psql_owner -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

cli() { dotnet "$dll" "$@"; }

psql_owner -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null
cli db migrate >/dev/null

# The sample municipality a year later (so its periods lie ahead of today), COPIES times over, each
# copy with its own household references and BSNs.
python3 - "$root/samples" "$work/intake" "$copies" <<'PY'
import csv, os, re, sys
src, dst, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(dst)
date = re.compile(r'^(20\d\d)-(\d\d)')
def later(v): return date.sub(lambda m: f"{int(m.group(1)) + 1}-{m.group(2)}", v)
def bsn(n):
    while True:
        digits = [int(c) for c in f"{n:09d}"]
        if digits[0] and (sum(d * w for d, w in zip(digits, [9, 8, 7, 6, 5, 4, 3, 2, -1])) % 11 == 0):
            return f"{n:09d}"
        n += 1
next_bsn = 100000000
for name in ["households.csv", "persons.csv", "contracts.csv", "incomes.csv", "receipts.csv", "events.csv"]:
    with open(os.path.join(src, name), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        header = list(rows[0].keys())
    with open(os.path.join(dst, name), "w", newline="", encoding="utf-8") as f:
        out = csv.DictWriter(f, header, lineterminator="\n")
        out.writeheader()
        for k in range(copies):
            for row in rows:
                row = {c: later(v) for c, v in row.items()}
                row["household_ref"] = f"C{k:03d}-{row['household_ref'][3:]}"
                if name == "persons.csv":
                    next_bsn = int(bsn(next_bsn)) + 1
                    row["bsn"] = f"{next_bsn - 1:09d}"
                out.writerow(row)
PY
cli import "$work/intake" >/dev/null
households="$(query "SELECT string_agg(reference, ' ') FROM households")"
read -r -a refs <<<"$households"

# A statement of new lines for import point $1: toeslagen naming a household (booked as receipts)
# and outgoing lines that match nothing.
statement() {
  local file="$work/statement-$1.csv" i
  {
    echo "account,booking_date,amount,counterparty_iban,counterparty_name,description,reference"
    for ((i = 0; i < 3000; i++)); do
      if ((i % 2 == 0)); then
        echo "NL82BNGH0285010001,2026-12-01,$((10 + i % 90)).$((i % 100 / 10))5,NL86INGB0002445588,Belastingdienst/Toeslagen,Zorgtoeslag ${refs[i % ${#refs[@]}]} punt $1,"
      else
        echo "NL82BNGH0285010001,2026-12-01,-$((1 + i % 50)).00,NL20INGB0001234567,Winkel,aankoop $i punt $1,"
      fi
    done
  } >"$file"
  echo "$file"
}

violations=0
killed=0
report="$work/report.txt"
check() {
  local point="$1" what="$2" problems=""
  [ "$(query "SELECT count(*) FROM (SELECT end_to_end_id FROM payments WHERE status <> 'cancelled' GROUP BY 1 HAVING count(*) > 1) d")" = 0 ] \
    || problems+=" duplicate-end-to-end-id"
  [ "$(query "SELECT count(*) FROM batches b WHERE status NOT IN ('rejected', 'cancelled') AND NOT EXISTS (SELECT 1 FROM batch_households h WHERE h.batch_id = b.id)")" = 0 ] \
    || problems+=" batch-without-households"
  [ "$(query "SELECT count(*) FROM batches b WHERE status IN ('exported', 'partially_settled', 'settled') AND EXISTS (SELECT 1 FROM payments p WHERE p.batch_id = b.id) AND NOT EXISTS (SELECT 1 FROM batch_exports e WHERE e.batch_id = b.id)")" = 0 ] \
    || problems+=" exported-without-export-record"
  [ "$(query "SELECT count(*) FROM receipts WHERE booked_on IS NULL AND received_on <= current_date")" = 0 ] \
    || problems+=" receipts-not-booked"
  cli ledger verify >"$work/verify.txt" 2>&1 || problems+=" ledger-verify"
  local table unrecorded
  for table in households persons contracts contract_versions income_streams receipts decisions write_off_bookings batches batch_households batch_issues \
               batch_approvals payments arrears batch_exports bank_imports bank_lines journal_entries journal_lines readiness_evaluations; do
    unrecorded="$(query "SELECT count(*) FROM $table t WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.xmin = t.xmin)")"
    [ "$unrecorded" = 0 ] || problems+=" $table-without-record($unrecorded)"
  done
  [ "$(query "SELECT count(*) FROM audit_log a WHERE a.outcome = 'done' AND (
           (a.action = 'batch.prepare' AND NOT EXISTS (SELECT 1 FROM batches b WHERE b.id::text = substr(a.target, 7)))
        OR (a.action = 'batch.export' AND (a.after->>'payments')::int > 0 AND NOT EXISTS (SELECT 1 FROM batch_exports e WHERE e.msg_id = a.after->>'message_id'))
        OR (a.action = 'ledger.import' AND NOT EXISTS (SELECT 1 FROM bank_imports i WHERE i.xmin = a.xmin))
        OR (a.action = 'decision.record' AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.xmin = a.xmin)))")" = 0 ] \
    || problems+=" record-without-write"
  if [ -n "$problems" ]; then
    violations=$((violations + 1))
    echo "point $point ($what): VIOLATED:$problems" | tee -a "$report"
  else
    echo "point $point ($what): ok" >>"$report"
  fi
}

# Runs the command, kills it with SIGKILL after a random delay within how long the command last
# took in full (so the kill lands anywhere in its life: start-up, reading, the database work, the
# commit, the file), then runs it again to completion and times that run for the next point of its
# kind ($1). Sets $outcome to the delay and whether the kill landed while the command ran.
declare -A took=([import]=1500 [prepare]=1500 [export]=1500 [decide]=1500)
kill_and_rerun() {
  local kind="$1"; shift
  local delay=$((RANDOM * 32768 + RANDOM)) pid landed=no start
  delay=$((delay % (took[$kind] + 1)))
  cli "$@" >"$work/run.txt" 2>&1 &
  pid=$!
  sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
  if kill -9 "$pid" 2>/dev/null; then landed=yes; killed=$((killed + 1)); fi
  wait "$pid" 2>/dev/null || true
  start=$(date +%s%3N)
  if ! cli "$@" >"$work/rerun.txt" 2>&1; then
    violations=$((violations + 1))
    echo "rerun of '$*' failed: $(tail -n 3 "$work/rerun.txt")" | tee -a "$report"
  fi
  took[$kind]=$(($(date +%s%3N) - start))
  outcome="killed at ${delay} ms: $landed"
}

month=2027-04
batch=""
started=$(date +%s)
for ((p = 1; p <= points; p++)); do
  case $((p % 4)) in
    1)
      file="$(statement "$p")"
      kill_and_rerun import ledger import "$file"
      check "$p" "ledger import, $outcome"
      ;;
    2)
      # The month is prepared (after a kill) and stays for its export; once the last month is exported,
      # the month after it is prepared and rejected again, so every point still prepares a batch.
      target="$month"
      again=no
      if [ -n "$batch" ] && [ "$(query "SELECT status FROM batches WHERE id = $batch")" != "draft" ] \
        && [ "$(query "SELECT to_char(month, 'YYYY-MM') FROM batches WHERE id = $batch")" = "$month" ]; then
        target="$(date -d "$month-01 +1 month" +%Y-%m)"
        again=yes
      fi
      kill_and_rerun prepare batch prepare --month "$target"
      prepared="$(query "SELECT id FROM batches WHERE month = '$target-01' AND status NOT IN ('rejected', 'cancelled')")"
      check "$p" "batch prepare $target, $outcome"
      if [ "$again" = yes ]; then
        cli batch reject "$prepared" --reason "chaos: prepared again" >/dev/null
      else
        batch="$prepared"
      fi
      ;;
    3)
      # The second pair of eyes: the CLI acts only as this login, which prepared the batch, so the
      # harness records another officer's approval directly, as the site would (not a kill point).
      [ "$(query "SELECT status FROM batches WHERE id = $batch")" = "draft" ] && approve_as_second_officer "$batch"
      out="$work/pain001-$month.xml"
      kill_and_rerun export batch export "$batch" --out "$out"
      expected="$(query "SELECT count(*) FROM payments WHERE batch_id = $batch AND status <> 'cancelled'")"
      found="$(python3 -c "import sys, xml.etree.ElementTree as t; print(sum(1 for e in t.parse(sys.argv[1]).iter() if e.tag.endswith('CdtTrfTxInf')))" "$out" 2>/dev/null || echo unreadable)"
      if [ "$found" != "$expected" ]; then
        violations=$((violations + 1))
        echo "point $p: $out holds $found payments, the batch $expected" | tee -a "$report"
      fi
      check "$p" "batch export $month, $outcome"
      # On to the next month while the municipality's periods last; then export the same month again.
      [ "$month" \< "2027-12" ] && month="$(date -d "$month-01 +1 month" +%Y-%m)"
      ;;
    0)
      # A caseworker's decision: a ZRM score for a household, on a day of its own.
      household="${refs[RANDOM % ${#refs[@]}]}"
      kill_and_rerun decide household decide "$household" zrm --score $((1 + RANDOM % 5)) --on "2027-0$((1 + p % 9))-1$((p % 10))"
      [ "$(query "SELECT count(*) FROM decisions d JOIN households h ON h.id = d.household_id WHERE h.reference = '$household' AND d.kind = 'zrm_score' AND d.decided_on = '2027-0$((1 + p % 9))-1$((p % 10))'")" -ge 1 ] \
        || { violations=$((violations + 1)); echo "point $p: the decision for $household was not recorded after the rerun" | tee -a "$report"; }
      check "$p" "household decide $household, $outcome"
      ;;
  esac
done

cat "$report"
echo "seed $seed, $(query "SELECT count(*) FROM households") households, $(($(date +%s) - started)) s"
echo "chaos: $points points, $killed killed mid-run, $violations violation(s)"
[ "$violations" -eq 0 ]
