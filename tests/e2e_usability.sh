#!/usr/bin/env bash
# e2e_usability.sh — issue 13, what a first real user stumbled on, through
# the CLI: the rule catalogue, runs, batches and journal listed without SQL;
# a stored run's summary reprinted; one finding with its evidence and where
# each row came from; findings filtered by rule list, severity and region;
# Chinese details and labels; partial runs not taken as the default;
# --allow-future; a readable proposal (configuration key: current →
# proposed; amendment old → new) that its proposer and reviewers may read,
# and reviewers reading the finding they judge; typo suggestions; a missing
# store named with the stores found; verify's verdict on stdout.
# Usage: bash e2e_usability.sh path/to/fundguard
FG="$1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tests/trust_lib.sh"
trust_workdir
trust_data "$W/d"
trust_store "$DB" "$W/d"
B=$(sqlite3 "$DB" "SELECT person_id FROM persons WHERE name = '乙'")

# 13: the catalogue, runs, batches, the journal — no SQL needed
"$FG" rules --db "$DB" >"$W/rules" || fail "rules"
grep -q '^benefit.paid_after_death  *死亡后继续发放待遇  *高 ' "$W/rules" || fail "rules line: $(head -3 "$W/rules")"
grep -q 'large_payment = 50000 元' "$W/rules" || fail "rules thresholds in force"
grep -q '共 50 条规则' "$W/rules" || fail "rules count"
as li.jd runs --db "$DB" >"$W/runs" 2>/dev/null || fail "runs"
grep -q '^#1  *正式  *2024-12-31  *li.jd  *11  *1 ' "$W/runs" || fail "runs: $(cat "$W/runs")"
as zhang.jb batches --db "$DB" >"$W/batches" 2>/dev/null || fail "batches by the handler"
grep -q '^#1 .*zhang.jb  *原子 ' "$W/batches" && grep -q 'persons:utf-8' "$W/batches" || fail "batches: $(cat "$W/batches")"
refused authz.denied as li.jd log list --db "$DB"
as chen.jh log list --db "$DB" --action import.batch >"$W/log" 2>/dev/null || fail "log list"
grep -q $'^[0-9]*\t.*\tzhang.jb\timport.batch\t' "$W/log" || fail "log list: $(cat "$W/log")"
as li.jd screen show 1 --db "$DB" >"$W/show" 2>/dev/null || fail "screen show"
grep -q '^筛查运行 run #1  基准日 as of 2024-12-31' "$W/show" && grep -q '^benefit.paid_after_death  *1  *6000.00' "$W/show" ||
  fail "screen show: $(cat "$W/show")"

# 7: details and labels in Chinese; 5: name and region of the subject
as li.jd findings --db "$DB" --format csv >"$W/f.csv" 2>/dev/null || fail "findings"
grep -q "^benefit.paid_after_death,person,$B,6000.00,死亡（2024-03-10）后仍按月发放待遇,high,.*,高,参保人,正式,乙,360426,," "$W/f.csv" ||
  fail "Chinese detail and subject columns: $(cat "$W/f.csv")"
# 5: filters — a list of rules, a severity, a region prefix
as li.jd findings --db "$DB" --format csv --rule benefit.paid_after_death,identity.invalid_id >"$W/f2" 2>/dev/null ||
  fail "--rule list"
[ "$(tail -n +2 "$W/f2" | cut -d, -f1 | sort -u | tr '\n' ' ')" = "benefit.paid_after_death " ] || fail "--rule list: $(cat "$W/f2")"
as li.jd findings --db "$DB" --format csv --severity low >"$W/f3" 2>/dev/null || fail "--severity"
grep -q '^benefit.paid_after_death' "$W/f3" && fail "--severity low kept a high finding"
as li.jd findings --db "$DB" --format csv --region 4401 >"$W/f4" 2>/dev/null || fail "--region"
grep -q "$B" "$W/f4" && fail "--region 4401 kept a 360426 person"
as li.jd findings --db "$DB" --format csv --region 3604 >"$W/f5" 2>/dev/null || fail "--region 3604"
grep -q "$B" "$W/f5" || fail "--region 3604 lost the 360426 person"
"$FG" findings --db "$DB" --format csv --severity urgent >/dev/null 2>"$W/e"; [ $? -eq 2 ] || fail "--severity urgent must be a usage error"

