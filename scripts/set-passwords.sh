#!/usr/bin/env bash
# set-passwords.sh DB NEW_PASSWORD — right after `fundguard init --roster`,
# each user of DB.initial-passwords sets a password of their own (cli.md
# v1.1: an initial password only sets one's own). For the demo, tests and
# benchmarks, where one operator plays every role; a real office hands each
# line of the file to its person instead. NEW_PASSWORD is suffixed with
# nothing: every user gets the same one here (a test convenience only).
# FG may name the binary (default: build/fundguard beside this script).
set -euo pipefail
db="$1" newpw="$2"
fg="${FG:-$(cd "$(dirname "$0")/.." && pwd)/build/fundguard}"
list="$db.initial-passwords"
[ -f "$list" ] || { echo "set-passwords.sh: $list 不存在" >&2; exit 1; }
tail -n +2 "$list" | while IFS=, read -r user pw; do
  [ -n "$user" ] || continue
  FUNDGUARD_USER="$user" FUNDGUARD_PASSWORD="$pw" FUNDGUARD_NEW_PASSWORD="$newpw" \
    "$fg" user passwd --db "$db" </dev/null 2>/dev/null ||
    { echo "set-passwords.sh: 用户 $user 设置密码失败" >&2; exit 1; }
done
rm -f "$list"
