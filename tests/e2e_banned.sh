#!/usr/bin/env bash
# e2e_banned.sh — the functions fg.h bans (strcpy, strcat, sprintf,
# vsprintf, gets, atoi, atol, atoll, strtok) appear nowhere in src/: an
# unbounded copy or an unchecked conversion cannot come back unnoticed.
# Usage: bash e2e_banned.sh path/to/fundguard (the binary is not used)
set -u
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
hits=$(grep -rnE '(^|[^_a-zA-Z0-9])(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atoll|strtok)[[:space:]]*\(' \
  "$ROOT/src" --include='*.c' --include='*.h' | grep -v '^[^:]*:[0-9]*: *\*\|/\*' || true)
if [ -n "$hits" ]; then
  echo "FAIL: banned functions in src/:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "OK e2e_banned"
