#!/usr/bin/env bash
# split-month.sh — cut one month out of a city's files, for the monthly
# cycle (bench/month, tests/e2e_month.sh): the history is every file with
# the month's contributions and benefit payments (by period) and its
# medical settlements (by settled_on) and their items taken out; the month
# is those rows alone, in the four files a monthly delivery brings.
#
#   scripts/split-month.sh CITY_DIR YYYY-MM HISTORY_DIR MONTH_DIR
#
# The history and the month together hold exactly the city's rows. Both
# directories are written under temporary names and renamed at the end.
set -euo pipefail
[ $# -eq 4 ] || { echo "用法 usage: $0 CITY_DIR YYYY-MM HISTORY_DIR MONTH_DIR" >&2; exit 2; }
city="$1" month="$2" hist="$3" mon="$4"
[[ "$month" =~ ^[0-9]{4}-[0-9]{2}$ ]] || { echo "$0: 月份应为 YYYY-MM: $month" >&2; exit 2; }
[ -f "$city/persons.csv" ] || { echo "$0: 不是城市数据目录: $city" >&2; exit 2; }
for d in "$hist" "$mon"; do [ ! -e "$d" ] || { echo "$0: 已存在，不覆盖: $d" >&2; exit 2; }; done
th="$hist.tmp.$$" tm="$mon.tmp.$$"
trap 'rm -rf "$th" "$tm"' EXIT
mkdir -p "$th" "$tm"
for f in "$city"/*.csv; do
  case "$(basename "$f")" in
    contributions.csv|benefit_payments.csv|medical_settlements.csv|medical_items.csv) ;;
    *) cp "$f" "$th/" ;;
  esac
done
# split FILE COLUMN: rows whose COLUMN starts with the month go to the month
split() {
  awk -F, -v col="$2" -v m="$month" -v H="$th/$1" -v M="$tm/$1" '
    NR == 1 { print > H; print > M; next }
    substr($col, 1, 7) == m { print > M; next }
    { print > H }' "$city/$1"
}
split contributions.csv 5
split benefit_payments.csv 6
split medical_settlements.csv 12
# items follow their settlement (column 1 of both files)
awk -F, -v H="$th/medical_items.csv" -v M="$tm/medical_items.csv" '
  FNR == 1 && NR != 1 { print > H; print > M; next }
  NR == FNR { if (FNR > 1) inmonth[$1] = 1; next }
  ($1 in inmonth) { print > M; next }
  { print > H }' "$tm/medical_settlements.csv" "$city/medical_items.csv"
mv "$th" "$hist"
mv "$tm" "$mon"
trap - EXIT
