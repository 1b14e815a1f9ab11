"""`kubectl rollout restart` for every kind that has one (Deployment, StatefulSet, DaemonSet).

kubectl's defaultObjectRestarter stamps the pod template with `kubectl.kubernetes.io/
restartedAt` (local time, Go's RFC 3339): a template change, so the controller rolls every
pod. Twice within one second gives the same stamp, an empty patch, and kubectl's error.
"""

from __future__ import annotations

from datetime import datetime

from controlplane.api.clusterapi import ClusterApi
from controlplane.models.constants import RESTARTED_AT_ANNOTATION, Obj
from controlplane.models.meta import name_of
from minikubectl.kubectl.rollout.base import FIELD_MANAGER, RolloutError


def restart(api: ClusterApi, obj: Obj) -> None:
    name = name_of(obj)
    stamp = datetime.fromtimestamp(api.clock.now()).astimezone().isoformat(timespec="seconds")
    stamp = stamp.removesuffix("+00:00") + ("Z" if stamp.endswith("+00:00") else "")  # Go's RFC3339
    annotations = (obj["spec"]["template"].get("metadata") or {}).get("annotations") or {}
    if annotations.get(RESTARTED_AT_ANNOTATION) == stamp:
        raise RolloutError(
            f"failed to create patch for {name}: if restart has already been triggered within "
            f"the past second, please wait before attempting to trigger another"
        )
    patch = {"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT_ANNOTATION: stamp}}}}}
    api.patch(
        obj["kind"],
        obj["metadata"]["namespace"],
        name,
        patch,
        "strategic",
        field_manager=FIELD_MANAGER,
    )
