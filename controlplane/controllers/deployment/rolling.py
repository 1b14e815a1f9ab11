"""The RollingUpdate strategy (upstream pkg/controller/deployment/rolling.go).

Each sync makes one kind of change: scale the new RS up if there is room under
R + maxSurge, otherwise scale old RSs down as far as R - maxUnavailable allows, otherwise
(rollout done) clean up history. The next RS status change drives the next step.

Worked example, R=3 with the 25%/25% defaults (surge 1, unavailable 0), old RS `nginx-aaa`
at 3/3 available, user changes the image:

    sync 1   create nginx-bbb with min(4-3, 3-0) = 1      Scaled up ... nginx-bbb from 0 to 1
    sync 2.. new pod not available: maxScaledDown = 4-3-1 = 0, wait
    sync n   new pod available: maxScaledDown = 1, budget 4-3 = 1
                                                          Scaled down ... nginx-aaa from 3 to 2
    sync n+1 total 3 < 4: new to 2                        Scaled up ... nginx-bbb from 1 to 2
    ...      and so on until nginx-aaa is 0 and nginx-bbb is 3.
"""

from __future__ import annotations

from collections.abc import Sequence

from controlplane.controllers.deployment import progress
from controlplane.controllers.deployment.sync import (
    cleanup_deployment,
    create_new_replica_set,
    scale_replica_set_and_record_event,
)
from controlplane.controllers.deployment.util import (
    filter_active,
    get_available_replica_count_for_replica_sets,
    get_replica_count_for_replica_sets,
    max_unavailable,
    new_rs_new_replicas,
    replicas_of,
    sort_by_creation,
    status_int,
)
from controlplane.controllers.sync_writes import SyncWrites
from controlplane.models.constants import Obj


def rollout_rolling(
    plan: SyncWrites, new_rs: Obj | None, old_rss: list[Obj], namespace_rss: Sequence[Obj]
) -> None:
    """One RollingUpdate sync: create/scale up the new RS, else scale old ones down."""
    if new_rs is None:
        new_rs = create_new_replica_set(plan, old_rss, namespace_rss)
        if new_rs is None:
            return  # hash collision: collisionCount was bumped, retry with the new hash
    all_rss = [*old_rss, new_rs]

    if reconcile_new_replica_set(plan, all_rss, new_rs):
        progress.sync_rollout_status(plan, all_rss, new_rs)
        return
    if reconcile_old_replica_sets(plan, all_rss, filter_active(old_rss), new_rs):
        progress.sync_rollout_status(plan, all_rss, new_rs)
        return
    if progress.deployment_complete(plan.draft, plan.draft.get("status")):
        cleanup_deployment(plan, old_rss)
    progress.sync_rollout_status(plan, all_rss, new_rs)


def reconcile_new_replica_set(plan: SyncWrites, all_rss: Sequence[Obj], new_rs: Obj) -> bool:
    """Scale the new RS toward R within the surge budget; True if it was scaled.

    A new RS above R (R was lowered) is scaled straight down to R.
    """
    desired = replicas_of(plan.draft)
    if replicas_of(new_rs) == desired:
        return False
    if replicas_of(new_rs) > desired:
        return scale_replica_set_and_record_event(plan, new_rs, desired)[0]
    new_replicas = new_rs_new_replicas(plan.draft, all_rss, new_rs)
    return scale_replica_set_and_record_event(plan, new_rs, new_replicas)[0]


def reconcile_old_replica_sets(
    plan: SyncWrites, all_rss: Sequence[Obj], old_rss: Sequence[Obj], new_rs: Obj
) -> bool:
    """Scale old RSs down without dropping below R - maxUnavailable; True if any shrank.

    maxScaledDown = allPods - minAvailable - newRSUnavailable. Counting the new RS's
    unavailable pods stops a crash-looping new RS from eating the old RS's capacity.
    Worked example (upstream's): R=10, maxUnavailable 2, maxSurge 3; the new RS went to 5
    and the old to 8, the new pods crash-loop. allPods 13, minAvailable 8, newUnavailable
    5: 13 - 8 - 5 = 0, nothing more is scaled down even if an old pod dies. After
    `rollout undo` the good old RS is the new one (1 unavailable), so 13 - 8 - 1 = 4 of the
    crash-looping pods can go.
    """
    if get_replica_count_for_replica_sets(old_rss) == 0:
        return False
    all_pods = get_replica_count_for_replica_sets(all_rss)
    min_available = replicas_of(plan.draft) - max_unavailable(plan.draft)
    new_rs_unavailable = replicas_of(new_rs) - status_int(new_rs, "availableReplicas")
    max_scaled_down = all_pods - min_available - new_rs_unavailable
    if max_scaled_down <= 0:
        return False

    # Unhealthy replicas first, or they would block the rollout until it times out
    # (kubernetes#16737).
    cleaned_rss, cleaned = cleanup_unhealthy_replicas(plan, old_rss, max_scaled_down)
    if cleaned_rss is None:
        return False  # upstream swallows the "invalid request to scale down" error here
    all_rss = [*cleaned_rss, new_rs]
    scaled_down = scale_down_old_replica_sets_for_rolling_update(plan, all_rss, cleaned_rss)
    return cleaned + scaled_down > 0


def cleanup_unhealthy_replicas(
    plan: SyncWrites, old_rss: Sequence[Obj], max_cleanup_count: int
) -> tuple[list[Obj] | None, int]:
    """Scale old RSs down by their unavailable pods, oldest RS first, up to the budget.

    Removing pods that are not available costs no availability: the ReplicaSet deletes
    not-ready and pending pods first. Returns the old RSs (scaled ones replaced by their
    new versions) and how many replicas were removed; None instead of the list when an RS
    reports more available pods than it wants (a stale status), which upstream treats as
    an invalid scale-down request and gives up on for this sync.
    """
    updated = sort_by_creation(old_rss)
    total = 0
    for index, rs in enumerate(updated):
        if total >= max_cleanup_count:
            break
        available = status_int(rs, "availableReplicas")
        if replicas_of(rs) == 0 or replicas_of(rs) == available:
            continue
        count = min(max_cleanup_count - total, replicas_of(rs) - available)
        if count < 0:
            return None, total
        _, updated[index] = scale_replica_set_and_record_event(plan, rs, replicas_of(rs) - count)
        total += count
    return updated, total


def scale_down_old_replica_sets_for_rolling_update(
    plan: SyncWrites, all_rss: Sequence[Obj], old_rss: Sequence[Obj]
) -> int:
    """Scale old RSs down by what availability above R - maxUnavailable allows.

    Worked example, R=10, surge 3, unavailable 2, old RS A 10/10 available and new RS B
    just created at 3 (none available): available = 10, minAvailable = 8, so A may lose
    10 - 8 = 2 and goes from 10 to 8. Oldest RSs are scaled down first.
    """
    min_available = replicas_of(plan.draft) - max_unavailable(plan.draft)
    available = get_available_replica_count_for_replica_sets(all_rss)
    if available <= min_available:
        return 0
    budget = available - min_available
    total = 0
    for rs in sort_by_creation(old_rss):
        if total >= budget:
            break
        if replicas_of(rs) == 0:
            continue
        count = min(replicas_of(rs), budget - total)
        scale_replica_set_and_record_event(plan, rs, replicas_of(rs) - count)
        total += count
    return total
