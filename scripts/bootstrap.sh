#!/usr/bin/env bash
# bootstrap.sh — install everything fundguard needs on a fresh Debian 12 machine.
#
# Idempotent: packages already present are not reinstalled, and the npm tools
# used by the benchmarks are installed only when `--bench` is given and they
# are missing. Runs as root (or through sudo when available). Never prompts.
set -euo pipefail

# nodejs and npm install the workbench's pinned browser packages (web/:
# Apache ECharts); nothing runs on Node at run time.
PKGS=(build-essential cmake pkg-config git ca-certificates
      sqlite3 libsqlite3-dev libsodium-dev libssl-dev libcmocka-dev libxlsxwriter-dev
      zlib1g-dev clang libclang-rt-14-dev faketime libmicrohttpd-dev curl)

want_bench=0
for a in "$@"; do
  case "$a" in
    --bench) want_bench=1 ;;
    *) echo "bootstrap.sh: unknown option $a" >&2; exit 2 ;;
  esac
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "bootstrap.sh: must run as root (or have sudo)" >&2; exit 1; fi
fi

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm: a machine may already carry its own Node.js (NodeSource's
# nodejs package bundles npm, and Debian's npm package then cannot install
# beside it: "held broken packages"), so the commands, not the package
# names, decide. Debian's nodejs and npm are installed only when missing.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "$want_bench" -eq 1 ]; then
  # tests and benchmarks: the browser tests drive Debian's chromium (with a
  # CJK font, or the screenshots show boxes); bench/http uses wrk
  for p in time chromium fonts-wqy-microhei wrk; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || command -v "$p" >/dev/null 2>&1 || missing+=("$p")
  done
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "bootstrap: Debian packages already present" >&2
fi

if [ "$want_bench" -eq 1 ]; then
  here="$(cd "$(dirname "$0")/.." && pwd)"
  if [ ! -d "$here/bench/node_modules/@duckdb/node-api" ]; then
    echo "bootstrap: installing DuckDB for the benchmarks (npm)" >&2
    (cd "$here/bench" && npm install --no-audit --no-fund --silent)
  fi
fi

# The workbench's pinned npm packages (web/package-lock.json): ECharts, and
# for the tests playwright-core and the OpenAPI validator.
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -f "$here/web/node_modules/echarts/dist/echarts.min.js" ] ||
   { [ "$want_bench" -eq 1 ] && [ ! -d "$here/web/node_modules/playwright-core" ]; }; then
  echo "bootstrap: installing the workbench's npm packages (web/)" >&2
  (cd "$here/web" && npm ci --no-audit --no-fund --loglevel=error)
fi
