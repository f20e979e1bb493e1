#!/usr/bin/env bash
# test.sh — install what is missing, build, and run every test twice:
# a Release build with -Werror, then a Debug build under AddressSanitizer +
# UndefinedBehaviorSanitizer. Finally a short libFuzzer smoke run of every
# fuzz harness. Installs the benchmark peers (node, DuckDB) too: a test
# compares the monthly report with DuckDB. Never prompts; exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --bench
# DuckDB for node (pinned in bench/package-lock.json): e2e_monthly checks the
# monthly report against it
[ -d bench/node_modules/@duckdb/node-api ] || (cd bench && npm ci --no-audit --no-fund --loglevel=error)
jobs=$(nproc 2>/dev/null || echo 2)

echo "== Release build (-Werror) =="
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DFG_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")

echo "== ASan + UBSan build =="
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DFG_SANITIZE=ON -DFG_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure -j"$jobs")

echo "== libFuzzer smoke run =="
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DFG_FUZZ=ON >/dev/null
targets=$(for f in fuzz/fuzz_*.c; do basename "$f" .c; done)
# shellcheck disable=SC2086
cmake --build build-fuzz -j"$jobs" --target $targets
for t in $targets; do
  f="build-fuzz/$t"
  echo "fuzz: $f"
  "$f" -runs=20000 -max_len=4096 >/dev/null 2>&1 || { echo "fuzzer $f failed" >&2; "$f" -runs=20000 -max_len=4096; exit 1; }
done
echo "all tests passed"
