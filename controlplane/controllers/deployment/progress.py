"""Deployment status and conditions (upstream calculateStatus in sync.go, and progress.go).

Status is recomputed from the ReplicaSets on every sync and written only when it differs,
which is what makes a settled Deployment reconcile to no actions. Progress is judged by
comparing the new status with the previous one; when nothing moved and a deadline is set,
the sync asks to be requeued for the moment the deadline would pass, because no other
event would wake it (kubernetes#34458).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from controlplane.clock import parse_rfc3339
from controlplane.controllers.deployment.util import (
    get_actual_replica_count_for_replica_sets,
    get_available_replica_count_for_replica_sets,
    get_ready_replica_count_for_replica_sets,
    get_replica_count_for_replica_sets,
    has_progress_deadline,
    max_unavailable,
    replicas_of,
)
from controlplane.controllers.sync_writes import SyncWrites
from controlplane.models.conditions import (
    Condition,
    conditions_of,
    get_condition,
    new_condition,
    remove_condition,
    set_condition,
)
from controlplane.models.constants import (
    ConditionStatus,
    DeploymentConditionType,
    DeploymentReason,
    Obj,
)
from controlplane.models.meta import name_of

AVAILABLE = DeploymentConditionType.AVAILABLE
PROGRESSING = DeploymentConditionType.PROGRESSING
REPLICA_FAILURE = DeploymentConditionType.REPLICA_FAILURE


def calculate_status(all_rss: Sequence[Obj | None], new_rs: Obj | None, d: Obj, now: float) -> Obj:
    """The Deployment status the ReplicaSets imply (sync.go calculateStatus), Available included.

    Zero counts are left out, as Go's `omitempty` leaves them out of a real object.
    Worked example: an old RS with 2 available pods (spec 2) and a new RS of spec 2 with 1
    available give replicas 3 (if 3 pods exist), availableReplicas 3, and
    unavailableReplicas max(0, 4 - 3) = 1 (counted against spec, not status).
    """
    rss = [rs for rs in all_rss if rs is not None]
    available = get_available_replica_count_for_replica_sets(rss)
    unavailable = max(0, get_replica_count_for_replica_sets(rss) - available)
    counts = {
        "observedGeneration": int(d["metadata"].get("generation", 0)),
        "replicas": get_actual_replica_count_for_replica_sets(rss),
        "updatedReplicas": get_actual_replica_count_for_replica_sets([new_rs]),
        "readyReplicas": get_ready_replica_count_for_replica_sets(rss),
        "availableReplicas": available,
        "unavailableReplicas": unavailable,
    }
    status: Obj = {key: value for key, value in counts.items() if value}
    previous = d.get("status") or {}
    conditions = copy.deepcopy(conditions_of(previous))
    if conditions:
        status["conditions"] = conditions
    if previous.get("collisionCount") is not None:
        status["collisionCount"] = previous["collisionCount"]

    if available >= replicas_of(d) - max_unavailable(d):
        condition = new_condition(
            AVAILABLE,
            ConditionStatus.TRUE,
            DeploymentReason.MINIMUM_REPLICAS_AVAILABLE,
            "Deployment has minimum availability.",
            now,
        )
    else:
        condition = new_condition(
            AVAILABLE,
            ConditionStatus.FALSE,
            DeploymentReason.MINIMUM_REPLICAS_UNAVAILABLE,
            "Deployment does not have minimum availability.",
            now,
        )
    set_condition(status, condition)
    return status


def _count(status: Obj | None, field: str) -> int:
    return int((status or {}).get(field, 0))


def deployment_complete(d: Obj, status: Obj | None) -> bool:
    """All R replicas updated and available, no old pods left, latest spec observed."""
    desired = replicas_of(d)
    return (
        _count(status, "updatedReplicas") == desired
        and _count(status, "replicas") == desired
        and _count(status, "availableReplicas") == desired
        and _count(status, "observedGeneration") >= int(d["metadata"].get("generation", 0))
    )


def deployment_progressing(d: Obj, new_status: Obj) -> bool:
    """More updated, ready or available pods, or fewer old ones, than the previous status."""
    old = d.get("status") or {}
    old_old = _count(old, "replicas") - _count(old, "updatedReplicas")
    new_old = _count(new_status, "replicas") - _count(new_status, "updatedReplicas")
    return (
        _count(new_status, "updatedReplicas") > _count(old, "updatedReplicas")
        or new_old < old_old
        or _count(new_status, "readyReplicas") > _count(old, "readyReplicas")
        or _count(new_status, "availableReplicas") > _count(old, "availableReplicas")
    )


def deployment_timed_out(d: Obj, new_status: Obj, now: float) -> bool:
    """No progress for progressDeadlineSeconds since the Progressing condition last moved.

    A finished rollout (NewReplicaSetAvailable) never times out; one already timed out stays so.
    """
    if not has_progress_deadline(d):
        return False
    condition = get_condition(new_status, PROGRESSING)
    if condition is None or condition.get("reason") == DeploymentReason.NEW_RS_AVAILABLE:
        return False
    if condition.get("reason") == DeploymentReason.TIMED_OUT:
        return True
    since = parse_rfc3339(condition["lastUpdateTime"])
    return since + int(d["spec"]["progressDeadlineSeconds"]) < now


def get_replica_failures(all_rss: Sequence[Obj | None], new_rs: Obj | None) -> list[Condition]:
    """ReplicaFailure conditions of the RSs as Deployment conditions, the new RS's first."""

    def failures(rs: Obj) -> list[Condition]:
        return [
            {
                "type": c["type"],
                "status": c.get("status", ""),
                "lastUpdateTime": c.get("lastTransitionTime"),
                "lastTransitionTime": c.get("lastTransitionTime"),
                "reason": c.get("reason", ""),
                "message": c.get("message", ""),
            }
            for c in conditions_of(rs.get("status"))
            if c.get("type") == REPLICA_FAILURE
        ]

    if new_rs is not None and (found := failures(new_rs)):
        return found
    return [c for rs in all_rss if rs is not None for c in failures(rs)]


