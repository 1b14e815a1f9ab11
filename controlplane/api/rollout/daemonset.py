"""Rollout of DaemonSets (staging/src/k8s.io/kubectl/pkg/polymorphichelpers: history.go
DaemonSetHistoryViewer, rollback.go DaemonSetRollbacker, rollout_status.go
DaemonSetStatusViewer, objectrestarter.go).

There is no pause or resume: kubectl refuses them for DaemonSets.
"""

from __future__ import annotations

from controlplane.api.rollout import RolloutError
from controlplane.api.rollout.controllerrevisions import (
    history,
    revision_template,
    rollback_template,
    undo,
)
from controlplane.api.rollout.restart import restart
from controlplane.models.constants import Obj, StrategyType

__all__ = ["history", "restart", "revision_template", "rollback_template", "status", "undo"]


def status(ds: Obj, revision: int = 0) -> tuple[str, bool]:
    """kubectl's rollout status message for a DaemonSet, and whether it is done.

    `revision` is ignored, as kubectl ignores it for DaemonSets.
    """
    del revision
    name = ds["metadata"]["name"]
    if (ds["spec"].get("updateStrategy") or {}).get("type") != StrategyType.ROLLING_UPDATE:
        raise RolloutError("rollout status is only available for RollingUpdate strategy type")
    state = ds.get("status") or {}
    if int(ds["metadata"].get("generation") or 0) > int(state.get("observedGeneration") or 0):
        return "Waiting for daemon set spec update to be observed...\n", False
    desired = int(state.get("desiredNumberScheduled") or 0)
    updated = int(state.get("updatedNumberScheduled") or 0)
    available = int(state.get("numberAvailable") or 0)
    waiting = f'Waiting for daemon set "{name}" rollout to finish: '
    if updated < desired:
        return f"{waiting}{updated} out of {desired} new pods have been updated...\n", False
    if available < desired:
        return f"{waiting}{available} of {desired} updated pods are available...\n", False
    return f'daemon set "{name}" successfully rolled out\n', True
