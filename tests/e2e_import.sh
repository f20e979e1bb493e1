#!/bin/bash
# e2e_import.sh — `fundguard init` + `fundguard import` through the CLI:
# exit codes (0 stored, 1 refused, 0 no-op re-import), streams (summary on
# stdout, errors and notices on stderr), quarantine file.
# Usage: bash e2e_import.sh path/to/fundguard
set -u
B="$1"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# the trust core: the demo roster's handler imports
ROSTER="$(cd "$(dirname "$0")/.." && pwd)/scripts/demo-roster.csv"
export FUNDGUARD_PASSWORD="e2e-import-pass"; unset FUNDGUARD_INIT_PASSWORD
export FUNDGUARD_USER=zhang.jb
mkdir -p "$T/d"
printf 'person_id,name,sex,birth_date\nP1,甲,1,1960-01-01\nP2,乙,7,1960-01-01\n' >"$T/d/persons.csv"
printf 'person_id,scheme,region,period,base,amount,paid_date,kind\nP2,110,410100,2024-01,1,1,2024-01-02,normal\n' >"$T/d/contributions.csv"
echo x >"$T/d/notes.txt"
"$B" init --db "$T/t.db" --roster "$ROSTER" >/dev/null || fail "init"
FG="$B" bash "$(dirname "$ROSTER")/set-passwords.sh" "$T/t.db" "$FUNDGUARD_PASSWORD" || fail "passwords"
"$B" init --db "$T/t.db" >/dev/null 2>&1 && fail "init over an existing store"
"$B" import --db "$T/t.db" "$T/d" >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 1 ] || fail "atomic import with an error: rc=$rc"
grep -qF 'persons.csv:3:3: sex: 不是允许的代码之一 [1 2] (7)' "$T/err" || fail "error format"
grep -qF 'notes.txt' "$T/err" || fail "unknown file notice"
"$B" import --db "$T/t.db" --quarantine "$T/rej.csv" "$T/d" >"$T/out" 2>"$T/err" || fail "quarantine"
grep -q '^persons.csv  *2  *1  *0  *1$' "$T/out" || fail "summary: $(cat "$T/out")"
grep -qF '首个被拒绝的行是 persons.csv:3' "$T/rej.csv" || fail "cascade reason"
[ "$(wc -l <"$T/rej.csv")" -eq 3 ] || fail "reject file rows"
"$B" import --db "$T/t.db" "$T/d" >"$T/out" 2>"$T/err" || fail "re-import must exit 0"
grep -qF '没有新数据' "$T/out" || fail "re-import must say it is a no-op"
echo OK
