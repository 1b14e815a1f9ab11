"""Pure Deployment arithmetic and ReplicaSet bookkeeping (upstream util/deployment_util.go).

A flat list of small functions over Kubernetes-shaped dicts, named after their Go
counterparts so a reader can compare them line by line. Nothing here reads the clock or
writes: functions that "set" something mutate the copy they are given and report whether
anything changed, the way the Go helpers do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from controlplane.models import intstr
from controlplane.models.constants import (
    ANNOTATIONS_NOT_COPIED_TO_RS,
    DESIRED_REPLICAS_ANNOTATION,
    MAX_REPLICAS_ANNOTATION,
    REVISION_ANNOTATION,
    REVISION_HISTORY_ANNOTATION,
    Obj,
    StrategyType,
)
from controlplane.models.meta import annotations_of, name_of
from controlplane.models.revisions import revision_of, templates_equal_ignoring_hash

MAX_INT32 = 2**31 - 1
MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000
"""sync.go maxRevHistoryLengthInChars: the revision-history annotation stays under this."""

DEFAULT_SURGE_AND_UNAVAILABLE = "25%"


# --- reading fields (the API has defaulted them; defaults here only guard odd input) ---


def replicas_of(obj: Obj) -> int:
    """`spec.replicas` of a Deployment or ReplicaSet (API default 1)."""
    return int(obj.get("spec", {}).get("replicas", 1))


def status_int(obj: Obj | None, field: str) -> int:
    if obj is None:
        return 0
    return int((obj.get("status") or {}).get(field, 0))


def min_ready_seconds(obj: Obj) -> int:
    return int(obj.get("spec", {}).get("minReadySeconds", 0))


def strategy_type(d: Obj) -> str:
    return str((d["spec"].get("strategy") or {}).get("type", StrategyType.ROLLING_UPDATE))


def is_rolling_update(d: Obj) -> bool:
    return strategy_type(d) == StrategyType.ROLLING_UPDATE


def has_progress_deadline(d: Obj) -> bool:
    """A deadline is set and is not MaxInt32 (which means "never time out")."""
    seconds = d["spec"].get("progressDeadlineSeconds")
    return seconds is not None and seconds != MAX_INT32


def has_revision_history_limit(d: Obj) -> bool:
    """A limit is set and is not MaxInt32 (which means "keep every revision")."""
    limit = d["spec"].get("revisionHistoryLimit")
    return limit is not None and limit != MAX_INT32


# --- fenceposts ---


# resolve_fenceposts lives with the IntOrString helpers: surge rounds up, unavailable
# down, and 0/0 becomes 0/1. Worked example, R=3 with 25%/25%: surge = ceil(0.75) = 1,
# unavailable = floor(0.75) = 0, so a rollout first adds one new pod, then removes one old.
resolve_fenceposts = intstr.resolve_fenceposts


def _rolling_params(d: Obj) -> tuple[Any, Any]:
    rolling = (d["spec"].get("strategy") or {}).get("rollingUpdate") or {}
    return (
        rolling.get("maxSurge", DEFAULT_SURGE_AND_UNAVAILABLE),
        rolling.get("maxUnavailable", DEFAULT_SURGE_AND_UNAVAILABLE),
    )


def max_surge(d: Obj) -> int:
    """Extra pods a rolling Deployment may run above spec.replicas; 0 for Recreate."""
    if not is_rolling_update(d):
        return 0
    surge, unavailable = _rolling_params(d)
    return resolve_fenceposts(surge, unavailable, replicas_of(d))[0]


def max_unavailable(d: Obj) -> int:
    """Pods a rolling Deployment may lack; 0 for Recreate or R=0, never more than R."""
    desired = replicas_of(d)
    if not is_rolling_update(d) or desired == 0:
        return 0
    surge, unavailable = _rolling_params(d)
    return min(resolve_fenceposts(surge, unavailable, desired)[1], desired)


# --- sorting and filtering ReplicaSets ---


def creation_order(rs: Obj) -> tuple[str, str]:
    """controller.ReplicaSetsByCreationTimestamp: oldest first, ties by name.

    RFC 3339 UTC strings in whole seconds sort chronologically as text.
    """
    return (str(rs["metadata"].get("creationTimestamp") or ""), name_of(rs))


def sort_by_creation(rss: Iterable[Obj]) -> list[Obj]:
    return sorted(rss, key=creation_order)


def sort_by_revision(rss: Iterable[Obj]) -> list[Obj]:
    """deploymentutil.ReplicaSetsByRevision: lowest revision first, ties by creation order."""
    return sorted(rss, key=lambda rs: (revision_of(rs), creation_order(rs)))


def sort_by_size_newer(rss: Iterable[Obj]) -> list[Obj]:
    """controller.ReplicaSetsBySizeNewer: largest first, ties newest first (scaling up)."""
    ordered = sorted(rss, key=creation_order, reverse=True)
    return sorted(ordered, key=lambda rs: -replicas_of(rs))


def sort_by_size_older(rss: Iterable[Obj]) -> list[Obj]:
    """controller.ReplicaSetsBySizeOlder: largest first, ties oldest first (scaling down)."""
    return sorted(sort_by_creation(rss), key=lambda rs: -replicas_of(rs))


def filter_active(rss: Iterable[Obj | None]) -> list[Obj]:
    """controller.FilterActiveReplicaSets: the RSs that want pods (spec.replicas > 0)."""
    return [rs for rs in rss if rs is not None and replicas_of(rs) > 0]


def find_new_replica_set(d: Obj, rss: Sequence[Obj]) -> Obj | None:
    """The oldest RS whose template equals the Deployment's, ignoring the hash label.

    Oldest wins because after cluster upgrades two RSs may match (kubernetes#40415).
    """
    for rs in sort_by_creation(rss):
        if templates_equal_ignoring_hash(rs["spec"].get("template"), d["spec"].get("template")):
            return rs
    return None


def find_active_or_latest(new_rs: Obj | None, old_rss: Sequence[Obj]) -> Obj | None:
    """The only active RS, or the newest one when none is active; None if several are active."""
    if new_rs is None and not old_rss:
        return None
    newest_first = sorted(old_rss, key=creation_order, reverse=True)
    active = filter_active([*newest_first, new_rs])
    if len(active) == 1:
        return active[0]
    if not active:
        return new_rs if new_rs is not None else newest_first[0]
    return None


# --- counting ---


def get_replica_count_for_replica_sets(rss: Iterable[Obj | None]) -> int:
    """Sum of spec.replicas: what the Deployment has asked for."""
    return sum(replicas_of(rs) for rs in rss if rs is not None)


def get_actual_replica_count_for_replica_sets(rss: Iterable[Obj | None]) -> int:
    """Sum of status.replicas: pods that exist (not terminating)."""
    return sum(status_int(rs, "replicas") for rs in rss)


def get_ready_replica_count_for_replica_sets(rss: Iterable[Obj | None]) -> int:
    return sum(status_int(rs, "readyReplicas") for rs in rss)


def get_available_replica_count_for_replica_sets(rss: Iterable[Obj | None]) -> int:
    return sum(status_int(rs, "availableReplicas") for rs in rss)


def new_rs_new_replicas(d: Obj, all_rss: Sequence[Obj | None], new_rs: Obj) -> int:
    """How big the new RS may be now (upstream NewRSNewReplicas).

    RollingUpdate: grow by the room left under R + maxSurge, but never past R. Worked
    example, R=3 surge=1, old RS at 3 and a fresh new RS at 0: maxTotal = 4, current = 3,
    so the new RS gets min(4-3, 3-0) = 1. Recreate: always the full R.
    """
    desired = replicas_of(d)
    if not is_rolling_update(d):
        return desired
    max_total = desired + max_surge(d)
    current = get_replica_count_for_replica_sets(all_rss)
    if current >= max_total:
        return replicas_of(new_rs)
    scale_up = min(max_total - current, desired - replicas_of(new_rs))
    return replicas_of(new_rs) + scale_up


# --- replica annotations ---


def get_int_annotation(rs: Obj, key: str) -> int | None:
    value = annotations_of(rs).get(key)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def is_saturated(d: Obj, rs: Obj | None) -> bool:
    """The new RS owns all R replicas: by spec, by its desired-replicas annotation and by
    availability. Then old RSs can be scaled to 0 outright (this covers RS adoption)."""
    if rs is None:
        return False
    desired = get_int_annotation(rs, DESIRED_REPLICAS_ANNOTATION)
    r = replicas_of(d)
    return replicas_of(rs) == r and desired == r and status_int(rs, "availableReplicas") == r


def set_replicas_annotations(rs: Obj, desired: int, max_replicas: int) -> bool:
    """Record R and R + maxSurge on the RS (used to detect scaling events and proportions)."""
    annotations = rs["metadata"].setdefault("annotations", {})
    updated = False
    for key, value in (
        (DESIRED_REPLICAS_ANNOTATION, desired),
        (MAX_REPLICAS_ANNOTATION, max_replicas),
    ):
        if annotations.get(key) != str(value):
            annotations[key] = str(value)
            updated = True
    return updated


def replicas_annotations_need_update(rs: Obj, desired: int, max_replicas: int) -> bool:
    annotations = annotations_of(rs)
    return annotations.get(DESIRED_REPLICAS_ANNOTATION) != str(desired) or annotations.get(
        MAX_REPLICAS_ANNOTATION
    ) != str(max_replicas)


def copy_deployment_annotations_to_replica_set(d: Obj, rs: Obj) -> bool:
    """Copy the Deployment's annotations (minus the skip list) onto the RS; never delete.

    This is how `kubectl annotate deploy/x kubernetes.io/change-cause=...` labels the
    current revision. The revision annotations are skipped: the RS's own revision is the
    reliable one, and the Deployment copies it, not the other way round.
    """
    annotations = rs["metadata"].setdefault("annotations", {})
    changed = False
    for key, value in annotations_of(d).items():
        if key in ANNOTATIONS_NOT_COPIED_TO_RS or annotations.get(key) == value:
            continue
        annotations[key] = value
        changed = True
    return changed


def _append_revision_history(history: str, old_revision: str) -> str | None:
    """Append to the comma-separated history, trimming from the front to fit 2000 chars."""
    if not history:
        return old_revision
    parts = history.split(",")
    total = len(history) + len(old_revision) + 1
    start = 0
    while total > MAX_REV_HISTORY_LENGTH_IN_CHARS and start < len(parts):
        total -= len(parts[start]) + 1
        start += 1
    if total > MAX_REV_HISTORY_LENGTH_IN_CHARS:
        return None
    return ",".join([*parts[start:], old_revision])


def set_new_replica_set_annotations(d: Obj, rs: Obj, new_revision: int, exists: bool) -> bool:
    """Copy annotations, raise the RS revision to `new_revision` if lower, keep history.

    Upstream util/deployment_util.go SetNewReplicaSetAnnotations. Worked example: `rollout
    undo` makes RS B (revision 2) new again while the highest old revision is 3; B becomes
    revision 4 and its history annotation `2`. Only a brand-new RS (`exists` False) gets the
    desired/max replica annotations here.
    """
    changed = copy_deployment_annotations_to_replica_set(d, rs)
    annotations = rs["metadata"]["annotations"]
    old_revision = annotations.get(REVISION_ANNOTATION)
    if old_revision is not None and old_revision != "":
        try:
            old_value = int(old_revision)
        except ValueError:
            return False  # upstream gives up on a non-numeric revision
    else:
        old_value = 0
    if old_value < new_revision:
        annotations[REVISION_ANNOTATION] = str(new_revision)
        changed = True
        if old_revision is not None:
            history = _append_revision_history(
                annotations.get(REVISION_HISTORY_ANNOTATION, ""), old_revision
            )
            if history is not None:
                annotations[REVISION_HISTORY_ANNOTATION] = history
    if not exists and set_replicas_annotations(rs, replicas_of(d), replicas_of(d) + max_surge(d)):
        changed = True
    rs["metadata"]["annotations"] = dict(sorted(annotations.items()))
    return changed


def set_deployment_revision(d: Obj, revision: str) -> bool:
    """Copy the new RS's revision onto the Deployment; True if it changed."""
    if annotations_of(d).get(REVISION_ANNOTATION, "") == revision:
        return False
    d["metadata"].setdefault("annotations", {})[REVISION_ANNOTATION] = revision
    return True


def set_min_ready_seconds(rs: Obj, seconds: int) -> None:
    """Keep the RS's minReadySeconds equal to the Deployment's (0 is omitted, as in Go)."""
    if seconds:
        rs["spec"]["minReadySeconds"] = seconds
    else:
        rs["spec"].pop("minReadySeconds", None)
