#!/usr/bin/env bash
# e2e_upgrade.sh — a store of schema version 2 (the version that landed before
# case work; tests/data/store-v2 was made by commit e133314 with the trust
# data and the demo roster, password trust-e2e-pass-1, on 2026-12-06) is
# upgraded to version 5 by the first command that writes, and its journal
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
grep -q '结构版本 2 需要升级到 5' "$W/o" || fail "upgrade hint: $(cat "$W/o")"
at $D li.jd screen --as-of 2024-12-31 >"$W/o" 2>&1 || fail "screen (upgrades): $(cat "$W/o")"
[ "$(sqlite3 "$DB" "SELECT max(version) FROM schema_meta")" = 5 ] || fail "not upgraded"
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

# Version 3 -> 4 (rules.md v1.3) and 5 (batch_keys): tests/data/store-v3 was made by commit
# c7d029a (the landed case work) on 2026-12-06 from the trust data plus three
# v1.2 retirements (city/retirements.csv: no original_age, no
# contribution_months), screened as of 2024-12-31. The migration adds the two
# columns after _batch, _line and _digest; the old rows' journal digests still
# verify, the upgraded table is the one a new store has (the schema check of
# log verify), a resend of the v1.2 file is unchanged, and a v1.3 row with
# the new columns is stored and read by the rules.
V3="$ROOT/tests/data/store-v3"
DB="$W/v3.db"
cp "$V3/v3.db" "$DB"; cp "$V3/v3.db.key" "$DB.key"; chmod 600 "$DB" "$DB.key"
[ "$(sqlite3 "$DB" "SELECT max(version) FROM schema_meta")" = 3 ] || fail "the fixture is version 3"
at $D sun.aq log verify >"$W/o" 2>&1 && fail "a read-only command on a version-3 store"
grep -q '结构版本 3 需要升级到 5' "$W/o" || fail "upgrade hint 3: $(cat "$W/o")"
at $D li.jd screen --as-of 2025-12-31 >"$W/o" 2>&1 || fail "screen (upgrades 3): $(cat "$W/o")"
[ "$(sqlite3 "$DB" "SELECT max(version) FROM schema_meta")" = 5 ] || fail "not upgraded to 5"
sqlite3 "$DB" "SELECT sql FROM sqlite_master WHERE name = 'retirements'" |
  grep -q '_digest BLOB NOT NULL, original_age INTEGER, contribution_months INTEGER)' ||
  fail "columns added after _digest: $(sqlite3 "$DB" "SELECT sql FROM sqlite_master WHERE name = 'retirements'")"
at $D sun.aq log verify >"$W/o" 2>&1 || fail "verify after the upgrade to 4: $(cat "$W/o")"
# the man born 1970-05-05 who retired at 55 (v1.2 row, original age empty: 60)
at $D li.jd findings --rule retirement.underage --format csv -o "$W/u.csv" >/dev/null 2>&1 ||
  fail "findings after the upgrade"
grep -q '^retirement.underage,person,44011319700505031' "$W/u.csv" || fail "underage after the upgrade: $(cat "$W/u.csv")"
# a resend of the v1.2 file is unchanged: no row stored
mkdir -p "$W/r12" && cp "$V3/city/retirements.csv" "$W/r12/"
before=$(sqlite3 "$DB" "SELECT count(*) FROM retirements")
at $D zhang.jb import "$W/r12" >"$W/o" 2>&1 || fail "resend: $(cat "$W/o")"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM retirements")" = "$before" ] || fail "the v1.2 resend stored rows"
# a v1.3 file: the same three rows plus the new columns are new facts; one
# woman cadre (original_age 55) retired on her 55th birthday is underage
# under the law (born 1970-05: 55y5m), and 179 months are too few
mkdir -p "$W/r13"
{ echo 'person_id,kind,approved_on,retire_date,birth_date_on_file,special_work_years,reviewer1,reviewer2,original_age,contribution_months'
  echo "$(sed -n 3p "$V3/city/persons.csv" | cut -d, -f1),flexible_late,2025-03-01,2026-03-15,1955-03-15,,,,55,400"
} >"$W/r13/retirements.csv"
at $D zhang.jb import "$W/r13" >"$W/o" 2>&1 || fail "v1.3 import: $(cat "$W/o")"
# version 5: the batches stored before it have no key hashes, the new one has
[ "$(sqlite3 "$DB" "SELECT count(DISTINCT batch) FROM batch_keys")" = 1 ] ||
  fail "batch_keys after the upgrade: $(sqlite3 "$DB" "SELECT batch, table_name, rows FROM batch_keys")"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM retirements WHERE original_age = 55 AND contribution_months = 400")" = 1 ] ||
  fail "the v1.3 columns not stored"
printf 'person_id,kind,approved_on,retire_date,birth_date_on_file,special_work_years,reviewer1,reviewer2,original_age,contribution_months\n%s,normal,2025-01-01,2025-01-01,1970-05-05,,,,60,x\n' \
  "$(sed -n 4p "$V3/city/persons.csv" | cut -d, -f1)" >"$W/r13/retirements.csv"
at $D zhang.jb import "$W/r13" >"$W/o" 2>&1 && fail "a bad contribution_months was accepted"
grep -q 'retirements.csv:2:10: contribution_months' "$W/o" || fail "bad value message: $(cat "$W/o")"
at $D sun.aq log verify >"$W/o" 2>&1 || fail "verify after v1.3 rows: $(cat "$W/o")"
echo "e2e_upgrade: ok"
