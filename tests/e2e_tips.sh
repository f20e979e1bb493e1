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
{ head -1 "$ROOT/scripts/demo-roster.csv" | tr -d '\r' | sed 's/$/,agency/'
  tail -n +2 "$ROOT/scripts/demo-roster.csv" | tr -d '\r' | sed 's/$/,/'
  echo "ma.jb,马举报,whistleblower-desk,"; echo "niu.jb,牛举报,whistleblower-desk,"; } >"$W/roster.csv"
trust_data "$W/d"
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
verify_ok "tips"
echo "e2e_tips: ok"
