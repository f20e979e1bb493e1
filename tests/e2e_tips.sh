#!/usr/bin/env bash
# e2e_tips.sh — the whistleblower desk (cases.md, issue 16.2, first part): a
# real-name tip's reporter details come from a file or standard input, never
# the command line; they are sealed to the desk key, which only desk users
# can open. The store file (and its WAL), the journal, every export and the
# output of every command the other roles can run are searched for the
# reporter's name, id and phone, and hold none of them. `tip reveal` shows
# them to a desk user and is journaled; other roles are refused. A desk user
# whose key changed (password) has no copy of the desk key until another desk
# user acts; a desk user granted the role by review gets one the same way.
# Usage: bash e2e_tips.sh path/to/fundguard
FG="$1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tests/trust_lib.sh"
trust_workdir
fake_clock
agency_roster "$W/roster.csv" "ma.jb,马举报,whistleblower-desk," "niu.jb,牛举报,whistleblower-desk," "qian.ag,钱经办,handler,A360426"
trust_data "$W/d"
printf 'agency_id,name,region,level,parent_id\nA360426,于都县社会保险事业管理中心,360426,county,\n' >"$W/d/agencies.csv"
STAFF_ID=$(gb11643 440113 19880101 001)
printf '%s,职工,1,1988-01-01,440113\n' "$STAFF_ID" >>"$W/d/persons.csv"
printf 'staff_id,name,person_id,post,post_since,high_risk,roles\nS9,职工,%s,经办,2020-01-01,N,handler\n' "$STAFF_ID" >"$W/d/staff.csv"
faketime "2026-05-11 02:00:00" "$FG" init --db "$DB" --roster "$W/roster.csv" >/dev/null || fail "init"
FG="$FG" faketime "2026-05-11 02:00:00" bash "$ROOT/scripts/set-passwords.sh" "$DB" "$TRUST_PW" || fail "passwords"
D=2026-05-11
ok $D zhang.jb import "$W/d"
ok $D li.jd screen --as-of 2024-12-31
NAME="欧阳举报人" ID="110101199001011237" PHONE="13912345678"
printf 'name=%s\nid=%s\nphone=%s\ncapacity=full\n' "$NAME" "$ID" "$PHONE" >"$W/reporter.txt"
no $D li.jd tip file --channel phone --reporter-file "$W/reporter.txt" --subject-type person \
  --subject-id 360426195503150247 --text "死亡后仍领取养老金"     # not the desk
ok $D ma.jb tip file --channel phone --reporter-file "$W/reporter.txt" --subject-type person \
  --subject-id 360426195503150247 --text "死亡后仍领取养老金"
t1=$(sed -n 's/^已登记举报 #\([0-9]*\).*/\1/p' "$W/o")
# standard input, and an anonymous tip
printf 'name=%s\nid=%s\nphone=%s\n' "$NAME" "$ID" "$PHONE" |
  FUNDGUARD_USER=niu.jb faketime "$D 02:00:00" "$FG" tip file --db "$DB" --channel letter --subject-type person \
  --subject-id 440113197005050317 --text "冒领" >"$W/o" 2>&1 || fail "tip from stdin: $(cat "$W/o")"
ok $D ma.jb tip file --channel web --anonymous --subject-type employer --subject-id E001 --text "少报工资"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM tips")" -eq 3 ] || fail "three tips"
ok $D ma.jb tip reveal "$t1"
grep -q "$NAME" "$W/o" && grep -q "$ID" "$W/o" && grep -q "$PHONE" "$W/o" || fail "reveal: $(cat "$W/o")"
[ "$(jcount "$DB" tip.reveal)" -eq 1 ] || fail "the reveal is journaled"
for u in li.jd chen.jh sun.aq zhou.xt wang.fh zhao.sp zhang.jb; do no $D "$u" tip reveal "$t1"; done

