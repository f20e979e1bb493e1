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
grep -q '^persons.csv  *utf-8  *2  *1  *0  *1$' "$T/out" || fail "summary: $(cat "$T/out")"
[ "$(head -c 3 "$T/rej.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "quarantine CSV needs a BOM for Excel"
grep -qF '首个被拒绝的行是 persons.csv:3' "$T/rej.csv" || fail "cascade reason"
[ "$(wc -l <"$T/rej.csv")" -eq 3 ] || fail "reject file rows"
"$B" import --db "$T/t.db" "$T/d" >"$T/out" 2>"$T/err" || fail "re-import must exit 0"
grep -qF '没有新数据' "$T/out" || fail "re-import must say it is a no-op"

# ---- data standard v1.3 and issue 13: GBK that is valid UTF-8, resends,
#      every row rejected, Excel damage
mkdir -p "$T/g"
{ echo 'person_id,name,sex,birth_date'; echo 'G1,郑伟,1,1960-01-01'; echo 'G2,肖强,1,1961-01-01'; } |
  iconv -f UTF-8 -t GBK >"$T/g/persons.csv"
"$B" import --db "$T/t.db" "$T/g" >"$T/out" 2>"$T/err" || fail "GBK import: $(cat "$T/err")"
grep -q '^persons.csv  *gb18030 ' "$T/out" || fail "the summary names the encoding: $(cat "$T/out")"
grep -qF '已按 GB18030 读取' "$T/err" || fail "notice for valid-UTF-8 GBK: $(cat "$T/err")"
[ "$(sqlite3 "$T/t.db" "SELECT group_concat(name, ' ') FROM persons WHERE person_id IN ('G1','G2')")" = '郑伟 肖强' ] ||
  fail "GBK names garbled: $(sqlite3 "$T/t.db" "SELECT name FROM persons WHERE person_id LIKE 'G%'")"
mkdir -p "$T/x"
printf 'person_id,name,sex,birth_date
4.10102E+17,丁,1,1994/4/4
' >"$T/x/persons.csv"
"$B" import --db "$T/t.db" "$T/x" >"$T/out" 2>"$T/err" && fail "Excel-damaged values accepted"
grep -qF 'persons.csv:2:1: person_id:' "$T/err" && grep -qF '被 Excel 改过格式' "$T/err" ||
  fail "Excel hint for the id: $(cat "$T/err")"
grep -qF 'persons.csv:2:4: birth_date:' "$T/err" && grep -c '设为“文本”' "$T/err" | grep -q 2 ||
  fail "Excel hint for the date: $(cat "$T/err")"
"$B" import --db "$T/t.db" --quarantine "$T/rej2.csv" "$T/x" >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 1 ] || fail "a quarantine import that stored nothing must exit 1 (rc=$rc)"
grep -qF '没有存入任何数据行' "$T/out" || fail "all rejected: $(cat "$T/out")"
grep -qF '已存入' "$T/out" && fail "all rejected must not say stored"
# a CRLF re-export of a whole generated city adds no row
"$B" gen --persons 1000 --seed 3 --as-of 2024-12-31 --out "$T/city" --truth "$T/truth.csv" >/dev/null
"$B" init --db "$T/c.db" --roster "$ROSTER" >/dev/null || fail "init c"
FG="$B" bash "$(dirname "$ROSTER")/set-passwords.sh" "$T/c.db" "$FUNDGUARD_PASSWORD" || fail "passwords c"
"$B" import --db "$T/c.db" "$T/city" >/dev/null 2>&1 || fail "city import"
count() { for t in enrollments contributions retirements deaths incarcerations survival_certifications persons; do
  printf '%s ' "$(sqlite3 "$T/c.db" "SELECT count(*) FROM $t")"; done; }
before=$(count)
mkdir -p "$T/crlf"
for f in "$T"/city/*.csv; do sed 's/$/\r/' "$f" >"$T/crlf/$(basename "$f")"; done
"$B" import --db "$T/c.db" "$T/crlf" >"$T/out" 2>"$T/err" || fail "CRLF re-export: $(cat "$T/err")"
[ "$(count)" = "$before" ] || fail "a CRLF re-export added rows: $before -> $(count)"
grep -qF '没有新数据行' "$T/out" || fail "re-export summary: $(cat "$T/out")"
"$B" log verify --db "$T/c.db" >/dev/null || fail "verify after the re-export"
echo OK
