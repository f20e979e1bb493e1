#!/usr/bin/env bash
# e2e_hardening.sh — issue 12's holes an insider or a race can use, closed,
# through the CLI: a reviewed user creation whose approver never learns the
# initial password (5); a foreign platform key refused (7); outputs that
# cannot overwrite the store, its key or an input file, written whole or not
# at all (8); two imports of one folder at once store it once (9); approve and
# refuse racing decide once (10); files created 0600 whatever the umask (11);
# import reads regular files of the folder only, refuses CR-only files and
# control characters and prints names escaped (12); CSV cells that a
# spreadsheet would run as formulas are neutralised (15).
# Usage: bash e2e_hardening.sh path/to/fundguard
FG="$1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tests/trust_lib.sh"
trust_workdir
umask 022

trust_data "$W/d"
trust_store "$DB" "$W/d"
verify_ok "the store"

# ---- 11. personal data is created for the owner only, whatever the umask
for f in "$DB" "$DB-wal" "$DB.key" "$DB.findings.csv"; do
  [ ! -e "$f" ] || [ "$(stat -c %a "$f")" = 600 ] || fail "(11) $f is $(stat -c %a "$f"), want 600"
done
as chen.jh log checkpoint --db "$DB" -o "$W/cp" 2>/dev/null || fail "checkpoint"
[ "$(stat -c %a "$W/cp")" = 600 ] || fail "(11) checkpoint mode"

# ---- 7. another store's platform key is refused, nothing is signed with it
"$FG" init --db "$W/other.db" --roster "$ROOT/scripts/demo-roster.csv" >/dev/null || fail "init other"
n0=$(sqlite3 "$DB" "SELECT count(*) FROM journal")
FUNDGUARD_KEY="$W/other.db.key" as li.jd screen --db "$DB" --as-of "$AS_OF" >/dev/null 2>"$W/k.err" &&
  fail "(7) a command ran with a foreign platform key"
grep -q '不属于这个数据库' "$W/k.err" || fail "(7) message: $(cat "$W/k.err")"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM journal")" -eq "$n0" ] || fail "(7) an entry was signed"
verify_ok "(7)"

# ---- 8. outputs never overwrite the store, its key or an input file
cp "$DB" "$W/before.db"
for target in "$DB" "$DB.key" "$DB-wal" "$W/d/persons.csv"; do
  sum=$(sha256sum "$target" 2>/dev/null | cut -c1-64)
  as zhang.jb import --db "$DB" --quarantine "$target" "$W/d" >/dev/null 2>"$W/q.err" &&
    fail "(8) --quarantine $target accepted"
  grep -q '拒绝写入' "$W/q.err" || fail "(8) quarantine message: $(cat "$W/q.err")"
  [ "$target" = "$W/d/persons.csv" ] ||  # findings read no input file
    ! as li.jd findings --db "$DB" --format csv -o "$target" >/dev/null 2>"$W/o.err" ||
    fail "(8) findings -o $target accepted"
  [ "$target" = "$DB-wal" ] || [ "$(sha256sum "$target" | cut -c1-64)" = "$sum" ] ||
    fail "(8) $target was changed"
done
ln -s "$DB" "$W/alias.db"
as li.jd findings --db "$DB" --format csv -o "$W/alias.db" >/dev/null 2>&1 && fail "(8) a link to the store"
as chen.jh log checkpoint --db "$DB" -o "$DB.key" >/dev/null 2>&1 && fail "(8) checkpoint over the key"
verify_ok "(8) refused outputs"
# an export replaces its target only when complete: a failed one leaves it
echo "old export" >"$W/keep.csv"
as li.jd findings --db "$DB" --run 99 --format csv -o "$W/keep.csv" >/dev/null 2>&1 && fail "(8) run 99"
[ "$(cat "$W/keep.csv")" = "old export" ] || fail "(8) a failed export touched its target"
ls "$W"/keep.csv.tmp.* >/dev/null 2>&1 && fail "(8) a temporary file was left"

# ---- 9. two imports of one folder at the same time store it once
"$FG" gen --persons 3000 --seed 7 --as-of "$AS_OF" --out "$W/city" --truth "$W/truth.csv" >/dev/null
"$FG" init --db "$W/race.db" --roster "$ROOT/scripts/demo-roster.csv" >/dev/null || fail "init race"
FG="$FG" bash "$ROOT/scripts/set-passwords.sh" "$W/race.db" "$TRUST_PW" || fail "race passwords"
(as zhang.jb import --db "$W/race.db" "$W/city" >/dev/null 2>&1) &
p1=$!
(as zhang.jb import --db "$W/race.db" "$W/city" >/dev/null 2>&1) &
p2=$!
wait $p1 || fail "(9) first import"
wait $p2 || fail "(9) second import"
want=$(($(wc -l <"$W/city/contributions.csv") - 1))
got=$(sqlite3 "$W/race.db" "SELECT count(*) FROM contributions")
[ "$got" -eq "$want" ] || fail "(9) contributions stored $got times for $want rows"
[ "$(sqlite3 "$W/race.db" "SELECT count(*) FROM batches")" -eq 1 ] || fail "(9) two batches"
"$FG" log verify --db "$W/race.db" >/dev/null || fail "(9) verify"

