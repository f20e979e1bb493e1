# trust_lib.sh — shared by the CLI-level e2e tests (e2e_trust, e2e_review, e2e_tamper,
# e2e_hardening, e2e_usability, e2e_agency, e2e_cli, e2e_cases, e2e_inspect, e2e_upgrade,
# e2e_monthly; sourced, not a test itself): a small hand-written data set of the standard (persons,
# contributions, benefit_payments, deaths; GB 11643 ids with computed check
# characters) and a store built from it through the CLI as the demo roster's
# users: init, import (handler), screen and findings export (supervisor).
# Needs: FG (the binary), ROOT (the source tree). Sets FUNDGUARD_* itself.

set -u # every test that sources this runs with unset variables as errors
TRUST_PW="trust-e2e-pass-1"
export FUNDGUARD_PASSWORD="$TRUST_PW"; unset FUNDGUARD_INIT_PASSWORD
unset FUNDGUARD_USER
AS_OF=2024-12-31

fail() { echo "FAIL: $*" >&2; exit 1; }

# trust_workdir: W, this test's scratch directory, removed at exit unless
# KEEP is set (to look at what a failing test left), and DB, the store's
# usual place in it.
trust_workdir() {
  W=$(mktemp -d)
  trap '[ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
  DB="$W/s.db"
}

# gb11643 REGION(6) BIRTH(8) SEQ(3): the 18-character id with its ISO 7064
# MOD 11-2 check character.
gb11643() {
  awk -v b="$1$2$3" 'BEGIN { split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " "); s = 0;
    for (i = 1; i <= 17; i++) s += substr(b, i, 1) * w[i];
    printf "%s%s\n", b, substr("10X98765432", s % 11 + 1, 1) }'
}

# trust_data DIR: three persons; B died in March 2024 and is paid a pension
# through May (benefit.paid_after_death fires for April and May).
trust_data() {
  local d="$1" a b c
  a=$(gb11643 110101 19600101 013) b=$(gb11643 360426 19550315 024) c=$(gb11643 440113 19700505 031)
  mkdir -p "$d"
  printf 'person_id,name,sex,birth_date,region\n%s,甲,1,1960-01-01,110101\n%s,乙,2,1955-03-15,360426\n%s,丙,1,1970-05-05,440113\n' \
    "$a" "$b" "$c" >"$d/persons.csv"
  {
    echo 'person_id,employer_id,scheme,region,period,base,amount,paid_date,kind'
    for m in 01 02 03; do echo "$a,,110,110101,2024-$m,5000.00,400.00,2024-$m-15,normal"; done
    for m in 01 02; do echo "$c,,110,440113,2024-$m,6000.00,480.00,2024-$m-15,normal"; done
  } >"$d/contributions.csv"
  {
    echo 'payment_id,person_id,scheme,benefit_type,region,period,amount,paid_date,bank_account'
    for m in 1 2 3 4 5; do echo "BP$m,$b,110,pension,360426,2024-0$m,3000.00,2024-0$m-10,6222000011112222"; done
  } >"$d/benefit_payments.csv"
  printf 'person_id,death_date,source\n%s,2024-03-10,civil_affairs\n' "$b" >"$d/deaths.csv"
}

# agency_roster FILE [LINE...]: the demo roster with an (empty) agency column,
# then the extra lines (`user,name,roles,agency`), into FILE.
agency_roster() {
  local f="$1"; shift
  { head -1 "$ROOT/scripts/demo-roster.csv" | tr -d '\r' | sed 's/$/,agency/'
    tail -n +2 "$ROOT/scripts/demo-roster.csv" | tr -d '\r' | sed 's/$/,/'
    for l in "$@"; do echo "$l"; done; } >"$f"
}

# as USER CMD...: run the binary as a demo-roster user.
as() { local u="$1"; shift; FUNDGUARD_USER="$u" "$FG" "$@"; }

