#!/usr/bin/env bash
# e2e_cli.sh — the command-line contract of docs/cli.md end to end: every
# command and subcommand answers --help (exit 0, text on stdout); --db
# defaults to ./fundguard.db and screen --as-of to today in Beijing time;
# the platform key is found the same way by every command (--key FILE,
# else FUNDGUARD_KEY, else PATH.key), import included through the shared
# lookup; init without --roster warns; findings name the latest run and
# its kind (official | what-if), carry run_kind, start the CSV with a BOM,
# keep ids whole in pipes and mask personal ids on a terminal; propose list
# has a header and Beijing times; log verify --checkpoint confirms the
# extension. Usage: bash tests/e2e_cli.sh path/to/fundguard
set -euo pipefail
FG="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=tests/trust_lib.sh
. "$ROOT/tests/trust_lib.sh"
trust_workdir
unset FUNDGUARD_KEY
BOM=$'\xef\xbb\xbf'

# 1. --help everywhere.
"$FG" --help >"$W/h" && [ -s "$W/h" ] || fail "fundguard --help"
for c in init gen import screen findings log "log verify" "log checkpoint" "log prove" \
  "log check-proof" user "user list" "user show" "user passwd" "user grant" "user revoke" \
  "user create" "user unlock" propose "propose list" "propose show" "propose review" \
  "propose approve" "propose refuse"; do
  # shellcheck disable=SC2086
  (cd "$W" && "$FG" $c --help >"$W/h" 2>"$W/h.err") || fail "'$c --help' exits $?"
  [ -s "$W/h" ] || fail "'$c --help' prints nothing on stdout"
done

# 7. init without --roster warns (and still exits 0).
"$FG" init --db "$W/empty.db" >/dev/null 2>"$W/init.err" || fail "init without --roster"
grep -q "roster" "$W/init.err" || fail "init without --roster must warn: $(cat "$W/init.err")"

# 3. init --key elsewhere; default --db in the working directory.
trust_data "$W/data"
mkdir -p "$W/keys" "$W/cwd"
cd "$W/cwd"
"$FG" init --key "$W/keys/platform.key" --roster "$ROOT/scripts/demo-roster.csv" >/dev/null
FUNDGUARD_KEY="$W/keys/platform.key" FG="$FG" bash "$ROOT/scripts/set-passwords.sh" fundguard.db "$TRUST_PW"
[ -f fundguard.db ] && [ -f "$W/keys/platform.key" ] && [ ! -e fundguard.db.key ] ||
  fail "init --key: store in ./fundguard.db, key only in --key FILE"
if as li.jd screen --as-of "$AS_OF" >/dev/null 2>"$W/nokey.err"; then
  fail "screen without the key must fail"
fi
grep -q FUNDGUARD_KEY "$W/nokey.err" || fail "missing key must name FUNDGUARD_KEY: $(cat "$W/nokey.err")"
FUNDGUARD_KEY="$W/keys/platform.key" as zhang.jb import "$W/data" >/dev/null ||
  fail "import with FUNDGUARD_KEY"
as li.jd screen --key "$W/keys/platform.key" --as-of "$AS_OF" >/dev/null 2>&1 ||
  fail "screen --key FILE"
export FUNDGUARD_KEY="$W/keys/platform.key"

# 2. screen --as-of defaults to today in Beijing time (UTC+8).
today=$(date -u -d '+8 hours' +%F)
as li.jd screen --config /dev/null >"$W/screen.out" 2>/dev/null || fail "screen with defaults"
grep -q "as of $today" "$W/screen.out" || fail "screen summary must show today $today: $(head -1 "$W/screen.out")"

# 4. the latest run is named with its kind; run_kind in every export; 6. BOM.
# (cli.md v1.1) without --run: the latest official run of every rule, not the what-if #2
as li.jd findings --format csv >"$W/f0.csv" 2>"$W/f.err" || fail "findings to a pipe"
grep -q "#1" "$W/f.err" && grep -q "正式筛查" "$W/f.err" || fail "latest full official run not named: $(cat "$W/f.err")"
as li.jd findings --run 2 --format csv >"$W/f.csv" 2>/dev/null || fail "findings --run 2"
[ "$(head -c 3 "$W/f.csv")" = "$BOM" ] || fail "CSV must start with a UTF-8 BOM"
head -1 "$W/f.csv" | sed "s/^$BOM//" |
  grep -q '^rule,subject_type,subject_id,amount,detail,.*,run_kind,' || fail "CSV header: $(head -1 "$W/f.csv")"
grep -q '^benefit.paid_after_death,person,360426195503150247,6000.00,.*,what-if,2,,高,参保人,假设分析,乙,360426,,,[0-9]*,[0-9]*,carried$' "$W/f.csv" ||
  fail "pipe export must be whole and what-if: $(cat "$W/f.csv")"
as li.jd findings --run 1 --format jsonl -o "$W/f.jsonl" 2>/dev/null || fail "findings jsonl"
grep -q '"run_kind":"official"' "$W/f.jsonl" || fail "jsonl run_kind: $(cat "$W/f.jsonl")"

# 5. a view on a terminal masks personal ids (script(1) gives a tty).
if command -v script >/dev/null 2>&1; then
  FUNDGUARD_USER=li.jd script -qec "'$FG' findings --format csv" /dev/null >"$W/tty.out" 2>&1 ||
    fail "findings on a terminal"
  grep -q '360426\*\*\*\*\*\*\*\*0247' "$W/tty.out" || fail "terminal view must mask: $(cat "$W/tty.out")"
  if grep -q 360426195503150247 "$W/tty.out"; then fail "terminal view shows a whole id"; fi
fi

# 8. propose list: header row, Beijing times.
as zhou.xt user grant chen.jh reviewer >/dev/null 2>&1 || fail "proposal by the sysadmin"
as wang.fh propose list >"$W/plist" 2>/dev/null || fail "propose list"
head -1 "$W/plist" | grep -q "proposer" || fail "propose list header: $(head -1 "$W/plist")"
sed -n 2p "$W/plist" | grep -q '+08:00' || fail "propose list times in +08:00: $(cat "$W/plist")"

# 9. log checkpoint / verify --checkpoint with the default --db.
as li.jd log checkpoint -o "$W/cp" 2>/dev/null || fail "log checkpoint with FUNDGUARD_KEY"
"$FG" log verify --checkpoint "$W/cp" >"$W/verify" 2>&1 || fail "log verify --checkpoint"
grep -q "checkpoint.*size" "$W/verify" || fail "verify must confirm the checkpoint: $(cat "$W/verify")"
echo "e2e_cli: help, defaults, key lookup, run_kind, BOM, masking, propose list, checkpoint ok"
