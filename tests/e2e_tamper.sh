#!/usr/bin/env bash
# e2e_tamper.sh — `fundguard log verify` catches tampering done with sqlite3
# behind the platform's back. One store is built through the CLI (init, import,
# screen, findings export; see trust_lib.sh) and a checkpoint taken; each case
# works on a fresh copy, changes it, and requires verify to exit 1 with a
# message naming the table or the journal entry. Truncation and re-keying are
# caught only against the outside anchors (checkpoint, --pubkey), as
# docs/journal.md says; without them verify must (honestly) pass.
# Usage: bash e2e_tamper.sh path/to/fundguard
FG="$1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tests/trust_lib.sh"
trust_workdir
command -v sqlite3 >/dev/null || fail "sqlite3 is needed"
FG_FORGE="${FG_FORGE:-$(dirname "$FG")/fg_forge}"

trust_data "$W/d"
trust_store "$W/base.db" "$W/d"
FUNDGUARD_USER=chen.jh "$FG" log checkpoint --db "$W/base.db" -o "$W/cp" 2>/dev/null || fail "checkpoint"
sed -n 's/^平台公钥 platform public key: //p' "$W/base.db.init.out" >"$W/pub"
"$FG" log verify --db "$W/base.db" --checkpoint "$W/cp" --pubkey "$W/pub" >/dev/null || fail "base store must verify"
N=$(sqlite3 "$W/base.db" "SELECT count(*) FROM journal")

fresh() { rm -f "$W/t.db"*; cp "$W/base.db" "$W/t.db"; cp "$W/base.db.key" "$W/t.db.key"; }
sql() { sqlite3 "$W/t.db" "$1" || fail "sqlite3: $1"; }
# caught NAME PATTERN [verify flags...]: verify exits 1 and says PATTERN
caught() {
  local name="$1" pat="$2"; shift 2
  "$FG" log verify --db "$W/t.db" "$@" >"$W/out" 2>&1; local rc=$?
  [ $rc -eq 1 ] || { cat "$W/out" >&2; fail "($name) verify exit $rc, want 1"; }
  grep -q -- "$pat" "$W/out" || { cat "$W/out" >&2; fail "($name) message lacks '$pat'"; }
  echo "caught ($name): $(grep -m1 -- "$pat" "$W/out")"
}
seq_of() { sqlite3 "$W/t.db" "SELECT seq FROM journal WHERE action = '$1' ORDER BY seq LIMIT 1"; }

# (a) one byte of a fact row (the trigger dropped first)
fresh
sql "DROP TRIGGER persons_no_update;
     UPDATE persons SET name = '丁' WHERE rowid = 1;"
caught a "表 persons 中 _batch=1 的行与日志第 $(seq_of import.batch) 条不符"

# (b) a finding's amount
fresh
sql "DROP TRIGGER findings_no_update; UPDATE findings SET amount_fen = amount_fen - 100000;"
caught b "表 findings 中 run=1 的行与日志第 $(seq_of screen.run) 条不符"

# (c) a journal entry's payload
fresh
s=$(seq_of findings.export)
sql "DROP TRIGGER journal_no_update;
     UPDATE journal SET payload = replace(payload, '\"count\":1', '\"count\":0') WHERE seq = $s;"
caught c "日志第 $s 条（li.jd findings.export）：签名不符"

# (d) a user row, and a configuration row
fresh
sql "DROP TRIGGER users_no_update; UPDATE users SET display_name = '张三' WHERE name = 'zhang.jb';"
caught d-user "表 users 中 jseq=1 的行与日志第 1 条不符"
fresh
s=$(seq_of config.init)
sql "DROP TRIGGER config_versions_no_update;
     UPDATE config_versions SET text = text || ' ', sha256 = lower(hex(randomblob(32)));"
caught d-config "表 config_versions 中 jseq=$s 的行与日志第 $s 条不符"

# (e) a fact row deleted
fresh
sql "DROP TRIGGER contributions_no_delete; DELETE FROM contributions WHERE rowid = 2;"
caught e "表 contributions 中 _batch=1 的行与日志第 $(seq_of import.batch) 条不符：日志记录 5 行，现存 4 行"

# (f) two journal entries' payloads swapped
fresh
sql "DROP TRIGGER journal_no_update;
     CREATE TEMP TABLE sw AS SELECT seq, payload FROM journal WHERE seq IN (2, 3);
     UPDATE journal SET payload = (SELECT payload FROM sw WHERE sw.seq = 5 - journal.seq)
     WHERE seq IN (2, 3);"
caught f "日志第 2 条（platform user.create）：签名不符"
grep -q "日志第 3 条（platform user.create）：签名不符" "$W/out" || fail "(f) entry 3 not named"

# (g) a trigger dropped and a row of another table changed (the run's actor)
fresh
sql "DROP TRIGGER runs_no_update; UPDATE runs SET actor = 'zhang.jb';"
caught g "表 runs 中 id=1 的行与日志第 $(seq_of screen.run) 条不符"