# ---- 10. approve and refuse at the same time: one decision
for round in 1 2 3; do
  as zhou.xt user grant chen.jh security-auditor --db "$DB" >"$W/g.out" 2>&1 || fail "(10) propose"
  id=$(sed -n 's/^已提交提议 #\([0-9]*\).*/\1/p' "$W/g.out")
  as wang.fh propose review "$id" --db "$DB" >/dev/null 2>&1 || fail "(10) review"
  (as zhao.sp propose approve "$id" --db "$DB" >/dev/null 2>&1; echo $? >"$W/a.rc") &
  (as wang.fh propose refuse "$id" --reason race --db "$DB" >/dev/null 2>&1; echo $? >"$W/r.rc") &
  wait
  ok=$(( $(cat "$W/a.rc") == 0 )); ok=$((ok + $(( $(cat "$W/r.rc") == 0 )) ))
  [ "$ok" -eq 1 ] || fail "(10) round $round: approve rc $(cat "$W/a.rc"), refuse rc $(cat "$W/r.rc")"
  steps=$(sqlite3 "$DB" "SELECT group_concat(step) FROM (SELECT step FROM proposal_events
          WHERE proposal_id = $id AND step IN ('approve', 'refuse') ORDER BY step)")
  [ "$steps" = approve ] || [ "$steps" = refuse ] || fail "(10) round $round: steps $steps"
  grants=$(sqlite3 "$DB" "SELECT count(*) FROM role_events WHERE proposal_id = $id")
  if [ "$steps" = refuse ]; then [ "$grants" -eq 0 ] || fail "(10) a refused grant was applied"; fi
  # revoke again for the next round when it was granted
  if [ "$steps" = approve ]; then
    as zhou.xt user revoke chen.jh security-auditor --db "$DB" >"$W/g.out" 2>&1 || fail "(10) revoke"
    id=$(sed -n 's/^已提交提议 #\([0-9]*\).*/\1/p' "$W/g.out")
    as wang.fh propose review "$id" --db "$DB" >/dev/null 2>&1 || fail "(10) review revoke"
    [ "$(sqlite3 "$DB" "SELECT count(*) FROM proposal_events WHERE proposal_id = $id AND step = 'apply'")" -eq 1 ] ||
      fail "(10) the revoke is applied on review"
  fi
done
verify_ok "(10) raced steps"

# ---- 5. a reviewed user creation: the proposer gets the initial password,
#         the approver never sees it, the new user must set their own
as zhou.xt user create liu.new --name 刘新 --roles auditor --db "$DB" >"$W/c.out" 2>&1 ||
  fail "(5) propose create: $(cat "$W/c.out")"
id=$(sed -n 's/^已提交提议 #\([0-9]*\).*/\1/p' "$W/c.out")
ipw=$(sed -n 's/^initial_password=//p' "$W/c.out")
[ -n "$ipw" ] || fail "(5) the proposer is shown the initial password"
as wang.fh propose review "$id" --db "$DB" >/dev/null 2>&1 || fail "(5) review create"
as zhao.sp propose approve "$id" --db "$DB" >"$W/ap.out" 2>&1 || fail "(5) approve create: $(cat "$W/ap.out")"
grep -q -- "$ipw" "$W/ap.out" && fail "(5) the approver saw the initial password"
sqlite3 "$DB" "SELECT payload FROM journal" | grep -q -- "$ipw" && fail "(5) initial password in the journal"
FUNDGUARD_USER=liu.new FUNDGUARD_PASSWORD="$ipw" "$FG" findings --db "$DB" --format csv >/dev/null 2>&1 &&
  fail "(5) the initial password was accepted for a command"
FUNDGUARD_USER=liu.new FUNDGUARD_PASSWORD="$ipw" FUNDGUARD_NEW_PASSWORD=short "$FG" user passwd --db "$DB" \
  >/dev/null 2>&1 && fail "(5) a short password"
FUNDGUARD_USER=liu.new FUNDGUARD_PASSWORD="$ipw" FUNDGUARD_NEW_PASSWORD=liu-own-pass-9 "$FG" user passwd \
  --db "$DB" >/dev/null 2>&1 || fail "(5) the new user sets a password"
FUNDGUARD_USER=liu.new FUNDGUARD_PASSWORD=liu-own-pass-9 "$FG" findings --db "$DB" --format csv >/dev/null 2>&1 ||
  fail "(5) the new user works with their own password"
