#!/usr/bin/env bash
# The StatefulSet lesson, end to end: run it and read along.
# Stable names created in order, a canary update with a partition, the rest from the highest
# ordinal down, an undo through ControllerRevisions, and scaling down from the top.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n$ %s\n' "$*"; "$@"; }
# apply sets every field the file names: the edited file must carry the new image too.
edit='s/partition: 2/partition: 0/; s/nginx:1.14.2/nginx:1.16.1/'
lower_partition() {
  printf "\n$ sed '%s' samples/06-statefulset.yaml | mkctl apply -f -\n" "$edit"
  sed "$edit" samples/06-statefulset.yaml | mkctl apply -f -
}

step mkctl apply -f samples/06-statefulset.yaml
step mkctl get sts,pods,controllerrevisions
step mkctl describe sts web                      # create web-0, then web-1, then web-2
step mkctl set image sts/web nginx=nginx:1.16.1  # partition 2: only web-2 is updated
step mkctl get pods -o wide
step mkctl rollout status sts/web
lower_partition                                   # web-1, then web-0 follow
step mkctl rollout status sts/web
step mkctl rollout history sts/web
step mkctl rollout undo sts/web                   # revision 1 comes back as revision 3
step mkctl rollout history sts/web
step mkctl get controllerrevisions
step mkctl scale sts/web --replicas=1             # web-2 goes first, then web-1
step mkctl get sts,pods
step mkctl delete sts web
