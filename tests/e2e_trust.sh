#!/usr/bin/env bash
# e2e_trust.sh — the trust core end to end through the CLI: init with the demo
# roster, import (handler), screen and findings export (supervisor), user
# grant through two-person review, checkpoint; `log verify` passes after each
# step; refusals (wrong password, no credentials, handler screening,
# self-review, self-approval, missing permission) exit 1, add exactly one
# journal entry naming the refusal, and change nothing else.
# Usage: bash e2e_trust.sh path/to/fundguard
FG="$1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tests/trust_lib.sh"
trust_workdir

trust_data "$W/d"
"$FG" init --db "$DB" --roster "$ROOT/scripts/demo-roster.csv" >"$W/init.out" || fail "init"
verify_ok "init"
[ "$(stat -c %a "$DB.initial-passwords")" = 600 ] || fail "initial passwords file must be 0600"
[ "$(tail -n +2 "$DB.initial-passwords" | cut -d, -f2 | sort -u | wc -l)" -eq 7 ] ||
  fail "every roster user gets a distinct initial password"
# an initial password does one thing only: set one's own password
ipw=$(sed -n 's/^zhang.jb,//p' "$DB.initial-passwords")
refused authn.refused env FUNDGUARD_USER=zhang.jb FUNDGUARD_PASSWORD="$ipw" "$FG" import --db "$DB" "$W/d"
grep -q '初始密码只能用于设置本人密码' "$W/r.err" || fail "initial password message: $(cat "$W/r.err")"
FG="$FG" bash "$ROOT/scripts/set-passwords.sh" "$DB" "$TRUST_PW" || fail "set passwords"
[ "$(jcount "$DB" user.passwd)" -eq 7 ] || fail "each first password setting is journaled"
verify_ok "passwords set"
# FUNDGUARD_INIT_PASSWORD is for a roster of one user only
FUNDGUARD_INIT_PASSWORD=shared-pass-2026 "$FG" init --db "$W/shared.db" --roster "$ROOT/scripts/demo-roster.csv" \
  >/dev/null 2>"$W/shared.err" && fail "a shared initial password for seven users"
grep -q '只能用于只有一个用户的名单' "$W/shared.err" || fail "shared password message: $(cat "$W/shared.err")"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM config_versions WHERE status='official' AND jseq IS NOT NULL")" -eq 1 ] ||
  fail "init must store the official configuration, covered"
sed -n 's/^平台公钥 platform public key: //p' "$W/init.out" >"$W/pub"
[ -s "$W/pub" ] || fail "init prints the platform public key"

# no credentials and no terminal: exit 1, clear Chinese message, nothing stored
n0=$(sqlite3 "$DB" "SELECT count(*) FROM journal")
env -u FUNDGUARD_USER -u FUNDGUARD_PASSWORD "$FG" import --db "$DB" "$W/d" </dev/null >/dev/null 2>"$W/e"
[ $? -eq 1 ] || fail "import without credentials must exit 1"
grep -q 'FUNDGUARD_USER' "$W/e" && grep -q '需要用户身份' "$W/e" || fail "message: $(cat "$W/e")"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM batches")" -eq 0 ] || fail "import without user stored a batch"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM journal")" -eq "$n0" ] || fail "no user, no entry expected"

# wrong password: refused, journaled by the platform, nothing else
refused authn.refused env FUNDGUARD_USER=zhang.jb FUNDGUARD_PASSWORD=not-the-password "$FG" import --db "$DB" "$W/d"
[ "$(sqlite3 "$DB" "SELECT actor || ' ' || payload FROM journal ORDER BY seq DESC LIMIT 1")" = \
  'platform {"reason":"password","user":"zhang.jb"}' ] || fail "refused login entry"
grep -q 'not-the-password' "$W/r.err" && fail "password in an error message"
sqlite3 "$DB" "SELECT payload FROM journal" | grep -q 'not-the-password' && fail "password in the journal"
verify_ok "a refused login"

# the handler imports (signed by the handler, covering the batch)
as zhang.jb import --db "$DB" "$W/d" >/dev/null || fail "import"
[ "$(sqlite3 "$DB" "SELECT actor FROM journal WHERE action='import.batch'")" = zhang.jb ] || fail "import entry signer"
verify_ok "import"

# a handler may not screen; the supervisor may
refused authz.denied as zhang.jb screen --db "$DB" --as-of "$AS_OF"
grep -q 'findings.screen' "$W/r.err" || fail "denial names the permission: $(cat "$W/r.err")"
as li.jd screen --db "$DB" --as-of "$AS_OF" >/dev/null 2>&1 || fail "screen"
[ "$(sqlite3 "$DB" "SELECT actor FROM journal WHERE action='screen.run'")" = li.jd ] || fail "screen entry"
[ "$(sqlite3 "$DB" "SELECT actor FROM runs")" = li.jd ] || fail "run actor"
verify_ok "screen"

# findings: the supervisor exports (journaled: run, format, count); an auditor
# may read on stdout but not export to a file; a handler may not read
as li.jd findings --db "$DB" --format csv -o "$W/f.csv" 2>/dev/null || fail "findings export"
grep -q '^benefit.paid_after_death,person,360426195503150247,6000.00,' "$W/f.csv" || fail "finding: $(cat "$W/f.csv")"
sqlite3 "$DB" "SELECT payload FROM journal WHERE action='findings.export' AND actor='li.jd'" |
  grep -q '"count":1,"format":"csv",.*"run":1' || fail "findings.export entry"
as chen.jh findings --db "$DB" --format jsonl >"$W/f.jsonl" 2>/dev/null || fail "auditor reads findings"
[ "$(wc -l <"$W/f.jsonl")" -eq 1 ] || fail "auditor's read"
[ "$(jcount "$DB" findings.export)" -eq 2 ] || fail "every read is journaled"
refused authz.denied as chen.jh findings --db "$DB" --format csv -o "$W/g.csv"
[ -e "$W/g.csv" ] && fail "a refused export wrote a file"
refused authz.denied as zhang.jb findings --db "$DB" --format csv
verify_ok "findings"

# two-person review: self-review and self-approval refused, then applied
as zhou.xt user grant chen.jh security-auditor --db "$DB" >/dev/null 2>&1 || fail "propose grant"
refused proposal.denied as zhou.xt propose review 1 --db "$DB"
as wang.fh propose review 1 --db "$DB" >/dev/null 2>&1 || fail "review"
refused proposal.denied as wang.fh propose approve 1 --db "$DB"
refused proposal.denied as zhou.xt propose approve 1 --db "$DB"
grep -q '一岗双核' "$W/r.err" || fail "self-approval message: $(cat "$W/r.err")"
as zhao.sp propose approve 1 --db "$DB" >/dev/null 2>&1 || fail "approve"
verify_ok "user grant, review, approve"

# checkpoints: a handler may not; an auditor may; verify against it and the key
refused authz.denied as zhang.jb log checkpoint --db "$DB"
as chen.jh log checkpoint --db "$DB" -o "$W/cp" 2>/dev/null || fail "checkpoint by an auditor"
"$FG" log verify --db "$DB" --checkpoint "$W/cp" --pubkey "$W/pub" >/dev/null || fail "verify anchored"

# help names the credentials
for c in import screen findings; do
  "$FG" "$c" --help | grep -q 'FUNDGUARD_USER / FUNDGUARD_PASSWORD' || fail "$c --help"
done
"$FG" log --help | grep -q 'FUNDGUARD_USER' || fail "log --help"
echo "OK e2e_trust: $(sqlite3 "$DB" "SELECT count(*) FROM journal") journal entries, log verify passes"
