#!/usr/bin/env bash
# The ConfigMap lesson, end to end: run it and read along.
# A Deployment reads a ConfigMap at start; a change to the ConfigMap reaches its pods only
# when `rollout restart` replaces them.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n$ %s\n' "$*"; "$@"; }
change_greeting() {
  printf '\n$ mkctl create configmap greeting --from-literal=GREETING=%s --dry-run=client -o yaml | mkctl apply -f -\n' "$1"
  mkctl create configmap greeting --from-literal=GREETING="$1" --dry-run=client -o yaml \
    | mkctl apply -f -
}

step mkctl apply -f samples/13-configmap-rollout.yaml
step mkctl rollout status deployment/greeter
step mkctl get configmap greeting -o yaml
step mkctl logs deployment/greeter           # the pods greet with the ConfigMap's value
change_greeting bonjour
step mkctl get configmap greeting -o jsonpath='{.data.GREETING}{"\n"}'
step mkctl logs deployment/greeter           # still hello: the environment was read at start
step mkctl rollout restart deployment/greeter
step mkctl rollout status deployment/greeter
step mkctl get pods -l app=greeter           # new pods, from a new ReplicaSet
step mkctl logs deployment/greeter           # bonjour: the new pods read the new value
step mkctl rollout history deployment/greeter
step mkctl delete -f samples/13-configmap-rollout.yaml
