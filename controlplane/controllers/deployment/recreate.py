"""The Recreate strategy (upstream pkg/controller/deployment/recreate.go).

Old and new pods never run side by side: scale every old RS to 0, wait until no old pod is
left (not even a terminating one), and only then create the new RS at full size. That wait
is why this controller, unlike the rolling path, looks at pods.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from controlplane.controllers.deployment import progress
from controlplane.controllers.deployment.sync import (
    cleanup_deployment,
    create_new_replica_set,
    scale_replica_set_and_record_event,
)
from controlplane.controllers.deployment.util import (
    filter_active,
    get_actual_replica_count_for_replica_sets,
    replicas_of,
)
from controlplane.controllers.sync_writes import SyncWrites
from controlplane.models.constants import Obj, PodPhase


def rollout_recreate(
    plan: SyncWrites,
    new_rs: Obj | None,
    old_rss: list[Obj],
    namespace_rss: Sequence[Obj],
    pods_by_rs_uid: Mapping[str, Sequence[Obj]],
) -> None:
    """One Recreate sync. Example, R=3: `Scaled down replica set web-aaa from 3 to 0`,
    then (once its pods are gone) `Scaled up replica set web-bbb from 0 to 3`."""
    all_rss: list[Obj | None] = [*old_rss, new_rs]
    if scale_down_old_replica_sets_for_recreate(plan, filter_active(old_rss)):
        progress.sync_rollout_status(plan, all_rss, new_rs)
        return
    if old_pods_running(new_rs, old_rss, pods_by_rs_uid):
        progress.sync_rollout_status(plan, all_rss, new_rs)
        return
    if new_rs is None:
        new_rs = create_new_replica_set(plan, old_rss, namespace_rss)
        if new_rs is None:
            return  # hash collision: collisionCount was bumped, retry with the new hash
        all_rss = [*old_rss, new_rs]
    scale_up_new_replica_set_for_recreate(plan, new_rs)
    if progress.deployment_complete(plan.draft, plan.draft.get("status")):
        cleanup_deployment(plan, old_rss)
    progress.sync_rollout_status(plan, all_rss, new_rs)


def scale_down_old_replica_sets_for_recreate(plan: SyncWrites, old_rss: Sequence[Obj]) -> bool:
    """Scale every active old RS to 0 in one sync; True if any was scaled."""
    scaled = False
    for rs in old_rss:
        if replicas_of(rs) == 0:
            continue
        if scale_replica_set_and_record_event(plan, rs, 0)[0]:
            scaled = True
    return scaled


def old_pods_running(
    new_rs: Obj | None, old_rss: Sequence[Obj], pods_by_rs_uid: Mapping[str, Sequence[Obj]]
) -> bool:
    """Any old RS still counts pods, or any pod of an old RS is not Succeeded/Failed.

    Terminating pods (already uncounted by their RS) still hold this up; Unknown counts as
    running, since a pod on an unreachable node may well be running.
    """
    if get_actual_replica_count_for_replica_sets(old_rss) > 0:
        return True
    new_uid = new_rs["metadata"].get("uid") if new_rs is not None else None
    old_uids = {rs["metadata"].get("uid") for rs in old_rss}
    for rs_uid, pods in pods_by_rs_uid.items():
        if rs_uid == new_uid or rs_uid not in old_uids:
            continue
        for pod in pods:
            phase = (pod.get("status") or {}).get("phase")
            if phase not in (PodPhase.SUCCEEDED, PodPhase.FAILED):
                return True
    return False


def scale_up_new_replica_set_for_recreate(plan: SyncWrites, new_rs: Obj) -> bool:
    return scale_replica_set_and_record_event(plan, new_rs, replicas_of(plan.draft))[0]