def _subject(d: Obj, new_rs: Obj | None) -> str:
    """`ReplicaSet "x"` when there is a new RS, else `Deployment "y"`."""
    if new_rs is not None:
        return f'ReplicaSet "{name_of(new_rs)}"'
    return f'Deployment "{name_of(d)}"'


def sync_rollout_status(
    plan: SyncWrites, all_rss: Sequence[Obj | None], new_rs: Obj | None
) -> None:
    """Status during a rollout, with the Progressing condition (progress.go syncRolloutStatus).

    Progressing becomes NewReplicaSetAvailable when complete, ReplicaSetUpdated (its
    lastUpdateTime refreshed) when anything moved, ProgressDeadlineExceeded when nothing
    moved for progressDeadlineSeconds. Unchanged status with a deadline pending: requeue.
    """
    d = plan.draft
    new_status = calculate_status(all_rss, new_rs, d, plan.now)
    if not has_progress_deadline(d):
        remove_condition(new_status, PROGRESSING)
    current = get_condition(d.get("status"), PROGRESSING)
    already_complete = (
        _count(new_status, "replicas") == _count(new_status, "updatedReplicas")
        and current is not None
        and current.get("reason") == DeploymentReason.NEW_RS_AVAILABLE
    )
    if has_progress_deadline(d) and not already_complete:
        condition = _progressing(d, new_status, _subject(d, new_rs), plan.now)
        updated = condition is not None and condition["reason"] == DeploymentReason.RS_UPDATED
        if condition is not None and updated and current is not None:
            # Same reason, new lastUpdateTime: set_condition would ignore it, so replace.
            if current.get("status") == ConditionStatus.TRUE:
                condition["lastTransitionTime"] = current.get("lastTransitionTime")
            remove_condition(new_status, PROGRESSING)
        if condition is not None:
            set_condition(new_status, condition)

    failures = get_replica_failures(all_rss, new_rs)
    if failures:
        set_condition(new_status, failures[0])
    else:
        remove_condition(new_status, REPLICA_FAILURE)

    if (d.get("status") or {}) == new_status:
        plan.requeue_after = requeue_stuck_deployment(d, new_status, plan.now)
        return
    d["status"] = new_status


def _progressing(d: Obj, new_status: Obj, subject: str, now: float) -> Condition | None:
    """The Progressing condition a rollout's status gets: complete, still progressing, timed
    out, or none of these (nothing to change)."""
    if deployment_complete(d, new_status):
        status, reason = ConditionStatus.TRUE, DeploymentReason.NEW_RS_AVAILABLE
        message = f"{subject} has successfully progressed."
    elif deployment_progressing(d, new_status):
        status, reason = ConditionStatus.TRUE, DeploymentReason.RS_UPDATED
        message = f"{subject} is progressing."
    elif deployment_timed_out(d, new_status, now):
        status, reason = ConditionStatus.FALSE, DeploymentReason.TIMED_OUT
        message = f"{subject} has timed out progressing."
    else:
        return None
    return new_condition(PROGRESSING, status, reason, message, now)


def sync_deployment_status(
    plan: SyncWrites, all_rss: Sequence[Obj | None], new_rs: Obj | None
) -> None:
    """Status outside a rollout (scaling, paused, deleting): no progress estimate."""
    new_status = calculate_status(all_rss, new_rs, plan.draft, plan.now)
    if (plan.draft.get("status") or {}) != new_status:
        plan.draft["status"] = new_status


def requeue_stuck_deployment(d: Obj, new_status: Obj, now: float) -> float | None:
    """Seconds until a progress check is due, or None when none is needed.

    Worked example: Progressing last updated at 00:00:00, deadline 600 s, now 00:03:00:
    00:00:00 + 10 min - 00:03:00 = 7 min, plus one second against clock skew (upstream
    adds it too). When under a second is left, upstream requeues "now" through its rate
    limiter; we wait one second, which is past the deadline, so a fake clock cannot spin.
    """
    current = get_condition(d.get("status"), PROGRESSING)
    if not has_progress_deadline(d) or current is None:
        return None
    if deployment_complete(d, new_status) or current.get("reason") == DeploymentReason.TIMED_OUT:
        return None
    after = (
        parse_rfc3339(current["lastUpdateTime"]) + int(d["spec"]["progressDeadlineSeconds"]) - now
    )
    if after < 1:
        return 1.0
    return after + 1
