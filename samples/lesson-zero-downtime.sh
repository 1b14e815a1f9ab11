#!/usr/bin/env bash
# The zero-downtime lesson, end to end: run it and read along.
# A Service's clients keep being answered while a RollingUpdate replaces every pod, and
# while a rollout that cannot finish is stuck.
# `mkctl traffic` is mkctl's own command (not kubectl's): it simulates the requests, routed
# to the Service's Ready endpoints as kube-proxy routes them, and tallies who answered.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n$ %s\n' "$*"; "$@"; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT

step mkctl apply -f samples/11-service.yaml
step mkctl get deploy,svc,endpoints
step mkctl describe svc site

# 20 requests a second in the background while the image changes from 1.25 to 1.26: the
# tally moves from one version to the other, and no request fails. (Without a daemon,
# mkctl traffic runs the controllers itself while it runs, on the real clock.)
printf '\n$ mkctl traffic svc/site --rate 20 --count 300 &\n'
mkctl traffic svc/site --rate 20 --count 300 >"$log" &
sleep 1
step mkctl set image deploy/site nginx=nginx:1.26
step mkctl rollout status deploy/site
wait
awk 'NR == 1 || NR % 30 == 2' "$log"   # every 30th request
tail -n 5 "$log"                          # the tally
step mkctl get endpointslices -l kubernetes.io/service-name=site

# A rollout that cannot finish: the new image never turns Ready, so its pod never joins
# the endpoints, and the old pods keep answering every request.
step mkctl set image deploy/site nginx=nginx:neverready
step mkctl traffic svc/site --rate 20 --count 40 --quiet
step mkctl get endpoints site
step mkctl rollout undo deploy/site
step mkctl delete -f samples/11-service.yaml
