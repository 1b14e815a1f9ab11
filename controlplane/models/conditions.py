"""Condition lists in `status.conditions`, with Kubernetes' set/remove semantics.

Written after `deploymentutil.SetDeploymentCondition` and friends, and kept kind-neutral so
ReplicaSets, StatefulSets and DaemonSets can share it. Setting a condition whose status or
reason differs removes the old entry and appends the new one at the end, so the order of
the list changes over time exactly as `kubectl describe` shows on a real cluster;
`lastTransitionTime` survives when only the reason changed.

The helpers mutate the status dict they are given: callers pass their own deep copy.
"""

from __future__ import annotations

from typing import Any

from controlplane.clock import rfc3339
from controlplane.models.constants import Obj

Condition = dict[str, Any]


def new_condition(
    type_: str,
    status: str,
    reason: str,
    message: str,
    now: float,
    *,
    with_update_time: bool = True,
) -> Condition:
    """A condition stamped at `now`, fields in Kubernetes' JSON order.

    Deployment conditions carry `lastUpdateTime`; most other kinds only have
    `lastTransitionTime` (pass `with_update_time=False`).
    """
    stamp = rfc3339(now)
    condition: Condition = {"type": type_, "status": status}
    if with_update_time:
        condition["lastUpdateTime"] = stamp
    condition["lastTransitionTime"] = stamp
    condition["reason"] = reason
    condition["message"] = message
    return condition


def conditions_of(status: Obj | None) -> list[Condition]:
    conditions: list[Condition] = (status or {}).get("conditions") or []
    return conditions


def get_condition(status: Obj | None, type_: str) -> Condition | None:
    """The condition of this type, or None. Do not mutate the result: copy it first."""
    for condition in conditions_of(status):
        if condition.get("type") == type_:
            return condition
    return None


def set_condition(status: Obj, condition: Condition) -> bool:
    """Put `condition` into `status.conditions`; True if the list changed.

    Same status and reason as the current entry: nothing changes (even the message, as
    upstream). Same status, new reason: the entry moves to the end and keeps its
    lastTransitionTime. New status: the entry moves to the end with the new times.
    """
    current = get_condition(status, condition["type"])
    if (
        current is not None
        and current.get("status") == condition.get("status")
        and current.get("reason") == condition.get("reason")
    ):
        return False
    condition = dict(condition)
    if (
        current is not None
        and current.get("status") == condition.get("status")
        and "lastTransitionTime" in current
    ):
        condition["lastTransitionTime"] = current["lastTransitionTime"]
    others = [c for c in conditions_of(status) if c.get("type") != condition["type"]]
    status["conditions"] = [*others, condition]
    return True


def remove_condition(status: Obj, type_: str) -> bool:
    """Drop the condition of this type; True if there was one. An empty list is removed."""
    conditions = conditions_of(status)
    kept = [c for c in conditions if c.get("type") != type_]
    if len(kept) == len(conditions):
        return False
    if kept:
        status["conditions"] = kept
    else:
        status.pop("conditions", None)
    return True
