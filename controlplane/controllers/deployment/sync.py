"""Steps shared by every Deployment sync path (upstream pkg/controller/deployment/sync.go).

Revision bookkeeping and the new ReplicaSet (getAllReplicaSetsAndSyncRevision,
getNewReplicaSet), scaling outside a rollout with proportional scaling (scale), the paused
path (sync) and cleanup by revisionHistoryLimit (cleanupDeployment). Each function takes the
sync's `SyncWrites`, plans its writes there, and returns what the Go function returns, so the
strategy files read like rolling.go and recreate.go.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from controlplane.controllers.deployment import progress
from controlplane.controllers.deployment.util import (
    creation_order,
    filter_active,
    find_active_or_latest,
    find_new_replica_set,
    get_int_annotation,
    get_replica_count_for_replica_sets,
    has_progress_deadline,
    has_revision_history_limit,
    is_rolling_update,
    is_saturated,
    max_surge,
    min_ready_seconds,
    new_rs_new_replicas,
    replicas_annotations_need_update,
    replicas_of,
    set_deployment_revision,
    set_min_ready_seconds,
    set_new_replica_set_annotations,
    set_replicas_annotations,
    sort_by_revision,
    sort_by_size_newer,
    sort_by_size_older,
    status_int,
)
from controlplane.controllers.sync_writes import SyncWrites
from controlplane.models.conditions import get_condition, new_condition, set_condition
from controlplane.models.constants import (
    DESIRED_REPLICAS_ANNOTATION,
    MAX_REPLICAS_ANNOTATION,
    POD_TEMPLATE_HASH_LABEL,
    REVISION_ANNOTATION,
    ConditionStatus,
    DeploymentConditionType,
    DeploymentReason,
    Obj,
)
from controlplane.models.meta import (
    annotations_of,
    is_being_deleted,
    is_controlled_by,
    name_of,
    new_controller_ref,
)
from controlplane.models.revisions import compute_hash, max_revision, templates_equal_ignoring_hash

SCALING_REPLICA_SET = "ScalingReplicaSet"


def get_all_replica_sets_and_sync_revision(
    plan: SyncWrites, rs_list: Sequence[Obj]
) -> tuple[Obj | None, list[Obj]]:
    """(new RS or None, all old RSs), with the new RS's and the Deployment's revision synced.

    Never creates the new RS: the rollout paths call `create_new_replica_set` for that.
    """
    new_rs = find_new_replica_set(plan.draft, rs_list)
    old_rss = [rs for rs in rs_list if new_rs is None or name_of(rs) != name_of(new_rs)]
    if new_rs is not None:
        new_rs = sync_new_replica_set(plan, new_rs, old_rss)
    return new_rs, old_rss


def sync_new_replica_set(plan: SyncWrites, new_rs: Obj, old_rss: Sequence[Obj]) -> Obj:
    """The existing-RS half of upstream getNewReplicaSet.

    Worked example: after `set image` twice (revisions 1, 2, 3) and `rollout undo`, the RS
    of revision 2 matches the template again; the highest old revision is 3, so it becomes
    4 with history `2`, and the Deployment's annotation follows to 4.

    Upstream returns right after updating the RS's annotations and copies the revision to
    the Deployment on its next pass; with the planned RS in hand we do both at once.
    """
    new_revision = max_revision(old_rss) + 1
    rs = plan.edit(new_rs)
    set_new_replica_set_annotations(plan.draft, rs, new_revision, True)
    set_min_ready_seconds(rs, min_ready_seconds(plan.draft))
    set_deployment_revision(plan.draft, annotations_of(rs).get(REVISION_ANNOTATION, ""))
    # Users who only now set a progress deadline: start counting from this sync.
    progressing = get_condition(plan.draft.get("status"), DeploymentConditionType.PROGRESSING)
    if has_progress_deadline(plan.draft) and progressing is None:
        message = f'Found new replica set "{name_of(rs)}"'
        _set_progressing(plan, ConditionStatus.TRUE, DeploymentReason.FOUND_NEW_RS, message)
    return rs


def create_new_replica_set(
    plan: SyncWrites, old_rss: Sequence[Obj], namespace_rss: Sequence[Obj]
) -> Obj | None:
    """The create half of upstream getNewReplicaSet; None after a hash collision.

    A name clash with an RS that is not ours (or has another template) bumps
    status.collisionCount, which changes the hash; the status write requeues the sync.
    """
    d = plan.draft
    collision_count = (d.get("status") or {}).get("collisionCount")
    template_hash = compute_hash(d["spec"]["template"], collision_count)
    rs = new_replica_set(d, template_hash, 0)
    rs["spec"]["replicas"] = new_rs_new_replicas(d, [*old_rss, rs], rs)
    new_revision = max_revision(old_rss) + 1
    set_new_replica_set_annotations(d, rs, new_revision, False)

    clash = next((other for other in namespace_rss if name_of(other) == name_of(rs)), None)
    if clash is not None:
        clash = plan.latest(clash)  # e.g. released earlier in this sync
        if is_controlled_by(clash, plan.owner) and templates_equal_ignoring_hash(
            d["spec"]["template"], clash["spec"].get("template")
        ):
            # Already created (upstream: AlreadyExists from a stale cache): adopt it silently.
            set_deployment_revision(d, str(new_revision))
            return clash
        d.setdefault("status", {})["collisionCount"] = int(collision_count or 0) + 1
        return None

    plan.create(rs)
    if replicas_of(rs) > 0:
        plan.event(
            SCALING_REPLICA_SET, f"Scaled up replica set {name_of(rs)} from 0 to {replicas_of(rs)}"
        )
    set_deployment_revision(d, str(new_revision))
    if has_progress_deadline(d):
        message = f'Created new replica set "{name_of(rs)}"'
        _set_progressing(plan, ConditionStatus.TRUE, DeploymentReason.NEW_RS_CREATED, message)
    return rs


def new_replica_set(d: Obj, template_hash: str, replicas: int) -> Obj:
    """The RS object a Deployment creates (getNewReplicaSet), without annotations yet.

    The name is derived from the template hash so that creating it twice is idempotent.
    """
    template = copy.deepcopy(d["spec"]["template"])
    template_meta = template.setdefault("metadata", {})
    labels = dict(
        sorted({**template_meta.get("labels", {}), POD_TEMPLATE_HASH_LABEL: template_hash}.items())
    )
    template_meta["labels"] = labels
    selector = copy.deepcopy(d["spec"]["selector"])
    selector["matchLabels"] = {
        **selector.get("matchLabels", {}),
        POD_TEMPLATE_HASH_LABEL: template_hash,
    }
    spec: Obj = {"replicas": replicas}
    if min_ready_seconds(d):
        spec["minReadySeconds"] = min_ready_seconds(d)
    spec["selector"] = selector
    spec["template"] = template
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": f"{name_of(d)}-{template_hash}",
            "namespace": d["metadata"].get("namespace", ""),
            "labels": dict(labels),
            "ownerReferences": [new_controller_ref(d)],
        },
        "spec": spec,
    }


def _set_progressing(plan: SyncWrites, status: str, reason: str, message: str) -> None:
    condition = new_condition(
        DeploymentConditionType.PROGRESSING, status, reason, message, plan.now
    )
    set_condition(plan.draft.setdefault("status", {}), condition)


def check_paused_conditions(plan: SyncWrites) -> None:
    """Progressing=Unknown DeploymentPaused/DeploymentResumed when pausing or resuming.

    So that a Deployment paused for longer than its deadline is not reported as timed out
    on resume. A ProgressDeadlineExceeded condition is never overwritten.
    """
    d = plan.draft
    if not has_progress_deadline(d):
        return
    condition = get_condition(d.get("status"), DeploymentConditionType.PROGRESSING)
    if condition is not None and condition.get("reason") == DeploymentReason.TIMED_OUT:
        return
    paused_exists = condition is not None and condition.get("reason") == DeploymentReason.PAUSED
    paused = bool(d["spec"].get("paused"))
    if paused and not paused_exists:
        _set_progressing(
            plan, ConditionStatus.UNKNOWN, DeploymentReason.PAUSED, "Deployment is paused"
        )
    elif not paused and paused_exists:
        _set_progressing(
            plan, ConditionStatus.UNKNOWN, DeploymentReason.RESUMED, "Deployment is resumed"
        )


def is_scaling_event(plan: SyncWrites, new_rs: Obj | None, old_rss: Sequence[Obj]) -> bool:
    """An active RS whose desired-replicas annotation differs from spec.replicas: the user
    scaled the Deployment (rather than changed its template)."""
    for rs in filter_active([*old_rss, new_rs]):
        desired = get_int_annotation(rs, DESIRED_REPLICAS_ANNOTATION)
        if desired is not None and desired != replicas_of(plan.draft):
            return True
    return False


def sync_status_only(plan: SyncWrites, new_rs: Obj | None, old_rss: Sequence[Obj]) -> None:
    """A Deployment being deleted: recompute status, scale nothing."""
    progress.sync_deployment_status(plan, [*old_rss, new_rs], new_rs)


def sync(plan: SyncWrites, new_rs: Obj | None, old_rss: Sequence[Obj]) -> None:
    """Scaling events and paused Deployments: scale, clean up if paused, write status."""
    scale(plan, new_rs, old_rss)
    if plan.draft["spec"].get("paused"):
        cleanup_deployment(plan, old_rss)
    progress.sync_deployment_status(plan, [*old_rss, new_rs], new_rs)


def scale(plan: SyncWrites, new_rs: Obj | None, old_rss: Sequence[Obj]) -> None:
    """Resize for a new spec.replicas without hastening or slowing a rollout in flight.

    One active RS (or none): it (or the newest) simply takes R. A saturated new RS: the old
    ones go to 0. Otherwise, RollingUpdate only, every active RS gets its proportional
    share of the change (see `get_replica_set_fraction` for the worked example), and what
    rounding leaves over goes to the first RS in scaling order.
    """
    d = plan.draft
    desired = replicas_of(d)
    active_or_latest = find_active_or_latest(new_rs, old_rss)
    if active_or_latest is not None:
        if replicas_of(active_or_latest) != desired:
            scale_replica_set_and_record_event(plan, active_or_latest, desired)
        return
    if is_saturated(d, new_rs):
        for old in filter_active(old_rss):
            scale_replica_set_and_record_event(plan, old, 0)
        return
    if not is_rolling_update(d):
        return
    # Upstream's FindActiveOrLatest left the old RSs sorted newest first; keep that order.
    newest_first = sorted(old_rss, key=creation_order, reverse=True)
    all_rss = filter_active([*newest_first, new_rs])
    allowed_size = desired + max_surge(d) if desired > 0 else 0
    to_add = allowed_size - get_replica_count_for_replica_sets(all_rss)
    operation = ""
    if to_add > 0:
        all_rss, operation = sort_by_size_newer(all_rss), "up"
    elif to_add < 0:
        all_rss, operation = sort_by_size_older(all_rss), "down"
    added = 0
    sizes: dict[str, int] = {}
    for rs in all_rss:
        proportion = get_proportion(rs, d, to_add, added) if to_add else 0
        sizes[name_of(rs)] = replicas_of(rs) + proportion
        added += proportion
    for index, rs in enumerate(all_rss):
        if index == 0 and to_add:
            sizes[name_of(rs)] = max(0, sizes[name_of(rs)] + to_add - added)
        scale_replica_set(plan, rs, sizes[name_of(rs)], operation)


def go_round(value: float) -> int:
    """k8s.io/utils/integer.RoundToInt32: halves round away from zero (6.5 -> 7).

    Python's round() rounds halves to even (6.5 -> 6), which is not what Kubernetes does.
    """
    return int(value + 0.5) if value >= 0 else int(value - 0.5)


def get_replica_set_fraction(rs: Obj, d: Obj) -> int:
    """How many replicas this RS should gain (negative: lose) for the new Deployment size.

    Upstream util/deployment_util.go getReplicaSetFraction. Worked example (the proportional
    scaling scenario of the Deployment docs): R 10 -> 15 with maxSurge 3, mid-rollout old RS 8 and
    new RS 5, both annotated max-replicas 13. Allowed is 15 + 3 = 18, toAdd = 18 - 13 = 5.
    Old: round(8 * 18 / 13 = 11.08) - 8 = +3; new: round(5 * 18 / 13 = 6.92) - 5 = +2.
    Result: old 11, new 7.
    """
    if replicas_of(d) == 0:
        return -replicas_of(rs)
    deployment_replicas = replicas_of(d) + max_surge(d)
    annotated = get_int_annotation(rs, MAX_REPLICAS_ANNOTATION)
    if annotated is None:
        # No annotation: fall back to the Deployment's current size; the min/max in
        # get_proportion still keeps the result within bounds.
        annotated = status_int(d, "replicas")
    if annotated == 0:
        return 0  # Go divides by zero here; estimate nothing and let the leftover rule act
    return go_round(replicas_of(rs) * deployment_replicas / annotated) - replicas_of(rs)


def get_proportion(rs: Obj, d: Obj, to_add: int, added: int) -> int:
    """The RS's share of `to_add`, never more than what is still left to hand out."""
    if replicas_of(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction = get_replica_set_fraction(rs, d)
    allowed = to_add - added
    return min(fraction, allowed) if to_add > 0 else max(fraction, allowed)


def scale_replica_set_and_record_event(
    plan: SyncWrites, rs: Obj, new_scale: int
) -> tuple[bool, Obj]:
    """Scale one RS if its size differs; (scaled, the RS's latest planned version)."""
    rs = plan.latest(rs)
    if replicas_of(rs) == new_scale:
        return False, rs
    operation = "up" if replicas_of(rs) < new_scale else "down"
    return scale_replica_set(plan, rs, new_scale, operation)


def scale_replica_set(
    plan: SyncWrites, rs: Obj, new_scale: int, operation: str
) -> tuple[bool, Obj]:
    """Set the size and the desired/max replica annotations; event only if the size changed.

    An update that only touches the annotations emits nothing (upstream scaleReplicaSet).
    """
    rs = plan.latest(rs)
    desired = replicas_of(plan.draft)
    maximum = desired + max_surge(plan.draft)
    old_scale = replicas_of(rs)
    size_changed = old_scale != new_scale
    if not size_changed and not replicas_annotations_need_update(rs, desired, maximum):
        return False, rs
    updated = plan.edit(rs)
    updated["spec"]["replicas"] = new_scale
    set_replicas_annotations(updated, desired, maximum)
    if size_changed:
        # v1.31+ wording (PR #125118); earlier: "Scaled up replica set X to B from A".
        plan.event(
            SCALING_REPLICA_SET,
            f"Scaled {operation} replica set {name_of(updated)} from {old_scale} to {new_scale}",
        )
    return size_changed, updated


def cleanup_deployment(plan: SyncWrites, old_rss: Sequence[Obj]) -> None:
    """Delete the oldest old RSs beyond revisionHistoryLimit, once they are fully scaled down.

    An RS is only deleted when it has no pods, wants none, and its controller has seen its
    latest spec; others are skipped and retried on a later sync. No event is emitted.
    """
    d = plan.draft
    if not has_revision_history_limit(d):
        return
    cleanable = [rs for rs in old_rss if not is_being_deleted(rs)]
    diff = len(cleanable) - int(d["spec"]["revisionHistoryLimit"])
    if diff <= 0:
        return
    for rs in sort_by_revision(cleanable)[:diff]:
        observed = status_int(rs, "observedGeneration")
        if (
            status_int(rs, "replicas") != 0
            or replicas_of(rs) != 0
            or int(rs["metadata"].get("generation", 0)) > observed
        ):
            continue
        plan.delete(rs)