verify_ok "(5) reviewed creation"

# ---- 12. regular files of the folder only; CR-only and control characters
mkdir -p "$W/bad"
cp "$W/d/persons.csv" "$W/bad/"
ln -s /etc/passwd "$W/bad/deaths.csv"
as zhang.jb import --db "$DB" "$W/bad" >"$W/b.out" 2>&1 && fail "(12) a symbolic link was read"
grep -q '符号链接' "$W/b.out" || fail "(12) symlink message: $(cat "$W/b.out")"
grep -q 'root:' "$W/b.out" && fail "(12) the link's content was printed"
rm "$W/bad/deaths.csv"
mkfifo "$W/bad/deaths.csv"
timeout 20 bash -c "FUNDGUARD_USER=zhang.jb '$FG' import --db '$DB' '$W/bad'" >"$W/b.out" 2>&1
rc=$?
[ $rc -ne 124 ] || fail "(12) a FIFO hangs the import"
[ $rc -eq 1 ] && grep -q '不是普通文件' "$W/b.out" || fail "(12) FIFO: rc $rc $(cat "$W/b.out")"
rm "$W/bad/deaths.csv"
printf 'person_id,death_date,source\r%s,2024-03-10,civil_affairs\r' "$(gb11643 110101 19600101 013)" \
  >"$W/bad/deaths.csv"
as zhang.jb import --db "$DB" "$W/bad" >"$W/b.out" 2>&1 && fail "(12) a CR-only file"
grep -q '单独的 CR 换行' "$W/b.out" || fail "(12) CR-only message: $(cat "$W/b.out")"
rm "$W/bad/deaths.csv"
printf 'person_id,name,sex,birth_date,region\n%s,丁\x00戊,1,1980-01-01,110101\n' \
  "$(gb11643 110101 19800101 055)" >"$W/bad/persons.csv"
touch "$W/bad/$(printf 'evil\033[31mname.txt')"
as zhang.jb import --db "$DB" "$W/bad" >"$W/b.out" 2>&1 && fail "(12) a NUL in a name"
grep -q 'persons.csv:2:2: name: 含控制字符' "$W/b.out" || fail "(12) NUL message: $(cat "$W/b.out")"
grep -q 'evil\\x1B\[31mname.txt' "$W/b.out" || fail "(12) the file name must be escaped: $(cat -v "$W/b.out")"
grep -q $'\033' "$W/b.out" && fail "(12) a raw escape reached the terminal"
verify_ok "(12) refused imports"

# ---- 16. a killed screening's temporary snapshot is swept; the snapshot's
#          digest is trusted only from an entry whose signature holds
[ -f "$DB.model" ] || fail "(16) the first screening writes a snapshot"
dead=$(sh -c 'echo $$')  # a pid that no longer runs
touch "$DB.model.tmp.$dead"
as li.jd screen --db "$DB" --as-of "$AS_OF" >/dev/null 2>"$W/s.err" || fail "(16) screen: $(cat "$W/s.err")"
[ ! -e "$DB.model.tmp.$dead" ] || fail "(16) a stale temporary snapshot was left"
# the snapshot's digest is a hash list of 64 MiB pieces: for this small file,
# the SHA-256 of the file's SHA-256 (snapshot.h)
snap_digest() {
  local one
  one=$(sha256sum "$1" | cut -c1-64)
  printf "$(echo "$one" | sed 's/../\\x&/g')" | sha256sum | cut -c1-64
}
[ "$(stat -c %s "$DB.model")" -lt 67108864 ] || fail "(16) the fixture's snapshot is one piece"
s=$(sqlite3 "$DB" "SELECT max(seq) FROM journal WHERE action = 'screen.run'")
old=$(sqlite3 "$DB" "SELECT json_extract(CAST(payload AS TEXT), '$.snapshot_sha256') FROM journal WHERE seq = $s")
[ "$(snap_digest "$DB.model")" = "$old" ] || fail "(16) the test computes the snapshot digest as the journal records it"
printf 'X' | dd of="$DB.model" bs=1 seek=200 conv=notrunc 2>/dev/null
new=$(snap_digest "$DB.model")
sqlite3 "$DB" "DROP TRIGGER journal_no_update; UPDATE journal SET payload = replace(payload, '$old', '$new') WHERE seq = $s;"
keep=$(sqlite3 "$W/race.db" "SELECT sql FROM sqlite_master WHERE name = 'journal_no_update'")
sqlite3 "$DB" "$keep"
as li.jd screen --db "$DB" --as-of "$AS_OF" >/dev/null 2>"$W/s.err" || fail "(16) screen after the forgery"
grep -q '签名或叶哈希不符' "$W/s.err" || fail "(16) the forged digest was trusted: $(cat "$W/s.err")"

echo "OK e2e_hardening"
