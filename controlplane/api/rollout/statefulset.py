"""Rollout of StatefulSets (staging/src/k8s.io/kubectl/pkg/polymorphichelpers: history.go
StatefulSetHistoryViewer, rollback.go StatefulSetRollbacker, rollout_status.go
StatefulSetStatusViewer, objectrestarter.go).

There is no pause or resume: kubectl refuses them for StatefulSets.
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


def status(sts: Obj, revision: int = 0) -> tuple[str, bool]:
    """kubectl's rollout status message for a StatefulSet, and whether it is done.

    `revision` is ignored, as kubectl ignores it for StatefulSets.
    """
    del revision
    spec, state = sts["spec"], sts.get("status") or {}
    strategy = spec.get("updateStrategy") or {}
    if strategy.get("type") != StrategyType.ROLLING_UPDATE:
        raise RolloutError("rollout status is only available for RollingUpdate strategy type")
    observed = int(state.get("observedGeneration") or 0)
    if observed == 0 or int(sts["metadata"].get("generation") or 0) > observed:
        return "Waiting for statefulset spec update to be observed...\n", False
    replicas = int(spec.get("replicas", 1))
    ready = int(state.get("readyReplicas") or 0)
    if ready < replicas:
        return f"Waiting for {replicas - ready} pods to be ready...\n", False
    updated = int(state.get("updatedReplicas") or 0)
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        partitioned = replicas - int(rolling.get("partition", 0))
        if rolling.get("partition") is not None and updated < partitioned:
            return (
                "Waiting for partitioned roll out to finish: "
                f"{updated} out of {partitioned} new pods have been updated...\n",
                False,
            )
        return f"partitioned roll out complete: {updated} new pods have been updated...\n", True
    update_revision = state.get("updateRevision", "")
    if update_revision != state.get("currentRevision", ""):
        return (
            f"waiting for statefulset rolling update to complete {updated} pods at revision "
            f"{update_revision}...\n",
            False,
        )
    current = int(state.get("currentReplicas") or 0)
    return (
        f"statefulset rolling update complete {current} pods at revision "
        f"{state.get('currentRevision', '')}...\n",
        True,
    )
