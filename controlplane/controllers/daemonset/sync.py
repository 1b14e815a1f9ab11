"""One DaemonSet sync as a pure planner (upstream pkg/controller/daemon/daemon_controller.go
syncDaemonSet, manage, podsShouldBeOnNode, syncNodes, updateDaemonSetStatus).

Worked example: three Ready nodes and a new DaemonSet. The first sync snapshots the template
as revision 1 and creates three pods, one pinned to each node by a required node affinity
(`metadata.name In [node-2]`); the scheduler binds each where it is pinned. Add node-4: the
Node change wakes the set, node-4 has no pod, one is created. Relabel node-4 so the set's
nodeSelector no longer matches: its pod is deleted. Remove node-4: the pod garbage collector
deletes the pod bound to it, and the set now wants three again.

Pod creations and deletions of one sync must be observed before the rolling update runs
(upstream's expectations), so a sync that created or deleted pods skips the update step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from controlplane.controllers.controller_ref import claim_objects
from controlplane.controllers.daemonset import util
from controlplane.controllers.daemonset.history import (
    cleanup_history,
    construct_history,
    revision_hash,
)
from controlplane.controllers.daemonset.rolling import rolling_update
from controlplane.controllers.daemonset.state import DaemonSetSync
from controlplane.controllers.history import claim_revisions
from controlplane.controllers.sync_writes import SyncWrites
from controlplane.ids import Ids
from controlplane.models.constants import (
    DAEMONSET_CONTROLLER,
    EventType,
    Obj,
    StrategyType,
)
from controlplane.models.meta import is_being_deleted, key_of
from controlplane.runtime.actions import Action, RequeueAfter, UpdateStatus

SELECTING_ALL_MESSAGE = "This daemon set is selecting all pods. A non-empty selector is required."


def sync_daemon_set(
    ds: Obj,
    nodes: Sequence[Obj],
    pods: list[Obj],
    revisions: list[Obj],
    taken: Mapping[str, Obj],
    now: float,
    ids: Ids,
) -> list[Action]:
    """Plan one sync. `pods` and `revisions`: the set's own and the namespace's orphans;
    `taken`: every ControllerRevision of the namespace by name; `nodes`: all nodes."""
    if is_being_deleted(ds):
        return []
    plan = SyncWrites(ds, DAEMONSET_CONTROLLER, now)
    selector = ds["spec"].get("selector") or {}
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        plan.event("SelectingAll", SELECTING_ALL_MESSAGE, EventType.WARNING)
        return plan.actions()
    claimed = claim_objects(plan, pods)
    history = claim_revisions(plan, revisions)
    current, old = construct_history(plan, ds, history, taken)
    if current is None:
        return plan.actions()
    state = DaemonSetSync(plan, ds, nodes, revision_hash(current), now, ids)
    by_node = util.nodes_to_daemon_pods(claimed, include_deleted_terminal=False)
    changed = state.manage(by_node)
    strategy = (ds["spec"].get("updateStrategy") or {}).get("type")
    if not changed and strategy == StrategyType.ROLLING_UPDATE:
        rolling_update(state, by_node)
    cleanup_history(plan, ds, old, claimed)
    status = state.status(by_node)
    if status != ds.get("status"):
        plan.add(UpdateStatus({**ds, "status": status}))
    if state.min_ready > 0 and status["numberReady"] != status.get("numberAvailable", 0):
        plan.add(RequeueAfter(key_of(ds), state.min_ready))
    return plan.actions()
