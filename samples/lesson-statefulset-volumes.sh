#!/usr/bin/env bash
# The StatefulSet volumes lesson, end to end: run it and read along.
# One claim per pod, provisioned and bound by the default StorageClass; claims that survive
# deleting a pod and scaling down, and that the same ordinals mount again when scaled up.
# mkctl simulates storage: volumes are records, no data is stored.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n$ %s\n' "$*"; "$@"; }

step mkctl apply -f samples/14-statefulset-volumes.yaml
step mkctl get sts,pods,pvc,pv
step mkctl get sc                                  # the default class provisions the volumes
step mkctl describe pvc data-shop-0                # Used By: shop-0
step mkctl delete pod shop-1                       # the new shop-1 mounts data-shop-1 again
step mkctl get pods,pvc
step mkctl scale sts shop --replicas=1             # shop-2, then shop-1 go; claims stay
step mkctl get pods,pvc
step mkctl scale sts shop --replicas=3             # shop-1 and shop-2 get their claims back
step mkctl get pods,pvc
step mkctl get pod shop-2 -o jsonpath='{.spec.volumes[0].persistentVolumeClaim.claimName}{"\n"}'
step mkctl delete sts shop                         # whenDeleted: Retain keeps the claims
step mkctl get pvc
step mkctl delete pvc -l app=shop                  # reclaimPolicy Delete: the volumes go too
step mkctl get pv
