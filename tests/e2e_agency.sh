#!/usr/bin/env bash
# e2e_agency.sh — data standard v1.3 / cases.md: platform users belong to an
# agency. init's roster `agency` column is stored (it was read and dropped
# before), `user list` and `user show` name it, a malformed code is refused,
# and once a batch has brought agencies.csv a reviewed `user create --agency`
# must name one of them, at proposal (a refusal journaled like every other)
# and again when applied. The journal still verifies, and an insider who
# edits a user's agency or plants an agency in the file is found by verify. Usage: bash e2e_agency.sh path/to/fundguard
FG="$1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tests/trust_lib.sh"
trust_workdir
DB="$W/a.db"
{ head -1 "$ROOT/scripts/demo-roster.csv" | tr -d '\r' | sed 's/$/,agency/'
  tail -n +2 "$ROOT/scripts/demo-roster.csv" | tr -d '\r' |
    sed 's/^\(zhang.jb,.*\)$/\1,A410102/; /A410102$/!s/$/,/'; } >"$W/roster.csv"
"$FG" init --db "$DB" --roster "$W/roster.csv" >/dev/null || fail "init with an agency column"
FG="$FG" bash "$ROOT/scripts/set-passwords.sh" "$DB" "$TRUST_PW" || fail "set passwords"
[ "$(sqlite3 "$DB" "SELECT agency FROM users WHERE name = 'zhang.jb'")" = A410102 ] ||
  fail "the roster's agency was not stored"
as zhou.xt user list --db "$DB" >"$W/list" 2>&1 || fail "user list: $(cat "$W/list")"
grep -q '^zhang.jb	张经办	.*	A410102$' "$W/list" || fail "user list agency: $(cat "$W/list")"
grep -q '^li.jd	.*	基金监督机构$' "$W/list" || fail "user list office: $(cat "$W/list")"
as zhou.xt user show zhang.jb --db "$DB" 2>&1 | grep -q '^所在机构 agency: A410102$' || fail "user show agency"

# a malformed roster agency creates nobody
printf 'user,name,roles,agency\nbad.one,坏,auditor,A-1\n' >"$W/bad.csv"
"$FG" init --db "$W/b.db" --roster "$W/bad.csv" >"$W/bad.out" 2>&1 && fail "a malformed agency accepted"
grep -q '经办机构编码无效' "$W/bad.out" || fail "malformed agency message: $(cat "$W/bad.out")"

# agencies.csv imported: user create --agency must name one of them
mkdir -p "$W/d"
printf 'agency_id,name,region,level,parent_id\nA410100,郑州市社会保险事业管理中心,410100,city,\nA410102,中原区社会保险事业管理中心,410102,county,A410100\n' \
  >"$W/d/agencies.csv"
as zhang.jb import --db "$DB" "$W/d" >/dev/null 2>&1 || fail "import agencies"
denied=$(jcount "$DB" proposal.denied)
as zhou.xt user create liu.new --name 刘新 --roles handler --agency A410199 --db "$DB" >"$W/c0.out" 2>&1 &&
  fail "an unknown agency proposed"
grep -q '不在已导入的 agencies 中' "$W/c0.out" || fail "unknown agency message: $(cat "$W/c0.out")"
[ "$(jcount "$DB" proposal.denied)" -eq $((denied + 1)) ] || fail "the refused proposal is not journaled"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM proposals")" -eq 0 ] || fail "a refused proposal was stored"
as zhou.xt user create liu.new --name 刘新 --roles handler --agency A410100 --db "$DB" >"$W/c.out" 2>&1 ||
  fail "propose create: $(cat "$W/c.out")"
id=$(sed -n 's/^已提交提议 #\([0-9]*\).*/\1/p' "$W/c.out")
as wang.fh propose show "$id" --db "$DB" 2>/dev/null | grep -q "所在机构 A410100" || fail "propose show names the agency"
as wang.fh propose review "$id" --db "$DB" >/dev/null 2>&1 || fail "review create"
as zhao.sp propose approve "$id" --db "$DB" >"$W/ap.out" 2>&1 || fail "approve create: $(cat "$W/ap.out")"
[ "$(sqlite3 "$DB" "SELECT agency FROM users WHERE name = 'liu.new'")" = A410100 ] ||
  fail "the reviewed user's agency"
sqlite3 "$DB" "SELECT payload FROM journal WHERE action = 'user.create'" | grep -q '"agency":"A410100"' ||
  fail "user.create entry does not name the agency"
as sun.aq log verify --db "$DB" >"$W/v" 2>&1 || fail "verify: $(cat "$W/v")"

# the insider with the file: moving oneself to another agency (trigger dropped,
# row edited, trigger put back) or planting an agency is found by verify
for x in moved planted; do cp "$DB" "$W/$x.db"; cp "$DB.key" "$W/$x.db.key"; done
sqlite3 "$W/moved.db" "DROP TRIGGER users_no_update;
  UPDATE users SET agency = 'A410102' WHERE name = 'liu.new';
  CREATE TRIGGER users_no_update BEFORE UPDATE ON users BEGIN SELECT RAISE(ABORT, 'x'); END;" ||
  fail "tamper setup (moved)"
as sun.aq log verify --db "$W/moved.db" >"$W/v1" 2>&1 && fail "an edited users.agency passed verify"
grep -q 'users' "$W/v1" || fail "verify does not name users: $(cat "$W/v1")"
sqlite3 "$W/planted.db" "INSERT INTO agencies SELECT 'A999', '假机构', '410100', 'county', NULL, _batch, 9
  FROM agencies LIMIT 1" || fail "tamper setup (planted)"
as sun.aq log verify --db "$W/planted.db" >"$W/v2" 2>&1 && fail "a planted agency passed verify"
grep -q '表 agencies' "$W/v2" || fail "verify does not name agencies: $(cat "$W/v2")"
echo "OK e2e_agency"
