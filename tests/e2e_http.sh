#!/usr/bin/env bash
# e2e_http.sh — `fundguard serve` end to end (web.md "Tests that prove it"):
# a generated city is imported and screened into a store with the demo
# roster plus an agency handler; the server runs under libfaketime with a
# clock file the test moves (idle expiry, the rate limit's minute), and
# tests/http/api_test.mjs checks the security headers, CSRF, the login
# lockout and rate limit, the body limit, session expiry and logout, the
# authorization matrix (every endpoint as every role and as nobody against
# the permission table of docs/cli.md), the OpenAPI document against the
# OpenAPI 3.0 schema, and findings, reveal, cases and the inbox. Then
# SIGTERM must stop the server cleanly (exit 0) with one log line per request.
# Usage: bash e2e_http.sh path/to/fundguard
FG="$1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tests/trust_lib.sh"
trust_workdir
fake_clock
[ -d "$ROOT/web/node_modules/@seriousme/openapi-schema-validator" ] ||
  fail "web/node_modules is not installed: scripts/bootstrap.sh --bench installs it"
LIBFT=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -1)
[ -n "$LIBFT" ] || fail "libfaketimeMT.so.1 not found (Debian package faketime)"

"$FG" gen --persons 1000 --seed 5 --as-of 2026-06-30 --out "$W/city" --truth "$W/truth.csv" >/dev/null 2>&1 ||
  fail "gen"
agency_roster "$W/roster.csv" "wu.ag,吴经办,handler,A410102" "desk.jb,举报受理,whistleblower-desk," \
  "lock.me,锁定测试,auditor," "qian.jd,钱监督,supervisor,"
"$FG" init --db "$DB" --roster "$W/roster.csv" >/dev/null || fail "init"
FG="$FG" bash "$ROOT/scripts/set-passwords.sh" "$DB" "$TRUST_PW" || fail "set passwords"
as zhang.jb import --db "$DB" "$W/city" >/dev/null 2>&1 || fail "import"
as li.jd screen --db "$DB" --as-of 2026-06-30 >/dev/null 2>&1 || fail "screen"

# the clock of the server: an offset in a file libfaketime re-reads
echo "+0" >"$W/clock"
PORT=$((20000 + $$ % 20000))
LD_PRELOAD="$LIBFT" FAKETIME_TIMESTAMP_FILE="$W/clock" FAKETIME_NO_CACHE=1 \
  "$FG" serve --db "$DB" --listen "127.0.0.1:$PORT" >"$W/serve.out" 2>"$W/serve.err" &
SERVER=$!
for _ in $(seq 1 100); do [ -s "$W/serve.out" ] && break; sleep 0.1; done
URL=$(head -1 "$W/serve.out")
[ "$URL" = "http://127.0.0.1:$PORT/" ] || { kill $SERVER; fail "serve printed '$URL': $(cat "$W/serve.err")"; }

PERSON=$(sed -n 2p "$W/city/persons.csv" | cut -d, -f1)
FUND_ACCOUNTS="$W/city/fund_accounts.csv" node "$ROOT/tests/http/api_test.mjs" "$URL" "$W/clock" "$ROOT/docs/cli.md" "$TRUST_PW" "$PERSON" \
  >"$W/api.out" 2>&1 || { cat "$W/api.out" >&2; kill $SERVER; fail "api_test.mjs (server log: $(tail -5 "$W/serve.err"))"; }

kill -TERM $SERVER
wait $SERVER; rc=$?
[ $rc -eq 0 ] || fail "serve exited $rc after SIGTERM: $(tail -3 "$W/serve.err")"
grep -q '收到信号 15' "$W/serve.err" || fail "no stop message"
# one log line per request: method, path without query values, status, duration, user
grep -Eq '^GET /api/v1/runs/1/findings 200 [0-9.]+ms li\.jd$' "$W/serve.err" || fail "request log: $(head -3 "$W/serve.err")"
grep -q 'password' "$W/serve.err" && fail "a log line holds a password"
grep -q "$TRUST_PW" "$W/serve.err" && fail "a log line holds a password"
# refusals are journaled as on the command line
[ "$(jcount "$DB" authz.denied)" -gt 0 ] || fail "no authz.denied entry"
[ "$(jcount "$DB" authn.refused)" -gt 0 ] || fail "no authn.refused entry"
as sun.aq log verify --db "$DB" >"$W/v" 2>&1 || fail "journal verify after the HTTP session: $(cat "$W/v")"
cat "$W/api.out"
echo "e2e_http: ok"