# trust_store DB DATA: init with the demo roster, import, screen, export.
trust_store() {
  local db="$1" data="$2"
  "$FG" init --db "$db" --roster "$ROOT/scripts/demo-roster.csv" >"$db.init.out" || fail "init"
  FG="$FG" bash "$ROOT/scripts/set-passwords.sh" "$db" "$TRUST_PW" || fail "set passwords"
  as zhang.jb import --db "$db" "$data" >/dev/null || fail "import by the handler"
  as li.jd screen --db "$db" --as-of "$AS_OF" >/dev/null 2>"$db.screen.err" || fail "screen by the supervisor"
  as li.jd findings --db "$db" --format csv -o "$db.findings.csv" 2>/dev/null ||
    fail "findings export by the supervisor"
}

# jcount DB ACTION: number of journal entries with this action.
jcount() { sqlite3 "$1" "SELECT count(*) FROM journal WHERE action = '$2'"; }

# Checks shared by the trust and review tests; they use the caller's DB (the
# store) and W (its scratch directory).
# verify_ok WHAT: `log verify` passes after WHAT.
# rows: the row count of every table but the journal (a refusal must leave them alone).
verify_ok() { "$FG" log verify --db "$DB" >"$W/v.out" 2>&1 || { cat "$W/v.out" >&2; fail "log verify after $1"; }; }
rows() {
  sqlite3 "$DB" "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'
                 AND name <> 'journal' ORDER BY name" |
    while read -r t; do echo "$t $(sqlite3 "$DB" "SELECT count(*) FROM \"$t\"")"; done
}
# refused EXPECT_ACTION CMD...: exit 1, one more journal entry of that action, nothing else
refused() {
  local action="$1"; shift
  local before n0; before=$(rows); n0=$(sqlite3 "$DB" "SELECT count(*) FROM journal")
  "$@" >"$W/r.out" 2>"$W/r.err" </dev/null; local rc=$?
  [ $rc -eq 1 ] || fail "expected exit 1, got $rc: $*"
  [ "$(sqlite3 "$DB" "SELECT count(*) FROM journal")" -eq $((n0 + 1)) ] || fail "refusal must add one entry: $*"
  [ "$(sqlite3 "$DB" "SELECT action FROM journal ORDER BY seq DESC LIMIT 1")" = "$action" ] ||
    fail "last entry should be $action: $*"
  [ "$(rows)" = "$before" ] || fail "a refusal changed rows: $*"
}

# Acts at a date of the (faked) clock, for the case-work tests: there is no
# flag that sets the date of an act, so tests move the clock with faketime.
# fake_clock: require faketime; under AddressSanitizer accept its preload
# coming first (the sanitizers still run).
fake_clock() {
  command -v faketime >/dev/null || fail "faketime is not installed (scripts/bootstrap.sh installs it)"
  export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
}
# at DATE USER CMD...: run as USER on DATE (10:00 Beijing time) on DB
at() { local d="$1" u="$2"; shift 2; FUNDGUARD_USER="$u" faketime "$d 02:00:00" "$FG" "$@" --db "$DB"; }
# ok DATE USER CMD...: it must succeed (its output in $W/o)
ok() { at "$@" >"$W/o" 2>&1 || fail "$* : $(cat "$W/o")"; }
# no DATE USER CMD...: refused (exit 1), one more journal entry, nothing else changed
no() {
  local before n0 rc; before=$(rows); n0=$(sqlite3 "$DB" "SELECT count(*) FROM journal")
  at "$@" >"$W/o" 2>&1; rc=$?
  [ $rc -eq 1 ] || fail "expected a refusal (exit 1), got $rc: $* : $(cat "$W/o")"
  [ "$(sqlite3 "$DB" "SELECT count(*) FROM journal")" -eq $((n0 + 1)) ] || fail "refusal not journaled: $*"
  [ "$(rows)" = "$before" ] || fail "a refusal changed rows: $*"
}
