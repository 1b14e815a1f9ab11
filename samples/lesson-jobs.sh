#!/usr/bin/env bash
# The Jobs lesson, end to end: run it and read along (about a minute).
# A Job runs five pods to completion, two at a time; a CronJob makes a Job every minute, and
# one more by hand. A daemon runs the cluster meanwhile, so the pods take their time.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n$ %s\n' "$*"; "$@"; }

mkctl cluster start --speed 5
trap 'mkctl cluster stop' EXIT

step mkctl apply -f samples/15-job.yaml
step mkctl get jobs                                  # Running, 0/5
step mkctl wait --for=condition=complete job/pi --timeout=120s
step mkctl get jobs,pods                             # Complete, 5/5; five pods Completed
step mkctl describe job pi
step mkctl delete job pi                             # its pods go with it

step mkctl apply -f samples/16-cronjob.yaml
step mkctl create job hello-now --from=cronjob/hello   # one run by hand, now
printf '\n# waiting for the start of the next minute, when the CronJob runs a Job\n'
until [ "$(mkctl get jobs -l app=hello -o name | wc -l)" -ge 2 ]; do sleep 1; done
step mkctl wait --for=condition=complete jobs -l app=hello --timeout=120s
step mkctl get cronjobs,jobs
step mkctl describe cronjob hello
step mkctl delete cronjob hello                      # its Jobs and their pods go with it
step mkctl get jobs,pods
