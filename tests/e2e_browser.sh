#!/usr/bin/env bash
# e2e_browser.sh — the workbench scenario of web.md in Debian's chromium
# (tests/browser/walk.mjs, playwright-core from web/package-lock.json, no
# browser download): a generated city imported into a store with the demo
# roster and an agency handler, `fundguard serve` on a free port, the walk,
# then SIGTERM. Screenshots go to $FG_SHOTS (default build/screenshots).
# Usage: bash e2e_browser.sh path/to/fundguard
FG="$1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tests/trust_lib.sh"
trust_workdir
[ -d "$ROOT/web/node_modules/playwright-core" ] ||
  fail "web/node_modules is not installed: scripts/bootstrap.sh --bench installs it"
command -v chromium >/dev/null || fail "chromium is not installed: scripts/bootstrap.sh --bench installs it"
SHOTS="${FG_SHOTS:-$(dirname "$FG")/screenshots}"

"$FG" gen --persons 1000 --seed 5 --as-of 2026-06-30 --out "$W/city" --truth "$W/truth.csv" >/dev/null 2>&1 ||
  fail "gen"
agency_roster "$W/roster.csv" "wu.ag,吴经办,handler,A410102" "desk.jb,举报受理,whistleblower-desk,"
"$FG" init --db "$DB" --roster "$W/roster.csv" >/dev/null || fail "init"
FG="$FG" bash "$ROOT/scripts/set-passwords.sh" "$DB" "$TRUST_PW" || fail "set passwords"
as zhang.jb import --db "$DB" "$W/city" >/dev/null 2>&1 || fail "import"

PORT=$((40000 + $$ % 20000))
"$FG" serve --db "$DB" --listen "127.0.0.1:$PORT" >"$W/serve.out" 2>"$W/serve.err" &
SERVER=$!
for _ in $(seq 1 100); do [ -s "$W/serve.out" ] && break; sleep 0.1; done
URL=$(head -1 "$W/serve.out")
[ -n "$URL" ] || { kill $SERVER; fail "serve did not start: $(cat "$W/serve.err")"; }
node "$ROOT/tests/browser/walk.mjs" "$URL" "$TRUST_PW" "$SHOTS" >"$W/walk.out" 2>&1 ||
  { cat "$W/walk.out" >&2; tail -20 "$W/serve.err" >&2; kill $SERVER; fail "the browser walk"; }
kill -TERM $SERVER
wait $SERVER || fail "serve did not stop cleanly"
as sun.aq log verify --db "$DB" >"$W/v" 2>&1 || fail "journal verify after the walk: $(cat "$W/v")"
cat "$W/walk.out"
echo "e2e_browser: ok"
