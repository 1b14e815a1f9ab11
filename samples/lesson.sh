#!/usr/bin/env bash
# The Deployments lesson, end to end: run it and read along.
# Each step prints the command, then what mkctl shows, exactly as kubectl would.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n$ %s\n' "$*"; "$@"; }
first_pod() { mkctl get pods -l app=nginx -o name | head -n 1; }

step mkctl apply -f samples/02-deployment.yaml
step mkctl wait --for=condition=Available deployment/nginx-deployment
step mkctl get deploy,rs,pods
step mkctl tree deployment/nginx-deployment   # who owns whom: Deployment -> ReplicaSet -> Pods
pod=$(first_pod)
step mkctl delete "$pod"
step mkctl get pods          # a replacement is already Running: self-healing
step mkctl set image deployment/nginx-deployment nginx=nginx:1.16.1
step mkctl get rs            # a second ReplicaSet took over; the first is at 0
step mkctl tree deployment/nginx-deployment   # revision 2 owns the pods; revision 1 is kept
step mkctl rollout history deployment/nginx-deployment
step mkctl rollout undo deployment/nginx-deployment
step mkctl rollout history deployment/nginx-deployment   # 2 and 3: revision 1 came back as 3
step mkctl get rs
step mkctl scale deployment/nginx-deployment --replicas=5
step mkctl get deploy
step mkctl apply -f samples/02-deployment.yaml          # the file says 3 replicas
step mkctl get deploy
step mkctl describe deployment nginx-deployment
step mkctl delete deployment nginx-deployment
step mkctl get deploy,rs,pods