# everything the other roles can read, and the files themselves
{
  as li.jd findings --db "$DB" --format csv 2>&1
  as li.jd case list --db "$DB" --format csv 2>&1
  as chen.jh log list --db "$DB" 2>&1
  as sun.aq log list --db "$DB" 2>&1
  as sun.aq user list --db "$DB" 2>&1
  as zhou.xt propose list --db "$DB" 2>&1
  as li.jd runs --db "$DB" 2>&1
  as li.jd batches --db "$DB" 2>&1
  sqlite3 "$DB" .dump
  sqlite3 "$DB" "SELECT payload FROM journal"
} >"$W/everything.txt"
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
for f in "$W/everything.txt" "$DB" "$DB-wal"; do
  [ -e "$f" ] || continue
  for s in "$NAME" "$ID" "$PHONE"; do
    grep -aq "$s" "$f" && fail "the reporter's \"$s\" is in $f"
    strings -a "$f" | grep -q "$s" && fail "strings finds \"$s\" in $f"
  done
done

# a new key pair (password change) has no copy until another desk user acts
FUNDGUARD_USER=ma.jb FUNDGUARD_PASSWORD="$TRUST_PW" FUNDGUARD_NEW_PASSWORD="trust-e2e-pass-2" \
  faketime "$D 02:00:00" "$FG" user passwd --db "$DB" </dev/null >/dev/null 2>&1 || fail "passwd"
FUNDGUARD_PASSWORD="trust-e2e-pass-2" no $D ma.jb tip reveal "$t1"
grep -q '尚未获得举报受理密钥' "$W/o" || fail "no copy message: $(cat "$W/o")"
ok $D niu.jb tip list
grep -q '^[0-9]*,2026-05-11,phone,real_name,person,' "$W/o" || fail "tip list: $(cat "$W/o")"
grep -q "$NAME" "$W/o" && fail "tip list shows the reporter"
FUNDGUARD_PASSWORD="trust-e2e-pass-2" ok $D ma.jb tip reveal "$t1"
grep -q "$ID" "$W/o" || fail "reveal after the handover"
# a desk user granted the role by review gets the key by another desk user's next act
ok $D zhou.xt user grant chen.jh whistleblower-desk
pg=$(sed -n 's/^已提交提议 #\([0-9]*\).*/\1/p' "$W/o")
ok $D wang.fh propose review "$pg"
ok $D zhao.sp propose approve "$pg"
no $D chen.jh tip reveal "$t1"
grep -q '尚未获得举报受理密钥' "$W/o" || fail "new desk user: $(cat "$W/o")"
ok $D niu.jb tip list
ok $D chen.jh tip reveal "$t1"
grep -q "$PHONE" "$W/o" || fail "the new desk user reads after the handover"

# ---- rewards (GZ 33, 36-38): every condition refused on its own -------------------
reward() { local t="$1"; shift; at $D niu.jb propose reward "$t" "$@"; }
tip() { local who="$1"; shift; printf "$who" | FUNDGUARD_USER=niu.jb faketime "$D 02:00:00" "$FG" tip file --db "$DB" "$@" \
  >"$W/o" 2>&1 || fail "tip: $(cat "$W/o")"; sed -n 's/^已登记举报 #\([0-9]*\).*/\1/p' "$W/o"; }
full="name=甲\nid=110101198001010015\nphone=13800000001\ncapacity=full\n"
t4=$(tip "$full" --channel visit --subject-type person --subject-id 440113197005050317 --text "后来的举报")
t5=$(tip "name=乙\nid=$STAFF_ID\nphone=13800000002\ncapacity=full\n" --channel email \
  --subject-type employer --subject-id E002 --text "经办人员举报")
