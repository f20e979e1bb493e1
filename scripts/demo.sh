#!/usr/bin/env bash
# demo.sh — the main job on the embedded default (SQLite, no server):
# install what is missing, build, generate a demo city, create a store with
# the demo roster, import the city as one batch, screen it and print the
# summary per rule; the findings are exported to demo/findings.csv and .xlsx;
# then every finding is issued to the agency of its region (case work) and the
# verification ledger's summary is printed, after the year's inspection plan
# and one inspection with a problem in the rectification ledger.
#
# Credentials are the non-interactive ones of docs/cli.md: init generates
# each demo user's initial password, and scripts/set-passwords.sh has every
# user set the demo password DEMO_PASSWORD right away (a demo default is
# used when it is unset — never use it for real data).
set -euo pipefail
cd "$(dirname "$0")/.."
PERSONS="${PERSONS:-20000}"
AS_OF="${AS_OF:-2026-06-30}"
bash scripts/bootstrap.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
FG=./build/fundguard
export FUNDGUARD_PASSWORD="${DEMO_PASSWORD:-demo-password-2026}"
unset FUNDGUARD_INIT_PASSWORD
rm -rf demo && mkdir -p demo
echo "== 生成演示城市 (${PERSONS} 人) =="
$FG gen --persons "$PERSONS" --seed 1 --as-of "$AS_OF" --out demo/city --truth demo/truth.csv
echo "== 初始化数据库 =="
$FG init --db demo/fundguard.db --roster scripts/demo-roster.csv
FG=$FG bash scripts/set-passwords.sh demo/fundguard.db "$FUNDGUARD_PASSWORD"
echo "== 导入 =="
FUNDGUARD_USER=zhang.jb $FG import --db demo/fundguard.db demo/city
echo "== 筛查 =="
FUNDGUARD_USER=li.jd $FG screen --db demo/fundguard.db --as-of "$AS_OF"
FUNDGUARD_USER=li.jd $FG findings --db demo/fundguard.db --format csv -o demo/findings.csv
FUNDGUARD_USER=li.jd $FG findings --db demo/fundguard.db --format xlsx -o demo/findings.xlsx
echo "疑点已导出: demo/findings.csv, demo/findings.xlsx"
echo "== 下发核查 (case issue) =="
# each county-level agency gets the findings of its region; the city-level
# agency the rest (cases.md: one case per finding, re-running is harmless)
run=$(sqlite3 demo/fundguard.db "SELECT max(id) FROM runs WHERE official = 1")
tail -n +2 demo/city/agencies.csv | tr -d '\r' | while IFS=, read -r id _name region level _parent; do
  [ "$level" = county ] || continue
  FUNDGUARD_USER=li.jd $FG case issue --db demo/fundguard.db --run "$run" --region "$region" --to "$id"
done
city=$(tail -n +2 demo/city/agencies.csv | tr -d '\r' | awk -F, '$4 == "city" { print $1; exit }')
FUNDGUARD_USER=li.jd $FG case issue --db demo/fundguard.db --run "$run" --to "$city"
FUNDGUARD_USER=li.jd $FG case list --db demo/fundguard.db --format xlsx -o demo/ledger.xlsx
FUNDGUARD_USER=li.jd $FG report monthly --db demo/fundguard.db --month "${AS_OF:0:7}" --format html \
  -o demo/monthly.html
echo "核查工作台账: demo/ledger.xlsx；月报: demo/monthly.html"
echo "== 年度现场检查计划与一次现场检查 (inspection) =="
year=$(TZ=Asia/Shanghai date +%Y)
FUNDGUARD_USER=li.jd $FG inspection plan --db demo/fundguard.db --year "$year" | tee demo/plan.txt
target=$(sed -n 's/.*计划：\([^（]*\)（.*/\1/p' demo/plan.txt | tr ',' '\n' | grep -v "^$city\$" | head -1)
notice=$(TZ=Asia/Shanghai date +%F) start=$(TZ=Asia/Shanghai date -d '+3 days' +%F)
due=$(TZ=Asia/Shanghai date -d '+30 days' +%F)
FUNDGUARD_USER=li.jd $FG inspection open --db demo/fundguard.db --agency "${target:-$city}" \
  --inspectors li.jd,chen.jh --notice-on "$notice" --start-on "$start" | tee demo/inspection.txt
ins=$(sed -n 's/^已立项现场检查 #\([0-9]*\).*/\1/p' demo/inspection.txt)
FUNDGUARD_USER=li.jd $FG inspection problem "$ins" --db demo/fundguard.db \
  --text "收入户资金未按月归集财政专户" --due-on "$due" --amount 12000.00
FUNDGUARD_USER=li.jd $FG inspection letter "$ins" --db demo/fundguard.db -o demo/feedback-letter.html
FUNDGUARD_USER=li.jd $FG rectify list --db demo/fundguard.db
echo "== 核查工作台账汇总 (ledger summary) =="
FUNDGUARD_USER=li.jd $FG case list --db demo/fundguard.db --format summary
echo "== 网页工作台 (web workbench) =="
echo "启动: $FG serve --db demo/fundguard.db --listen 127.0.0.1:8080"
echo "打开 http://127.0.0.1:8080/ ，演示用户 li.jd（基金监督）、zhang.jb（经办）、wang.fh（复核），密码 ${FUNDGUARD_PASSWORD}"
# DEMO_SERVE=1: serve the demo city right away (until Ctrl-C / SIGTERM)
if [ "${DEMO_SERVE:-0}" = 1 ]; then exec $FG serve --db demo/fundguard.db --listen 127.0.0.1:8080; fi