# 6: one finding with its evidence and where it came from
fid=$(grep '^benefit.paid_after_death' "$W/f.csv" | awk -F, '{print $(NF-2)}' | tr -d '\r') # finding_id, then finding_no and continuity
as li.jd finding show "$fid" --db "$DB" >"$W/fs" 2>/dev/null || fail "finding show"
grep -q '规则 rule: benefit.paid_after_death 死亡后继续发放待遇' "$W/fs" || fail "finding show rule: $(cat "$W/fs")"
grep -q '证据 待遇发放（benefit_payments）#4，来自批次 #1 文件 benefit_payments.csv 第 5 行' "$W/fs" ||
  fail "finding show evidence origin: $(cat "$W/fs")"
grep -q 'scheme=110（企业职工基本养老保险） benefit_type=pension（基本养老金）' "$W/fs" || fail "finding show labels"
[ "$(jcount "$DB" finding.view)" -eq 1 ] || fail "finding show is journaled"
refused authz.denied as zhang.jb finding show "$fid" --db "$DB"
# 6/7: person show names every table, codes labelled
as li.jd person show "$B" --db "$DB" >"$W/ps" 2>/dev/null || fail "person show"
grep -q 'sex=2（女）' "$W/ps" && grep -q '死亡火化信息 deaths' "$W/ps" && grep -q '服刑人员信息 incarcerations' "$W/ps" &&
  grep -q '医疗结算 medical_settlements' "$W/ps" || fail "person show tables and labels: $(cat "$W/ps")"

# 12: a readable proposal, readable by its proposer and its reviewers;
#     reviewers may read the finding they are asked to judge (journaled)
printf '[thresholds]\nlarge_payment = 30000\n' >"$W/t.ini"
as li.jd propose config "$W/t.ini" --db "$DB" >/dev/null 2>&1 || fail "propose config"
cid=$(sqlite3 "$DB" "SELECT max(id) FROM proposals")
as li.jd propose show "$cid" --db "$DB" >"$W/ps1" 2>/dev/null || fail "the proposer sees the own proposal"
grep -q 'thresholds.large_payment: 50000.00 → 30000.00' "$W/ps1" || fail "config summary: $(cat "$W/ps1")"
as wang.fh propose show "$cid" --db "$DB" >/dev/null 2>&1 || fail "the reviewer sees the proposal"
as zhang.jb propose amend --table persons --record "$B" --set name=乙二 --reason "更正" --db "$DB" >/dev/null 2>&1 ||
  fail "propose amend"
aid=$(sqlite3 "$DB" "SELECT max(id) FROM proposals")
as zhang.jb propose show "$aid" --db "$DB" >"$W/ps2" 2>/dev/null || fail "the handler sees the own amendment"
grep -q '  name: 乙 → 乙二' "$W/ps2" || fail "amendment summary: $(cat "$W/ps2")"
refused authz.denied as zhang.jb propose show "$cid" --db "$DB"
n0=$(jcount "$DB" finding.view)
as wang.fh finding show "$fid" --db "$DB" >/dev/null 2>&1 || fail "a reviewer reads the finding under review"
sqlite3 "$DB" "SELECT payload FROM journal WHERE action = 'finding.view' ORDER BY seq DESC LIMIT 1" |
  grep -q "reviewer of #$aid" || fail "the reviewer's read is journaled as such"
as wang.fh person show "$B" --db "$DB" >/dev/null 2>&1 || fail "a reviewer reads the person under review"

