#!/usr/bin/env bash
# e2e_inspect.sh — on-site inspections and rectification (cases.md, issue 16,
# first part): the yearly plan drawn from the journal's root (city-level
# agency + at least 20% of the county-level ones), replayed; a second plan
# for the year only through review; an inspection refused with one
# inspector, with an inspector of the inspected agency, with a notice under
# three days; a problem in the rectification ledger closed only by another
# person's review of a proposal with its evidence; overdue judged by the
# (faked) clock; an edited plan found by replay and by verify.
# Usage: bash e2e_inspect.sh path/to/fundguard
FG="$1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tests/trust_lib.sh"
trust_workdir
fake_clock
agency_roster "$W/roster.csv" "qian.ag,钱经办,handler,A410102" "li.jc,李检查,auditor,"
trust_data "$W/d"
{ echo 'agency_id,name,region,level,parent_id'
  echo 'A410100,郑州市社会保险事业管理中心,410100,city,'
  for c in 02 03 04 05 06 08 22; do echo "A4101$c,区县社保中心$c,4101$c,county,A410100"; done; } >"$W/d/agencies.csv"
faketime "2026-03-02 02:00:00" "$FG" init --db "$DB" --roster "$W/roster.csv" >/dev/null || fail "init"
FG="$FG" faketime "2026-03-02 02:00:00" bash "$ROOT/scripts/set-passwords.sh" "$DB" "$TRUST_PW" || fail "passwords"
ok 2026-03-02 zhang.jb import "$W/d"

# ---- the yearly plan -------------------------------------------------------------
D=2026-03-02
no $D zhang.jb inspection plan --year 2026      # a handler does not plan
ok $D li.jd inspection plan --year 2026
plan=$(sed -n 's/^2026 年现场检查计划：\([^（]*\)（.*/\1/p' "$W/o")
[ "$(echo "$plan" | tr ',' '\n' | grep -c .)" -eq 3 ] || fail "city + ceil(7/5) = 3 agencies: $plan"
echo "$plan" | grep -q 'A410100' || fail "the city-level agency is always planned: $plan"
sqlite3 "$DB" "SELECT payload FROM journal WHERE action = 'inspection.plan'" | grep -q '"seed":"[0-9a-f]\{64\}"' ||
  fail "the seed is journaled"
ok $D li.jd inspection replay --year 2026
grep -q '核对一致' "$W/o" || fail "replay: $(cat "$W/o")"
no $D li.jd inspection plan --year 2026         # a second plan without review
grep -q '须经复核' "$W/o" || fail "second plan message: $(cat "$W/o")"
ok $D li.jd inspection plan --year 2026 --replan --reason "机构调整"
pr=$(sed -n 's/^已提交第二个计划的提议 #\([0-9]*\).*/\1/p' "$W/o")
no $D li.jd propose review "$pr"
ok $D wang.fh propose review "$pr"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM inspection_plans WHERE year = 2026")" -eq 2 ] || fail "two plans"
ok $D li.jd inspection replay --year 2026

# ---- an inspection --------------------------------------------------------------
no $D li.jd inspection open --agency A410102 --inspectors li.jd --notice-on 2026-03-02 --start-on 2026-03-09
grep -q '不得少于 2 人' "$W/o" || fail "two inspectors: $(cat "$W/o")"
no $D li.jd inspection open --agency A410102 --inspectors li.jd,qian.ag --notice-on 2026-03-02 --start-on 2026-03-09
grep -q '应当回避' "$W/o" || fail "an inspector of the agency: $(cat "$W/o")"
no $D li.jd inspection open --agency A410102 --inspectors li.jd,li.jc --notice-on 2026-03-02 --start-on 2026-03-04
grep -q '至少提前 3 天' "$W/o" || fail "notice: $(cat "$W/o")"
ok $D li.jd inspection open --agency A410102 --inspectors li.jd,li.jc --notice-on 2026-03-02 --start-on 2026-03-05
ins=$(sed -n 's/^已立项现场检查 #\([0-9]*\).*/\1/p' "$W/o")
ok 2026-03-05 li.jd inspection problem "$ins" --text "收入户资金未按月归集" --due-on 2026-04-30 --amount 1200.50
pb=$(sed -n 's/.*问题 #\([0-9]*\).*/\1/p' "$W/o")
ok 2026-03-05 li.jd inspection problem "$ins" --text "经办岗位未分离" --due-on 2026-03-31
pb2=$(sed -n 's/.*问题 #\([0-9]*\).*/\1/p' "$W/o")

