# lib.sh — helpers shared by the benchmark scripts (sourced, not run).
#
# measure NAME CMD...: runs CMD, appends "NAME wall_s peak_rss_kib" to
# $RESULTS and echoes it. Wall time and peak memory come from GNU time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${OUT:-$ROOT/bench/out}"
PERSONS="${PERSONS:-1000000}"
SEED="${SEED:-42}"
AS_OF="${AS_OF:-2026-06-30}"
FG="$ROOT/build/fundguard"
mkdir -p "$OUT"
export FUNDGUARD_PASSWORD="${BENCH_PASSWORD:-bench-password-2026}"
unset FUNDGUARD_INIT_PASSWORD

bench_setup() {
  bash "$ROOT/scripts/bootstrap.sh" --bench
  cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$ROOT/build" -j2 >/dev/null
  CITY="$OUT/city-$PERSONS-$SEED"
  if [ ! -f "$CITY/.complete" ]; then
    rm -rf "$CITY"
    measure gen "$FG" gen --persons "$PERSONS" --seed "$SEED" --as-of "$AS_OF" \
      --out "$CITY" --truth "$CITY.truth.csv"
    touch "$CITY/.complete"
  fi
  CITY_ROWS=$(for f in "$CITY"/*.csv; do tail -n +2 "$f" | wc -l; done | awk '{s+=$1} END {print s}')
  CITY_BYTES=$(du -cb "$CITY"/*.csv | tail -1 | cut -f1)
  echo "city: $PERSONS persons, $CITY_ROWS rows, $CITY_BYTES bytes" >&2
}

measure() {
  local name="$1"; shift
  local tf; tf=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$tf" "$@" >"$OUT/$name.stdout" 2>"$OUT/$name.stderr" || {
    echo "benchmark step $name failed:" >&2; tail -20 "$OUT/$name.stderr" >&2; rm -f "$tf"; return 1; }
  local line; line=$(tail -1 "$tf"); rm -f "$tf"
  echo "$name $line" >>"$RESULTS"
  echo "$name: ${line% *} s, peak $(( ${line#* } / 1024 )) MiB" >&2
}

machine() {
  echo "$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -sr)"
}

fg_init_store() {
  local db="$1"
  rm -f "$db" "$db"-wal "$db"-shm "$db".key
  "$FG" init --db "$db" --roster "$ROOT/scripts/demo-roster.csv" >/dev/null
  FG="$FG" bash "$ROOT/scripts/set-passwords.sh" "$db" "$FUNDGUARD_PASSWORD"
}
