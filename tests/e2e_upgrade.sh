#!/usr/bin/env bash
# e2e_upgrade.sh — a store of schema version 2 (the version that landed before
# case work; tests/data/store-v2 was made by commit e133314 with the trust
# data and the demo roster, password trust-e2e-pass-1, on 2026-12-06) is
# upgraded to version 3 by the first command that writes, and its journal
# still verifies: the migration's schema_meta row is not a row the journal
# lost track of (verify accepts a known later version; the schema check
# holds the tables to the migrations). Read-only commands on the old store
# say how to upgrade. Then case work runs on it: the old run's finding got
# its stable number when the new run raised it again (decision 40), so it can
# be issued, and the new run's same finding is then skipped as already cased.
# The clock is set (faketime) to the day after the store was made, so the
# users' passwords have not expired.
# Usage: bash e2e_upgrade.sh path/to/fundguard
FG="$1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tests/trust_lib.sh"
trust_workdir
fake_clock
cp "$ROOT/tests/data/store-v2/v2.db" "$DB"; cp "$ROOT/tests/data/store-v2/v2.db.key" "$DB.key"
chmod 600 "$DB" "$DB.key"
D=2026-12-07
[ "$(sqlite3 "$DB" "SELECT max(version) FROM schema_meta")" = 2 ] || fail "the fixture is version 2"
at $D sun.aq log verify >"$W/o" 2>&1 && fail "a read-only command on a version-2 store"
grep -q '结构版本 2 需要升级到 3' "$W/o" || fail "upgrade hint: $(cat "$W/o")"
at $D li.jd screen --as-of 2024-12-31 >"$W/o" 2>&1 || fail "screen (upgrades): $(cat "$W/o")"
[ "$(sqlite3 "$DB" "SELECT max(version) FROM schema_meta")" = 3 ] || fail "not upgraded"
at $D sun.aq log verify >"$W/o" 2>&1 || fail "verify after the upgrade: $(cat "$W/o")"
# an insider cannot claim a version this program does not know
cp "$DB" "$W/x.db"; cp "$DB.key" "$W/x.db.key"
keep=$(sqlite3 "$W/x.db" "SELECT sql || ';' FROM sqlite_master WHERE name = 'schema_meta_no_update'" 2>/dev/null)
sqlite3 "$W/x.db" "INSERT INTO schema_meta VALUES (9, '2026-12-07T10:00:00')" || fail "tamper setup"
FUNDGUARD_USER=sun.aq faketime "2026-12-07 02:00:00" "$FG" log verify --db "$W/x.db" >"$W/x.out" 2>&1 &&
  fail "an unknown schema version went unnoticed"
# case work on the upgraded store
printf 'agency_id,name,region,level,parent_id\nA360426,于都县社会保险事业管理中心,360426,county,\n' >"$W/agencies.csv"
mkdir -p "$W/a" && mv "$W/agencies.csv" "$W/a/"
at $D zhang.jb import "$W/a" >/dev/null 2>&1 || fail "import agencies"
[ "$(sqlite3 "$DB" "SELECT run FROM finding_numbers")" = 2 ] || fail "numbered by the run after the upgrade"
at $D li.jd case issue --run 1 --to A360426 >"$W/o" 2>&1 || fail "issue run 1: $(cat "$W/o")"
grep -q '^已下发 1 件' "$W/o" || fail "run 1's finding, numbered since: $(cat "$W/o")"
at $D li.jd case issue --run 2 --to A360426 >"$W/o" 2>&1 || fail "issue: $(cat "$W/o")"
grep -q '^已下发 0 件.*已有案件 1' "$W/o" || fail "the same finding of run 2 is skipped: $(cat "$W/o")"
at $D sun.aq log verify >"$W/o" 2>&1 || fail "verify after case work: $(cat "$W/o")"
echo "e2e_upgrade: ok"