# ---- rectification: closed one by one, by review ----------------------------------
echo "整改报告" >"$W/evidence.pdf"
no 2026-04-10 qian.ag rectify close "$pb" --evidence "$W/missing.pdf" --text x
ok 2026-04-10 qian.ag rectify close "$pb" --evidence "$W/evidence.pdf" --text "已按月归集"
pc=$(sed -n 's/^已提交销号提议 #\([0-9]*\).*/\1/p' "$W/o")
no 2026-04-10 qian.ag propose review "$pc"
at 2026-04-10 li.jd rectify list >"$W/l" 2>&1 || fail "rectify list"
grep -q "^$pb,$ins,A410102,.*,1200.50,2026-04-30,open,,N$" "$W/l" || fail "open, not overdue: $(cat "$W/l")"
grep -q "^$pb2,.*,2026-03-31,open,,Y$" "$W/l" || fail "past its due day: $(cat "$W/l")"
ok 2026-04-10 wang.fh propose review "$pc"
at 2026-04-10 li.jd rectify list >"$W/l" 2>&1 || fail "rectify list"
grep -q "^$pb,.*,closed,2026-04-10,N$" "$W/l" || fail "closed by the review: $(cat "$W/l")"
no 2026-04-10 qian.ag rectify close "$pb" --evidence "$W/evidence.pdf" --text "again"
at 2026-04-10 qian.ag rectify list >"$W/l2" 2>&1 || fail "agency's ledger"
[ "$(grep -c '^[0-9]' "$W/l2")" -eq 2 ] || fail "the agency sees its own problems"
# the documents: notice, feedback letter, supervision report (HTML, journaled)
ok 2026-04-10 li.jd inspection notice "$ins" -o "$W/notice.html"
grep -q '现场监督检查通知书' "$W/notice.html" && grep -q '2026-03-05' "$W/notice.html" || fail "notice"
ok 2026-04-10 li.jd inspection letter "$ins" -o "$W/letter.html"
grep -q '收入户资金未按月归集' "$W/letter.html" || fail "letter lists the problems"
ok 2026-04-10 li.jd inspection report "$ins" -o "$W/report.html"
grep -q '共 2 个问题，已销号 1 个，未销号 1 个（其中逾期 1 个）' "$W/report.html" || fail "report: $(grep -o '共[^<]*' "$W/report.html")"
seq=$(sqlite3 "$DB" "SELECT max(seq) FROM journal WHERE action = 'inspection.report'")
grep -q "日志记录 #$seq" "$W/report.html" || fail "the report names its journal entry"
no 2026-04-10 qian.ag inspection report "$ins" -o "$W/r2.html"
ok 2026-04-10 li.jd rectify list --format xlsx -o "$W/rectify.xlsx"
[ -s "$W/rectify.xlsx" ] || fail "rectification ledger xlsx"
verify_ok "inspections"

# ---- an edited plan is found ------------------------------------------------------
cp "$DB" "$W/t.db"; cp "$DB.key" "$W/t.db.key"
keep=$(sqlite3 "$W/t.db" "SELECT sql || ';' FROM sqlite_master WHERE name = 'inspection_plans_no_update'")
sqlite3 "$W/t.db" "DROP TRIGGER inspection_plans_no_update;
  UPDATE inspection_plans SET agencies = 'A410100' WHERE id = 2; $keep" || fail "tamper"
FUNDGUARD_USER=li.jd faketime "2026-04-10 02:00:00" "$FG" inspection replay --year 2026 --db "$W/t.db" \
  >"$W/t.out" 2>&1 && fail "replay of an edited plan passed"
grep -q '核对不一致' "$W/t.out" || fail "replay message: $(cat "$W/t.out")"
"$FG" log verify --db "$W/t.db" >/dev/null 2>&1 && fail "verify missed the edited plan"
echo "e2e_inspect: ok"
