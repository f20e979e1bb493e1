#!/usr/bin/env bash
# e2e_monthly.sh — the monthly fund report (cases.md) equals an independent
# computation over the same files: DuckDB (bench/duckdb_monthly.sql, through
# the pinned @duckdb/node-api that scripts/test.sh installs) computes every
# month of a generated city's history from the CSV files; fundguard's
# `report monthly` for each month must print the same fund columns, byte for
# byte (amounts in yuan with two decimals). One amended row then counts with
# its amended value in fundguard's report and in DuckDB's over the file
# edited the same way. The case columns are checked against the cases table.
# Usage: bash e2e_monthly.sh path/to/fundguard
FG="$1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tests/trust_lib.sh"
trust_workdir
[ -d "$ROOT/bench/node_modules/@duckdb/node-api" ] ||
  fail "DuckDB for node is not installed: (cd bench && npm ci) — scripts/test.sh does it"
"$FG" gen --persons 1500 --seed 11 --as-of 2025-06-30 --out "$W/city" --truth "$W/truth" >/dev/null 2>&1 ||
  fail "gen"
trust_store_city() {
  "$FG" init --db "$DB" --roster "$ROOT/scripts/demo-roster.csv" >/dev/null || fail "init"
  FG="$FG" bash "$ROOT/scripts/set-passwords.sh" "$DB" "$TRUST_PW" || fail "set passwords"
  as zhang.jb import --db "$DB" "$W/city" >/dev/null 2>&1 || fail "import"
  as li.jd screen --db "$DB" --as-of 2025-06-30 >/dev/null 2>&1 || fail "screen"
}
trust_store_city
# every month of the history, fundguard against DuckDB
duck() { (cd "$ROOT/bench" && node duckdb_run.mjs monthly "$1" "$2" >/dev/null) || fail "duckdb"; }
fgmonths() {
  for m in $(cut -d, -f1 "$W/duck.csv" | sort -u); do
    as li.jd report monthly --month "$m" --db "$DB" 2>/dev/null | tail -n +2 | cut -d, -f1-10 | sed "s/^/$m,/"
  done
}
duck "$W/city" "$W/duck.csv"
months=$(cut -d, -f1 "$W/duck.csv" | sort -u | wc -l)
[ "$months" -ge 100 ] || fail "expected about ten years of months, got $months"
fgmonths >"$W/fg.csv"
diff "$W/duck.csv" "$W/fg.csv" >"$W/diff" || { head -20 "$W/diff" >&2; fail "monthly report differs from DuckDB"; }
# the header, in the order of cases.md
as li.jd report monthly --month 2020-01 --db "$DB" 2>/dev/null | head -1 |
  grep -qx 'scheme,contributions,benefits,medical_fund_paid,income_in,swept_to_fiscal,expenditure_out,income_balance,expenditure_balance,fiscal_balance,cases_issued,cases_closed,recovered' ||
  fail "report header"
# an approved amendment counts with its amended value
pay=$(sed -n '2p' "$W/city/benefit_payments.csv" | cut -d, -f1)
as zhang.jb propose amend --db "$DB" --table benefit_payments --record "$pay" --set amount=12345.67 \
  --reason "更正金额" >"$W/a.out" 2>&1 || fail "propose amend: $(cat "$W/a.out")"
id=$(sed -n 's/^已提交提议 #\([0-9]*\).*/\1/p' "$W/a.out")
as wang.fh propose review "$id" --db "$DB" >/dev/null 2>&1 || fail "review"
as zhao.sp propose approve "$id" --db "$DB" >/dev/null 2>&1 || fail "approve"
awk -F, -v OFS=, -v p="$pay" 'NR > 1 && $1 == p { $7 = "12345.67" } { print }' "$W/city/benefit_payments.csv" \
  >"$W/amended.csv"
mkdir -p "$W/city2" && cp "$W/city"/*.csv "$W/city2/" && mv "$W/amended.csv" "$W/city2/benefit_payments.csv"
duck "$W/city2" "$W/duck2.csv"
m=$(sed -n '2p' "$W/city/benefit_payments.csv" | cut -d, -f8 | cut -c1-7)
grep "^$m," "$W/duck2.csv" >"$W/d2"
as li.jd report monthly --month "$m" --db "$DB" 2>/dev/null | tail -n +2 | cut -d, -f1-10 | sed "s/^/$m,/" >"$W/f2"
diff "$W/d2" "$W/f2" >&2 || fail "the amended month $m differs"
cmp -s "$W/d2" <(grep "^$m," "$W/duck.csv") && fail "the amendment changed nothing in $m"
# a batch imported before schema version 3 has no sums: its rows are scanned,
# with the same figures (simulated: the sums removed from a copy, the
# trigger put back text for text)
cp "$DB" "$W/legacy.db"; cp "$DB.key" "$W/legacy.db.key"
keep=$(sqlite3 "$W/legacy.db" "SELECT sql || ';' FROM sqlite_master WHERE name = 'batch_monthly_no_delete'")
sqlite3 "$W/legacy.db" "DROP TRIGGER batch_monthly_no_delete; DELETE FROM batch_monthly; $keep" ||
  fail "legacy setup"
for mm in "$m" 2016-03 2024-12; do
  a=$(as li.jd report monthly --month "$mm" --db "$DB" 2>&1) b=$(as li.jd report monthly --month "$mm" --db "$W/legacy.db" 2>&1)
  [ "$a" = "$b" ] || fail "legacy scan differs in $mm: $a / $b"
done
# case columns: issue every finding today, the current month counts them
as li.jd case issue --run 1 --to A410100 --db "$DB" >/dev/null 2>&1 || fail "issue"
n=$(sqlite3 "$DB" "SELECT count(*) FROM cases")
now=$(TZ=Asia/Shanghai date +%Y-%m)
as li.jd report monthly --month "$now" --db "$DB" 2>/dev/null | grep "^all," | cut -d, -f11 | grep -qx "$n" ||
  fail "all row: cases_issued should be $n"
verify_ok "monthly reports"
echo "e2e_monthly: ok ($months months)"
