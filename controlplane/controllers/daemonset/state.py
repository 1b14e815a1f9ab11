"""The working state of one DaemonSet sync: the set, its nodes, the current template hash and
the plan of writes, with manage (podsShouldBeOnNode, syncNodes) and the status it computes
(updateDaemonSetStatus), for `sync` and `rolling` alike (upstream
pkg/controller/daemon/daemon_controller.go).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from controlplane.controllers.daemonset import util
from controlplane.controllers.pod_control import create_pod, delete_pod, pod_from_template
from controlplane.controllers.sync_writes import SyncWrites
from controlplane.ids import Ids
from controlplane.models.constants import (
    CONTROLLER_REVISION_HASH_LABEL,
    DAEMONSET_CONTROLLER,
    EventType,
    Obj,
)
from controlplane.models.meta import is_being_deleted, labels_of, name_of
from controlplane.models.pods import is_pod_available, is_pod_ready


class DaemonSetSync:
    """The working state of one sync: the set, the nodes, the current hash, the writes."""

    def __init__(
        self, plan: SyncWrites, ds: Obj, nodes: Sequence[Obj], hash_: str, now: float, ids: Ids
    ) -> None:
        self.plan, self.ds, self.nodes, self.hash = plan, ds, list(nodes), hash_
        self.now, self.ids = now, ids
        self.min_ready = int(ds["spec"].get("minReadySeconds", 0))
        self.runs = util.should_run(ds, self.nodes)  # node name -> (should run, may stay)

    def available(self, pod: Obj) -> bool:
        return is_pod_available(pod, self.min_ready, self.now)

    def sync_nodes(self, to_delete: Sequence[Obj], nodes_needing_pods: Sequence[str]) -> None:
        """syncNodes: a pinned pod for each node that needs one, and the deletions."""
        template = util.daemon_template(self.ds, self.hash)
        for node in nodes_needing_pods:
            pinned = util.pin_to_node(template, node)
            owner = {**self.ds, "spec": {**self.ds["spec"], "template": pinned}}
            self.plan.add(create_pod(self.ds, pod_from_template(owner), DAEMONSET_CONTROLLER))
        for pod in to_delete:
            self.plan.add(*delete_pod(self.ds, pod, DAEMONSET_CONTROLLER))

    # --- manage ---

    def manage(self, by_node: Mapping[str, list[Obj]]) -> bool:
        """Create and delete pods so each eligible node runs one; True if anything changed."""
        needing: list[str] = []
        to_delete: list[Obj] = []
        for node in self.nodes:
            wanted, doomed = self._pods_should_be_on_node(node, by_node)
            needing += wanted
            to_delete += doomed
        # Pods pinned to nodes that are gone are never bound, so the pod GC would not see them.
        known = {name_of(n) for n in self.nodes}
        for node_name, pods in by_node.items():
            if node_name not in known:
                to_delete += [p for p in pods if not p["spec"].get("nodeName")]
        self.sync_nodes(to_delete, needing)
        return bool(needing or to_delete)

    def _pods_should_be_on_node(
        self, node: Obj, by_node: Mapping[str, list[Obj]]
    ) -> tuple[list[str], list[Obj]]:
        name = name_of(node)
        should_run, should_continue = self.runs[name]
        pods = by_node.get(name)
        if should_run and pods is None:
            return [name], []
        if not should_continue:
            return [], [p for p in pods or [] if not is_being_deleted(p)]
        running: list[Obj] = []
        to_delete: list[Obj] = []
        for pod in pods or []:
            if is_being_deleted(pod):
                continue
            phase = (pod.get("status") or {}).get("phase")
            if phase == "Failed":
                self.plan.event(
                    "FailedDaemonPod",
                    f"Found failed daemon pod {pod['metadata']['namespace']}/{name_of(pod)} on "
                    f"node {name}, will try to kill it",
                    EventType.WARNING,
                )
                to_delete.append(pod)
            elif phase == "Succeeded":
                self.plan.event(
                    "SucceededDaemonPod",
                    f"Found succeeded daemon pod {pod['metadata']['namespace']}/{name_of(pod)} "
                    f"on node {name}, will try to delete it",
                )
                to_delete.append(pod)
            else:
                running.append(pod)
        running.sort(key=util.pod_order)
        if not util.allows_surge(self.ds):
            return [], to_delete + running[1:]  # keep the oldest
        if len(running) <= 1:
            return ([name] if not running and should_run else []), to_delete
        return [], to_delete + self._surge_excess(running)

    def _surge_excess(self, running: list[Obj]) -> list[Obj]:
        """With surge, keep the oldest new pod and, while it is not available yet, the oldest
        old one (unless that one is not ready either); every other pod goes."""
        oldest_new = oldest_old = None
        excess: list[Obj] = []
        for pod in running:
            is_new = labels_of(pod).get(CONTROLLER_REVISION_HASH_LABEL) == self.hash
            if is_new and oldest_new is None:
                oldest_new = pod
            elif not is_new and oldest_old is None:
                oldest_old = pod
            else:
                excess.append(pod)
        if (
            oldest_new is not None
            and oldest_old is not None
            and (not is_pod_ready(oldest_old) or self.available(oldest_new))
        ):
            excess.append(oldest_old)
        return excess

    # --- status ---

    def status(self, by_node: Mapping[str, list[Obj]]) -> Obj:
        """updateDaemonSetStatus: per eligible node, its oldest pod decides."""
        desired = current = ready = available = updated = misscheduled = 0
        generation = util.template_generation(self.ds)
        for node in self.nodes:
            pods = by_node.get(name_of(node))
            if not self.runs[name_of(node)][0]:
                misscheduled += bool(pods)
                continue
            desired += 1
            if not pods:
                continue
            current += 1
            oldest = min(pods, key=util.pod_order)
            if is_pod_ready(oldest):
                ready += 1
                available += self.available(oldest)
            updated += util.is_pod_updated(oldest, self.hash, generation)
        old = self.ds.get("status") or {}
        status: Obj = {
            "currentNumberScheduled": current,
            "numberMisscheduled": misscheduled,
            "desiredNumberScheduled": desired,
            "numberReady": ready,
            "observedGeneration": self.ds["metadata"].get("generation", 1),
            "updatedNumberScheduled": updated,
            "numberAvailable": available,
            "numberUnavailable": desired - available,
            "collisionCount": old.get("collisionCount"),
            "conditions": old.get("conditions"),
        }
        always = ("currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled")
        return {k: v for k, v in status.items() if v or k in (*always, "numberReady")}
