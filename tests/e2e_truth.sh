#!/usr/bin/env bash
# e2e_truth.sh — the end-to-end acceptance test of screening: generate a
# city with `fundguard gen`, create a store, import the city, screen it and
# compare the exported findings with the generator's truth file. Recall and
# precision must both be 1.0 and every amount exact to the fen, for every
# rule (the comparison is of whole rows: rule, subject type, subject id,
# amount). Usage: bash e2e_truth.sh path/to/fundguard
set -euo pipefail
FG="$1"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export FUNDGUARD_PASSWORD="e2e-password-2026"; unset FUNDGUARD_INIT_PASSWORD
ROSTER="$(cd "$(dirname "$0")/.." && pwd)/scripts/demo-roster.csv"
AS_OF=2026-06-30
"$FG" gen --persons 3000 --seed 7 --as-of "$AS_OF" --out "$W/city" --truth "$W/truth.csv"
"$FG" init --db "$W/fg.db" --roster "$ROSTER" >/dev/null
FG="$FG" bash "$(dirname "$ROSTER")/set-passwords.sh" "$W/fg.db" "$FUNDGUARD_PASSWORD"
FUNDGUARD_USER=zhang.jb "$FG" import --db "$W/fg.db" "$W/city" >/dev/null
FUNDGUARD_USER=li.jd "$FG" screen --db "$W/fg.db" --as-of "$AS_OF" >/dev/null
FUNDGUARD_USER=li.jd "$FG" findings --db "$W/fg.db" --format csv -o "$W/findings.csv"
# the CSV starts with a UTF-8 BOM (for Excel and WPS): strip it for the header check
[ "$(head -c 3 "$W/findings.csv")" = $'\xef\xbb\xbf' ] || { echo "findings CSV has no BOM" >&2; exit 1; }
head -1 "$W/findings.csv" | sed $'s/^\xef\xbb\xbf//' | grep -q '^rule,subject_type,subject_id,amount,detail' || {
  echo "findings header wrong: $(head -1 "$W/findings.csv")" >&2; exit 1; }
tail -n +2 "$W/findings.csv" | cut -d, -f1-4 | sort >"$W/got"
tail -n +2 "$W/truth.csv" | sort >"$W/want"
[ -s "$W/want" ] || { echo "truth file is empty" >&2; exit 1; }
# every rule of the catalogue is planted at least once
rules=$(cut -d, -f1 "$W/want" | sort -u | wc -l)
if [ "$rules" -ne 50 ]; then echo "truth covers $rules rules, not 50" >&2; exit 1; fi
if ! diff "$W/want" "$W/got" >"$W/diff"; then
  echo "findings differ from the truth file (< missing, > unexpected):" >&2
  head -50 "$W/diff" >&2
  echo "per rule: missing / unexpected" >&2
  grep '^<' "$W/diff" | cut -c3- | cut -d, -f1 | sort | uniq -c | sed 's/^/  missing /' >&2 || true
  grep '^>' "$W/diff" | cut -c3- | cut -d, -f1 | sort | uniq -c | sed 's/^/  unexpected /' >&2 || true
  exit 1
fi
echo "e2e: $(wc -l <"$W/got") findings match the truth file exactly (50 rules)"
