#!/usr/bin/env bash
# The Recreate-gap lesson, end to end: run it and read along.
# Every old pod goes before a new one starts, and for a while the Service has no Ready
# endpoint, so its clients' connections are refused.
# `mkctl traffic` is mkctl's own command (not kubectl's): see lesson-zero-downtime.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n$ %s\n' "$*"; "$@"; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT

step mkctl apply -f samples/12-service-recreate.yaml
step mkctl get endpoints blog

printf '\n$ mkctl traffic svc/blog --rate 20 --count 300 &\n'
mkctl traffic svc/blog --rate 20 --count 300 >"$log" 2>&1 &
sleep 1
step mkctl set image deploy/blog nginx=nginx:1.26
step mkctl rollout status deploy/blog
wait
grep -m 3 ERR "$log"       # the first failed requests
tail -n 6 "$log"           # the tally: answers from both versions, and failures between
step mkctl get endpoints blog
step mkctl delete -f samples/12-service-recreate.yaml
