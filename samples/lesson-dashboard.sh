#!/usr/bin/env bash
# The Deployments lesson with the dashboard open: run it, and watch the picture change.
# `mkctl dashboard` (mkctl's own command) starts the daemon, so pods take a moment to start
# and stop as on a real cluster, and opens a page that draws each Deployment, its
# ReplicaSets and their Pods, live. On a terminal the lesson waits for Enter between steps.
# NO_OPEN=1 prints the page's URL without opening a browser; SPEED=10 runs ten times faster.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n$ %s\n' "$*"; "$@"; }
look() { printf '\n# on the page: %s\n' "$*"; if [ -t 0 ]; then read -r -p '(Enter) '; fi; }

step mkctl dashboard --speed "${SPEED:-1}" ${NO_OPEN:+--no-open}
step mkctl apply -f samples/02-deployment.yaml
step mkctl rollout status deployment/nginx-deployment
look "one Deployment (revision 1), one ReplicaSet, three green Running pods"

pod=$(mkctl get pods -l app=nginx -o name | head -n 1)
step mkctl delete "$pod" --wait=false
step mkctl wait --for=delete "$pod" --timeout=60s
step mkctl wait --for=jsonpath='{.status.readyReplicas}'=3 deployment/nginx-deployment
look "the deleted pod faded out; its replacement appeared beside the others: self-healing"

step mkctl set image deployment/nginx-deployment nginx=nginx:1.16.1
step mkctl rollout status deployment/nginx-deployment
look "revision 2's ReplicaSet took the pods over one by one: the timeline shows the trade"

step mkctl rollout undo deployment/nginx-deployment
step mkctl rollout status deployment/nginx-deployment
look "the first ReplicaSet is back, now as revision 3; revision 2 kept at zero"

step mkctl set image deployment/nginx-deployment nginx=nginx:1.161
step mkctl wait --for=jsonpath='{.status.updatedReplicas}'=1 deployment/nginx-deployment
look "a red pod in ImagePullBackOff: the rollout is stuck, three old pods still serve"

step mkctl rollout undo deployment/nginx-deployment
step mkctl rollout status deployment/nginx-deployment
step mkctl tree deployment/nginx-deployment -o mermaid   # the same picture, for slides
look "click a box: its conditions, events and YAML; Export SVG saves the graph"

step mkctl delete deployment nginx-deployment
printf '\n# the daemon keeps running for the page: mkctl cluster stop when you are done\n'