# (h) the journal's tail truncated together with every row it covers: only
#     the checkpoint taken before can tell
fresh
s=$(seq_of screen.run)
# the triggers are put back, text for text, so the schema check sees nothing
keep=$(sqlite3 "$W/t.db" "SELECT group_concat(sql, '; ') || ';' FROM sqlite_master WHERE name IN
       ('journal_no_delete', 'runs_no_delete', 'findings_no_delete', 'finding_evidence_no_delete',
        'finding_numbers_no_delete')")
sql "DROP TRIGGER journal_no_delete; DROP TRIGGER runs_no_delete; DROP TRIGGER findings_no_delete;
     DROP TRIGGER finding_evidence_no_delete; DROP TRIGGER finding_numbers_no_delete;
     DELETE FROM journal WHERE seq >= $s; DELETE FROM finding_evidence; DELETE FROM findings;
     DELETE FROM finding_numbers; DELETE FROM runs; $keep"
"$FG" log verify --db "$W/t.db" >/dev/null || fail "(h) without an anchor verify proves internal consistency only"
caught h "日志只有 $s 条，少于检查点记录的 $N 条：日志尾部被截断" --checkpoint "$W/cp"

# (i) re-keyed: the platform key replaced in place ...
fresh
sql "DROP TRIGGER platform_keys_no_update; UPDATE platform_keys SET pubkey = randomblob(32);"
caught i-key "表 platform_keys 中 jseq=0 的行与日志第 0 条不符"
grep -q "日志第 0 条：签名公钥不是 platform 的登记公钥" "$W/out" || fail "(i-key) entry 0 not named"
# ... and a store forged whole (new platform key, every entry signed afresh):
# internally consistent, caught by the checkpoint and by the pinned key
rm -f "$W/t.db"*
trust_store "$W/t.db" "$W/d"
"$FG" log verify --db "$W/t.db" >/dev/null || fail "(i) a re-keyed store is internally consistent"
caught i-checkpoint "数据库中的平台公钥与检查点的不同" --checkpoint "$W/cp"
caught i-pubkey "数据库中的平台公钥与 --pubkey 给出的不同" --pubkey "$W/pub"
# Issue 12, items 1-3, each checked against the checkpoint taken before.
# (j) a grant planted with the next entry's number, then a refused login:
#     the login's refusal is not signed over it, and verify names the row
fresh
next=$(sqlite3 "$W/t.db" "SELECT max(seq) + 1 FROM journal")
sql "INSERT INTO role_events (user, role, op, proposal_id, jseq) VALUES ('zhang.jb', 'supervisor', 'grant', 0, $next);"
FUNDGUARD_USER=zhang.jb FUNDGUARD_PASSWORD=wrong-password-1 "$FG" import --db "$W/t.db" "$W/d" \
  >/dev/null 2>"$W/j.err" && fail "(j) import with a wrong password"
grep -q '不是本操作写的' "$W/j.err" || fail "(j) the entry must refuse the planted row: $(cat "$W/j.err")"
caught j "表 role_events 中 jseq=$next 的 1 行（rowid" --checkpoint "$W/cp"

# (k) a validly signed entry of an auditor re-covering a batch it did not write
fresh
FUNDGUARD_PASSWORD="$TRUST_PW" "$FG_FORGE" "$W/t.db" "$W/t.db.key" chen.jh person.view persons _batch 1 3 \
  2>"$W/k.err" || fail "(k) forge: $(cat "$W/k.err")"
caught k "person.view）覆盖了表 persons，但该操作不能写这张表" --checkpoint "$W/cp"
fresh
FUNDGUARD_PASSWORD="$TRUST_PW" "$FG_FORGE" "$W/t.db" "$W/t.db.key" zhang.jb import.batch persons _batch 1 3 \
  2>"$W/k.err" || fail "(k2) forge: $(cat "$W/k.err")"
caught k2 "再次覆盖了表 persons 中 _batch=1 的行" --checkpoint "$W/cp"

# (l) a trigger planted before a legitimate act never rides on it: every
#     write is refused while it is there, and verify reports it
fresh
sql "CREATE TRIGGER hide AFTER INSERT ON findings BEGIN DELETE FROM findings WHERE id = new.id; END;"
FUNDGUARD_USER=li.jd "$FG" screen --db "$W/t.db" --as-of "$AS_OF" >/dev/null 2>"$W/l.err" &&
  fail "(l) a screening ran over a planted trigger"
grep -q '数据库结构与本程序的不符' "$W/l.err" || fail "(l) message: $(cat "$W/l.err")"
[ "$(sqlite3 "$W/t.db" "SELECT count(*) FROM runs")" -eq 1 ] || fail "(l) a run was stored"
caught l "多出触发器 hide" --checkpoint "$W/cp"
fresh
sql "DROP TRIGGER role_events_no_update;"
caught l2 "缺少触发器 role_events_no_update" --checkpoint "$W/cp"

# (m) a batch's stored key hashes (batch_keys) zeroed: a small batch would
#     no longer meet the keys they hid, as if their rows were deleted
fresh
sql "DROP TRIGGER batch_keys_no_update;
     UPDATE batch_keys SET hashes = zeroblob(length(hashes)) WHERE table_name = 'persons';"
caught m "表 batch_keys 中 batch=1 的行与日志第 $(seq_of import.batch) 条不符"

echo "OK e2e_tamper: every case caught"
