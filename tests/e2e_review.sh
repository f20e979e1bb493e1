#!/usr/bin/env bash
# e2e_review.sh — the reviewed actions through the CLI, on the trust data
# set (tests/trust_lib.sh): a threshold change proposed by the supervisor,
# reviewed and approved by two others, used by the next screen (its run
# records the new configuration hash); a finding dismissed as normal after
# review (the export's last column says dismissed_normal); an amendment of
# an imported person proposed by the handler, reviewed and approved (the
# original row unchanged); the person view, journaled as person.view.
# Refusals (invalid configuration, self-review, self-approval, unknown
# finding, bad amendment value, missing permission) exit 1 and add exactly
# one journal entry and nothing else. Ends with `log verify` exit 0.
# Usage: bash e2e_review.sh path/to/fundguard
FG="$1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tests/trust_lib.sh"
trust_workdir

last_proposal() { sqlite3 "$DB" "SELECT max(id) FROM proposals"; }

trust_data "$W/d"
trust_store "$DB" "$W/d"
A=$(gb11643 110101 19600101 013) B=$(gb11643 360426 19550315 024)
verify_ok "the trust store"

# ---- configuration change: supervisor proposes, reviewer reviews, approver approves
printf '[thresholds]\nlarge_payment = lots\n' >"$W/bad.ini"
refused proposal.denied as li.jd propose config "$W/bad.ini" --db "$DB"
grep -q 'bad.ini:2' "$W/r.err" || fail "the parser's message names file and line: $(cat "$W/r.err")"
refused authz.denied as zhang.jb propose config "$W/bad.ini" --db "$DB"
printf '[thresholds]\nlarge_payment = 2000\n' >"$W/t.ini"
as li.jd propose config "$W/t.ini" --db "$DB" >/dev/null 2>&1 || fail "propose config"
C=$(last_proposal)
refused proposal.denied as li.jd propose review "$C" --db "$DB"
as wang.fh propose review "$C" --db "$DB" >/dev/null 2>&1 || fail "review config"
refused proposal.denied as li.jd propose approve "$C" --db "$DB"
refused proposal.denied as wang.fh propose approve "$C" --db "$DB"
as zhao.sp propose approve "$C" --db "$DB" >/dev/null 2>&1 || fail "approve config"
NEW=$(sqlite3 "$DB" "SELECT sha256 FROM config_versions WHERE status='official' ORDER BY id DESC LIMIT 1")
[ "$(sqlite3 "$DB" "SELECT proposal_id FROM config_versions WHERE sha256='$NEW'")" = "$C" ] ||
  fail "the official configuration names its proposal"
verify_ok "config change"
as li.jd screen --db "$DB" --as-of "$AS_OF" >"$W/screen2.out" 2>/dev/null || fail "screen after the change"
[ "$(sqlite3 "$DB" "SELECT config_sha256 FROM runs ORDER BY id DESC LIMIT 1")" = "$NEW" ] ||
  fail "the next screen must record the new configuration hash"
[ "$(sqlite3 "$DB" "SELECT config_sha256 FROM runs WHERE id = 1")" != "$NEW" ] || fail "hash unchanged"
R=$(sqlite3 "$DB" "SELECT max(id) FROM runs")

# ---- finding judged normal: supervisor proposes, reviewer reviews (final)
refused proposal.denied as li.jd propose dismiss --run "$R" --rule benefit.paid_after_death \
  --subject 110101190001010000 --reason "不存在的疑点" --db "$DB"
grep -q '没有规则' "$W/r.err" || fail "unknown finding message: $(cat "$W/r.err")"
as li.jd propose dismiss --run "$R" --rule benefit.paid_after_death --subject "$B" \
  --reason "民政死亡信息有误，已核实本人健在" --db "$DB" >/dev/null 2>&1 || fail "propose dismiss"
D=$(last_proposal)
refused proposal.denied as li.jd propose review "$D" --db "$DB"
as wang.fh propose review "$D" --db "$DB" >/dev/null 2>&1 || fail "review dismiss"
refused proposal.denied as zhao.sp propose approve "$D" --db "$DB" # applied already
as li.jd findings --db "$DB" --run "$R" --format csv -o "$W/f.csv" 2>/dev/null || fail "findings export"
head -1 "$W/f.csv" | grep -q ',run_kind,run_id,disposition' || fail "header: $(head -1 "$W/f.csv")"
grep -q "^benefit.paid_after_death,person,$B,.*,dismissed_normal" "$W/f.csv" ||
  fail "the dismissed finding: $(cat "$W/f.csv")"
verify_ok "dismissal"

# ---- amendment of an imported record: handler proposes, review, approval
refused proposal.denied as zhang.jb propose amend --table persons --record "$A" \
  --set birth_date=1960-13-01 --reason "出生日期更正" --db "$DB"
grep -q 'birth_date' "$W/r.err" || fail "the message names the column: $(cat "$W/r.err")"
refused authz.denied as li.jd propose amend --table persons --record "$A" --set name=甲二 \
  --reason x --db "$DB"
as zhang.jb propose amend --table persons --record "$A" --set name=甲二 --set region=110102 \
  --reason "户籍姓名更正" --db "$DB" >/dev/null 2>&1 || fail "propose amend"
M=$(last_proposal)
as wang.fh propose review "$M" --db "$DB" >/dev/null 2>&1 || fail "review amend"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM amendments")" -eq 0 ] || fail "amended before approval"
as zhao.sp propose approve "$M" --db "$DB" >/dev/null 2>&1 || fail "approve amend"
[ "$(sqlite3 "$DB" "SELECT old_value || '>' || new_value || ' ' || proposer || ' ' || reviewer || ' ' || approver
       FROM amendments WHERE column_name = 'name'")" = "甲>甲二 zhang.jb wang.fh zhao.sp" ] ||
  fail "amendment row: $(sqlite3 "$DB" "SELECT * FROM amendments")"
[ "$(sqlite3 "$DB" "SELECT name FROM persons WHERE person_id = '$A'")" = "甲" ] || fail "original row changed"
verify_ok "amendment"

# ---- person view: supervisor and auditor, journaled; a handler may not
refused authz.denied as zhang.jb person show "$B" --db "$DB"
as li.jd person show "$B" --db "$DB" >"$W/p.out" 2>/dev/null || fail "person show"
grep -q "$B" "$W/p.out" && grep -q 'dismissed_normal' "$W/p.out" && grep -q 'benefit_payments' "$W/p.out" ||
  fail "person view: $(cat "$W/p.out")"
[ "$(sqlite3 "$DB" "SELECT actor || ' ' || payload FROM journal WHERE action = 'person.view'")" = \
  "li.jd {\"person_id\":\"$B\",\"records\":8}" ] ||
  fail "person.view entry: $(sqlite3 "$DB" "SELECT payload FROM journal WHERE action = 'person.view'")"
as chen.jh person show "$A" --db "$DB" >"$W/a.out" 2>/dev/null || fail "person show by the auditor"
grep -q '甲二' "$W/a.out" || fail "the amendment is shown: $(cat "$W/a.out")"
[ "$(jcount "$DB" person.view)" -eq 2 ] || fail "every view is journaled"
"$FG" person --help | grep -q 'person.view' || fail "person --help"
"$FG" propose --help | grep -q 'amend --table' || fail "propose --help"

verify_ok "the whole review flow"
echo "OK e2e_review: $(sqlite3 "$DB" "SELECT count(*) FROM journal") journal entries, log verify passes"