# 8: a partial run is marked and not the default; 14: --allow-future
as li.jd screen --db "$DB" --as-of "$AS_OF" --rules identity.invalid_id >"$W/p" 2>/dev/null || fail "partial screen"
grep -q '部分规则 partial' "$W/p" || fail "partial run not marked: $(head -1 "$W/p")"
as li.jd findings --db "$DB" --format csv >/dev/null 2>"$W/e" || fail "findings after a partial run"
grep -q '#1' "$W/e" || fail "the default is the latest full official run: $(cat "$W/e")"
as li.jd screen --db "$DB" --as-of 2099-01-01 >/dev/null 2>"$W/e"; [ $? -eq 2 ] || fail "a future --as-of needs --allow-future"
grep -q 'allow-future' "$W/e" || fail "future message: $(cat "$W/e")"
as li.jd screen --db "$DB" --as-of 2099-01-01 --allow-future >"$W/fu" 2>/dev/null || fail "--allow-future"
grep -q '未来日期试算' "$W/fu" || fail "a future run is recorded as a what-if: $(head -1 "$W/fu")"
# calendar warning only for the years the run's rules read (none here: no operations)
as li.jd screen --db "$DB" --as-of "$AS_OF" >/dev/null 2>"$W/e" || fail "screen"
grep -q '工作日历未覆盖' "$W/e" && fail "calendar warning without any rule reading the calendar: $(cat "$W/e")"

# 14: typos; 10: a missing store names the default and the stores found
"$FG" improt >/dev/null 2>"$W/e"; [ $? -eq 2 ] && grep -q "是否想用 'import'" "$W/e" || fail "improt: $(cat "$W/e")"
"$FG" log verfy --db "$DB" >/dev/null 2>"$W/e"; grep -q "'verify'" "$W/e" || fail "log verfy: $(cat "$W/e")"
(cd "$W" && "$FG" runs >/dev/null 2>"$W/e"); grep -q '默认为当前目录的 fundguard.db' "$W/e" && grep -q 's.db' "$W/e" ||
  fail "missing store advice: $(cat "$W/e")"
# 9: verify's verdict on stdout
cp "$DB" "$W/t.db"; cp "$DB.key" "$W/t.db.key"
sqlite3 "$W/t.db" "DROP TRIGGER persons_no_update; UPDATE persons SET name = 'x' WHERE rowid = 1"
"$FG" log verify --db "$W/t.db" >"$W/v" 2>/dev/null && fail "verify of a tampered store"
grep -q '校验失败 FAILED' "$W/v" || fail "verify stdout must say it failed: $(cat "$W/v")"
grep -q '核对一致。$' "$W/v" && fail "verify stdout must not claim success"
# 11: tables line up by display width; one monotonic progress bar per step
"$FG" gen --persons 2000 --seed 5 --as-of "$AS_OF" --out "$W/city" --truth "$W/truth.csv" >/dev/null
"$FG" init --db "$W/p.db" --roster "$ROOT/scripts/demo-roster.csv" >/dev/null || fail "init p"
FG="$FG" bash "$ROOT/scripts/set-passwords.sh" "$W/p.db" "$TRUST_PW" || fail "passwords p"
if command -v script >/dev/null 2>&1; then
  FUNDGUARD_USER=zhang.jb script -qec "'$FG' import --db '$W/p.db' '$W/city'" /dev/null >"$W/tty.out" 2>&1 ||
    fail "import on a terminal: $(cat "$W/tty.out")"
  tr '\r' '\n' <"$W/tty.out" | sed -n 's/^导入 import \[[#.]*\] *\([0-9]*\)%.*/\1/p' >"$W/pct"
  [ "$(wc -l <"$W/pct")" -ge 2 ] || fail "no progress shown: $(cat -v "$W/tty.out" | head -5)"
  sort -n -c "$W/pct" 2>/dev/null || fail "progress went backwards: $(tr '\n' ' ' <"$W/pct")"
  [ "$(sort -n "$W/pct" | tail -1)" -le 100 ] || fail "progress past 100%"
  grep -a '^文件 file' "$W/tty.out" | tr -d '\r' >"$W/head"
  grep -a '^persons.csv ' "$W/tty.out" | tr -d '\r' >>"$W/head"
  [ "$(while IFS= read -r l; do printf '%s\n' "$l" | LC_ALL=C.UTF-8 wc -L; done <"$W/head" | sort -u | wc -l)" -eq 1 ] ||
    fail "summary columns do not line up: $(cat "$W/head")"
fi
echo "OK e2e_usability"
