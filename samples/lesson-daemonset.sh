#!/usr/bin/env bash
# The DaemonSet lesson, end to end: run it and read along.
# One pod per node that fits, pods that follow nodes as they come, change and go, a rolling
# update node by node, and an undo through ControllerRevisions.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n$ %s\n' "$*"; "$@"; }

step mkctl apply -f samples/07-daemonset.yaml    # no node has logging=on yet: 0 pods
step mkctl get ds
step mkctl label node node-1 node-2 node-3 logging=on
step mkctl get ds,pods -o wide                    # one pod per node
step mkctl node add node-4 --label logging=on     # node-4 gets a pod
step mkctl get pods -o wide
step mkctl label node node-4 logging=off --overwrite   # ... and loses it
step mkctl get ds
step mkctl node remove node-4
step mkctl set image ds/fluentd fluentd=fluentd:v1.17
step mkctl rollout status ds/fluentd
step mkctl rollout history ds/fluentd
step mkctl rollout undo ds/fluentd
step mkctl describe ds fluentd
step mkctl delete ds fluentd