t6=$(tip "$full" --channel web --subject-type unknown --subject-id - --text "听说有人冒领")
t3=$(sqlite3 "$DB" "SELECT id FROM tips WHERE anonymous = 1")
t2=$(sqlite3 "$DB" "SELECT id FROM tips WHERE channel = 'letter'")
no $D niu.jb propose reward "$t3" --verified-amount 10000; grep -q '匿名' "$W/o" || fail "anonymous: $(cat "$W/o")"
no $D niu.jb propose reward "$t2" --verified-amount 10000; grep -q '完全民事行为能力' "$W/o" || fail "capacity"
no $D niu.jb propose reward "$t6" --verified-amount 10000; grep -q '明确的被举报对象' "$W/o" || fail "subject"
no $D niu.jb propose reward "$t1" --verified-amount 10000; grep -q '已有疑点或案件' "$W/o" || fail "already known"
no $D niu.jb propose reward "$t5" --verified-amount 10000; grep -q '基金管理职责' "$W/o" || fail "fund duties"
no $D niu.jb propose reward "$t4" --verified-amount 10000; grep -q '在先举报' "$W/o" || fail "later reporter"
no $D niu.jb propose reward "$t4" --verified-amount 10000 --contribution "提供了关键证据"
grep -q '尚未以查实的结果办结' "$W/o" || fail "not verified: $(cat "$W/o")"
# the tip handled as a case, verified and closed
ok $D li.jd case issue --tip "$t4" --to A360426
c=$(sed -n 's/.*已下发为案件 #\([0-9]*\).*/\1/p' "$W/o")
no $D li.jd case issue --tip "$t4" --to A360426
ok $D qian.ag case assign "$c" --to qian.ag
ok $D qian.ag case classify "$c" --outcome unregistered_employer --text "单位未参保"
ok $D qian.ag case note "$c" --text "已补办登记" --records registration
ok $D qian.ag case close "$c"
no $D li.jd propose reward "$t4" --verified-amount 10000 --contribution "x"   # not the desk
ok $D niu.jb propose reward "$t4" --verified-amount 10000 --contribution "提供了关键证据"
grep -q '按配置计奖励 500.00 元' "$W/o" || fail "5% of 10000: $(cat "$W/o")"
pr=$(sed -n 's/^已提交奖励提议 #\([0-9]*\).*/\1/p' "$W/o")
no $D niu.jb propose review "$pr"
ok $D wang.fh propose review "$pr"
ok $D zhao.sp propose approve "$pr"
[ "$(sqlite3 "$DB" "SELECT reward_fen FROM tip_rewards WHERE tip = $t4")" = 50000 ] || fail "reward stored"
ok $D niu.jb tip decision "$t4" -o "$W/decision.html"
grep -q '举报奖励决定书' "$W/decision.html" && grep -q '<b>500.00 元</b>' "$W/decision.html" &&
  grep -q '<p>甲：</p>' "$W/decision.html" || fail "decision: $(cat "$W/decision.html")"
no $D li.jd tip decision "$t4" -o "$W/d2.html"
[ -e "$W/d2.html" ] && fail "a refused decision left a file"
ok $D niu.jb tip list --format xlsx -o "$W/tips.xlsx"
[ -s "$W/tips.xlsx" ] || fail "tip ledger xlsx"
no $D niu.jb propose reward "$t4" --verified-amount 10000 --contribution "再次"
grep -q '已奖励' "$W/o" || fail "a joint tip is rewarded once: $(cat "$W/o")"
# a tip's case judged normal closes by case_dismiss through review
t7=$(tip "$full" --channel phone --subject-type employer --subject-id E003 --text "核实无问题的举报")
ok $D li.jd case issue --tip "$t7" --to A360426
c7=$(sed -n 's/.*已下发为案件 #\([0-9]*\).*/\1/p' "$W/o")
ok $D qian.ag case assign "$c7" --to qian.ag
ok $D qian.ag case classify "$c7" --outcome normal --text "核实无问题"
p7=$(sed -n 's/.*提议 #\([0-9]*\).*/\1/p' "$W/o")
ok $D wang.fh propose review "$p7"
at $D li.jd case show "$c7" 2>/dev/null | grep -q '^状态 state: closed' || fail "the tip's case closed by review"
verify_ok "tips"
echo "e2e_tips: ok"
