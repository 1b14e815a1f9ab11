"""A DaemonSet's RollingUpdate (upstream pkg/controller/daemon/update.go rollingUpdate,
findUpdatedPodsOnNode, updatedDesiredNodeCounts).

Budgets are resolved against the number of eligible nodes, percentages rounding up. Worked
example, 3 nodes, maxUnavailable 1, maxSurge 0 (the defaults), a new image: every node has
an old available pod, so one is deleted (budget 1 - 0 unavailable); the manage step then
creates the new pod on that node. While that pod is not yet available it counts as
unavailable and nothing else is deleted; once it is, the next old pod goes. With maxSurge 1
and maxUnavailable 0 a new pod is started next to an old one first, and the old one is
deleted once the new one is available. Nodes are visited in name order (upstream iterates a
Go map, in no particular order).
"""

from __future__ import annotations

from collections.abc import Mapping

from controlplane.controllers.daemonset import util
from controlplane.controllers.daemonset.state import DaemonSetSync
from controlplane.models.constants import Obj
from controlplane.models.meta import is_being_deleted


def find_updated_pods_on_node(
    pods: list[Obj], hash_: str, generation: str | None
) -> tuple[Obj | None, Obj | None, bool]:
    """(new pod, old pod, ok): ok is False when a node has two of either kind, which the
    manage step must prune first."""
    new = old = None
    for pod in pods:
        if is_being_deleted(pod):
            continue
        if util.is_pod_updated(pod, hash_, generation):
            if new is not None:
                return None, None, False
            new = pod
        else:
            if old is not None:
                return None, None, False
            old = pod
    return new, old, True


def rolling_update(state: DaemonSetSync, by_node: Mapping[str, list[Obj]]) -> None:
    ds = state.ds
    nodes_to_pods = {name: list(pods) for name, pods in by_node.items()}
    desired = 0
    for name, (wanted, _) in state.runs.items():
        if wanted:
            desired += 1
            nodes_to_pods.setdefault(name, [])
    max_unavailable = util.unavailable_count(ds, desired)
    max_surge = util.surge_count(ds, desired)
    if desired > 0 and max_unavailable == 0 and max_surge == 0:
        max_unavailable = 1  # an impossible configuration falls back to accepting one
    generation = util.template_generation(ds)
    found = {
        name: find_updated_pods_on_node(pods, state.hash, generation)
        for name, pods in sorted(nodes_to_pods.items())
    }
    if max_surge == 0:
        _without_surge(state, found, max_unavailable)
    else:
        _with_surge(state, found, max_surge, desired)


Found = Mapping[str, tuple[Obj | None, Obj | None, bool]]


def _without_surge(state: DaemonSetSync, found: Found, max_unavailable: int) -> None:
    """Delete just enough old pods to stay within maxUnavailable; manage recreates them."""
    unavailable = 0
    replace_now: list[Obj] = []  # old pods that are not available anyway
    candidates: list[Obj] = []
    for new, old, ok in found.values():
        if not ok or (new is None) == (old is None):
            unavailable += 1  # excess pods, no pod yet, or mid-replacement
        elif new is not None:
            unavailable += not state.available(new)
        elif old is not None and not state.available(old):
            replace_now.append(old)
            unavailable += 1
        elif old is not None and unavailable < max_unavailable:
            candidates.append(old)
    budget = min(max(max_unavailable - unavailable, 0), len(candidates))
    state.sync_nodes(replace_now + candidates[:budget], [])


def _with_surge(state: DaemonSetSync, found: Found, max_surge: int, desired: int) -> None:
    """Start new pods beside old ones (up to maxSurge), delete old ones once replaced."""
    old_to_delete: list[Obj] = []
    unwanted: list[Obj] = []  # available old pods on nodes the set no longer wants
    candidates: list[str] = []
    allowed: list[str] = []
    surging = available = 0
    for node_name, (new, old, ok) in found.items():
        if not ok:
            surging += 1
            continue
        shown = old if old is not None else new
        available += shown is not None and state.available(shown)
        if old is None:
            continue  # the manage step takes care of this node
        if new is None:
            wanted = state.runs.get(node_name, (False, False))[0]
            if not state.available(old) and wanted:
                allowed.append(node_name)  # replace an unavailable old pod right away
            elif not state.available(old):
                old_to_delete.append(old)
            elif not wanted:
                unwanted.append(old)
            elif surging < max_surge:
                candidates.append(node_name)
        elif not state.available(new):
            surging += 1  # waiting for the new pod
        else:
            old_to_delete.append(old)  # replaced: the old pod may go
    # With surge the owner expects full availability: a pod on a node that no longer fits
    # goes only once enough pods are available elsewhere.
    old_to_delete += unwanted[: max(available - desired, 0)]
    budget = min(max(max_surge - surging, 0), len(candidates))
    state.sync_nodes(old_to_delete, allowed + candidates[:budget])
