#!/usr/bin/env bash
# e2e_crash.sh — a kill -9 at any moment loses no acknowledged write and
# leaves nothing half-written. A generated city is imported and screened
# while the process is killed with SIGKILL after a varying delay; after each
# kill the store must open, `log verify` must pass, and the batch must be
# either wholly there (it was acknowledged: the command had exited 0) or
# wholly absent. A final import then completes and screening gives the same
# findings as a store that was never interrupted.
# Usage: bash e2e_crash.sh path/to/fundguard
set -euo pipefail
FG="$1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export FUNDGUARD_PASSWORD="crash-e2e-pass-1"; unset FUNDGUARD_INIT_PASSWORD
AS_OF=2026-06-30
"$FG" gen --persons 20000 --seed 11 --as-of "$AS_OF" --out "$W/city" --truth "$W/truth.csv"
"$FG" init --db "$W/fg.db" --roster "$ROOT/scripts/demo-roster.csv" >/dev/null
FG="$FG" bash "$ROOT/scripts/set-passwords.sh" "$W/fg.db" "$FUNDGUARD_PASSWORD"
count() { sqlite3 "$W/fg.db" "SELECT count(*) FROM $1"; }
for delay in 0.05 0.2 0.5 0.9 1.4; do
  FUNDGUARD_USER=zhang.jb "$FG" import --db "$W/fg.db" "$W/city" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null && acked=1 || acked=0
  "$FG" log verify --db "$W/fg.db" >"$W/verify.out" 2>&1 || {
    echo "log verify failed after kill -9 at ${delay}s:" >&2; cat "$W/verify.out" >&2; exit 1; }
  persons=$(count persons); contributions=$(count contributions); batches=$(count batches)
  if [ "$acked" = 1 ]; then
    [ "$persons" -gt 0 ] || { echo "acknowledged import lost (delay $delay)" >&2; exit 1; }
  fi
  if [ "$persons" -eq 0 ] && [ "$contributions" -ne 0 ]; then
    echo "half-written batch after kill at ${delay}s: $contributions contributions, no persons" >&2; exit 1
  fi
  echo "kill -9 after ${delay}s: acknowledged=$acked batches=$batches persons=$persons verify ok"
  [ "$acked" = 1 ] && break
done
# finish the import (a no-op when an earlier attempt completed) and screen
FUNDGUARD_USER=zhang.jb "$FG" import --db "$W/fg.db" "$W/city" >/dev/null
[ "$(count persons)" -eq 20000 ] || { echo "persons after completion: $(count persons)" >&2; exit 1; }
# a screening killed midway leaves no run behind
FUNDGUARD_USER=li.jd FUNDGUARD_SNAPSHOT=0 "$FG" screen --db "$W/fg.db" --as-of "$AS_OF" >/dev/null 2>&1 &
pid=$!; sleep 0.3; kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
"$FG" log verify --db "$W/fg.db" >/dev/null
FUNDGUARD_USER=li.jd "$FG" screen --db "$W/fg.db" --as-of "$AS_OF" >/dev/null 2>&1
FUNDGUARD_USER=li.jd "$FG" findings --db "$W/fg.db" --format csv -o "$W/f.csv" 2>/dev/null
tail -n +2 "$W/f.csv" | cut -d, -f1-4 | sort >"$W/got"
tail -n +2 "$W/truth.csv" | sort >"$W/want"
diff -q "$W/want" "$W/got" >/dev/null || { echo "findings differ from truth after crashes" >&2; exit 1; }
"$FG" log verify --db "$W/fg.db" >/dev/null
echo "e2e_crash: no acknowledged write lost, nothing half-written, findings exact"
