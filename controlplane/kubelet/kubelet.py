"""The kubelet controller: for each pod bound to a node, apply the stages that are due.

It wakes for a pod when the pod is bound (admit) or marked for deletion (kill, remove); after
that, each pass asks the manager to wake it again when the pod's next stage is due
(`RequeueAfter`), which in embedded mode happens on a later command once that time has come.
Its own status writes do not wake it. A node whose kubelet is stopped (`mkctl node stop`)
gets nothing done until it starts again; then its pods are picked up where they were.

Everything it needs to continue is stored: the pod's status and the kubelet's own events about
the pod (runs.py); the images each node holds are in the node's `status.images`. Which images
exist is the simulated registry's: the shipped catalogue and `MKCTL_HOME/images.json`
(registry.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api
from controlplane.clock import parse_rfc3339
from controlplane.home import home
from controlplane.kubelet.images import NodeImages
from controlplane.kubelet.pod_plan import plan_for
from controlplane.kubelet.podstatus import creating_since, pod_ip, pod_status
from controlplane.kubelet.registry import USER_FILE, Registry
from controlplane.kubelet.runs import Memory, Run
from controlplane.kubelet.stage import Context
from controlplane.kubelet.stages import PodRun, advance
from controlplane.kubelet.timing import Timing
from controlplane.models.constants import KUBELET, ChangeType, Kind, Obj, PodPhase
from controlplane.models.meta import Change, Key, annotations_of, key_of, name_of, uid_of
from controlplane.models.node_conditions import kubelet_stopped_at
from controlplane.models.pods import is_pod_ready
from controlplane.models.simulation import OUTCOME_ANNOTATION, Outcome
from controlplane.runtime.actions import Action, Delete, RecordEvent, RequeueAfter, UpdateStatus


def needs_kubelet(pod: Obj) -> bool:
    """A bound pod the kubelet has not admitted yet, or one being deleted."""
    if not pod["spec"].get("nodeName"):
        return False
    return bool(pod["metadata"].get("deletionTimestamp")) or not pod.get("status", {}).get(
        "containerStatuses"
    )


def is_unsettled(pod: Obj) -> bool:
    """A running pod with a container that is not ready (a stage may still be ahead of it),
    or that is not Ready itself (the node controller marks the pods of a lost node so), or
    one whose containers run to completion and have not all finished yet (a Job's)."""
    status = pod.get("status", {})
    statuses = status.get("containerStatuses") or []
    if not pod["spec"].get("nodeName") or not statuses:
        return False
    if status.get("phase") in (PodPhase.SUCCEEDED, PodPhase.FAILED):
        return False
    finishing = pod["spec"].get("restartPolicy", "Always") != "Always"
    return finishing or any(not s.get("ready") for s in statuses) or not is_pod_ready(pod)


def turns_unhealthy(pod: Obj) -> bool:
    """A pod with a ready container whose outcome annotation now fails its probes: the
    kubelet must look again, as its probe workers would notice the failures."""
    outcome = annotations_of(pod).get(OUTCOME_ANNOTATION)
    statuses = pod.get("status", {}).get("containerStatuses") or []
    unhealthy = (Outcome.NEVER_READY, Outcome.LIVENESS_FAILURE)
    return outcome in unhealthy and any(s.get("ready") for s in statuses)


def pod_run_of(pod: Obj, memory: Memory) -> PodRun:
    """Read a pod back into the stages' terms."""
    meta = pod["metadata"]
    deleting, grace = None, 0.0
    if meta.get("deletionTimestamp"):
        grace = float(meta.get("deletionGracePeriodSeconds") or 0)
        deleting = parse_rfc3339(meta["deletionTimestamp"]) - grace
    statuses = {s.get("name"): s for s in pod.get("status", {}).get("containerStatuses") or []}
    runs = None
    if statuses:
        since = creating_since(pod)
        runs = [
            Run.from_status(statuses.get(c["name"], {}), c, memory, since)
            for c in pod["spec"]["containers"]
        ]
    return PodRun(runs, deleting, grace, memory.killed)


@dataclass
class _NodeView:
    book: NodeImages
    node: str

    def present(self, image: str) -> bool:
        return self.book.present(self.node, image)

    def add(self, image: str, size: int) -> None:
        self.book.add(self.node, image, size)


class Kubelet:
    name = "kubelet"

    def __init__(
        self, api: Api, timing: Timing | None = None, registry: Registry | None = None
    ) -> None:
        self.api = api
        self.timing = timing or Timing.instant()
        self.registry = registry or Registry(home() / USER_FILE)
        self._timed: set[str] = set()  # pods with a RequeueAfter pending in this process
        self._stopped: dict[str, bool] = {}  # node -> its kubelet is stopped, as last seen

    def keys_for(self, change: Change) -> Iterable[Key]:
        """Bound and deleted pods; and unsettled pods (or Ready ones whose outcome annotation
        now fails them) this process has no timer for yet.

        The kubelet's own status writes do not wake it while it has a timer for the pod. A
        new process (the next command, a restarted daemon) has none, so the changes it reads
        hand it the pods still in progress, whatever happened to the timers of the last one.
        """
        pod = change.obj
        if pod["kind"] == Kind.NODE:
            return self._pods_waiting_on(pod) if change.type != ChangeType.DELETED else []
        if pod["kind"] != Kind.POD:
            return []
        if change.type == ChangeType.DELETED:
            self._timed.discard(uid_of(pod))
            return []
        unsettled = is_unsettled(pod) or turns_unhealthy(pod)
        wanted = needs_kubelet(pod) or (unsettled and uid_of(pod) not in self._timed)
        return [key_of(pod)] if wanted else []

    def _pods_waiting_on(self, node: Obj) -> list[Key]:
        """A kubelet that comes back picks up its pods still in progress or being deleted.

        A process seeing a node for the first time cannot tell whether its kubelet was
        stopped before, so it looks then as well.
        """
        name = name_of(node)
        stopped = kubelet_stopped_at(node) is not None
        was_stopped = self._stopped.get(name, True)
        self._stopped[name] = stopped
        if stopped or not was_stopped:
            return []
        return [
            key_of(p)
            for p in self.api.list(Kind.POD)
            if p["spec"].get("nodeName") == name and (needs_kubelet(p) or is_unsettled(p))
        ]

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        self.registry.refresh()
        nodes = {name_of(n): n for n in self.api.list(Kind.NODE)}
        book = NodeImages(nodes)
        now = self.api.clock.now()
        actions: list[Action] = []
        for key in keys:
            try:
                pod = self.api.get(Kind.POD, key.namespace, key.name)
            except ApiError:
                continue
            node = pod["spec"].get("nodeName", "")
            if node in nodes and kubelet_stopped_at(nodes[node]) is not None:
                self._timed.discard(uid_of(pod))
                continue  # a stopped kubelet does nothing: its pods stay as they are
            if node in nodes or (node and pod["metadata"].get("deletionTimestamp")):
                actions += self._sync(pod, nodes.get(node) or {}, node, book, now)
        return [*(UpdateStatus(n) for n in book.updated_nodes()), *actions]

    def _sync(
        self, pod: Obj, node: Obj, node_name: str, book: NodeImages, now: float
    ) -> list[Action]:
        resumed = bool(pod.get("status", {}).get("containerStatuses")) or bool(
            pod["metadata"].get("deletionTimestamp")
        )
        memory = Memory.from_events(self.api.events_about(pod)) if resumed else Memory()
        run = pod_run_of(pod, memory)
        ctx = Context(
            pod, plan_for(pod, self.timing, self.registry), now, _NodeView(book, node_name)
        )
        due = advance(run, ctx)
        key = key_of(pod)
        actions: list[Action] = []
        if run.removed:
            actions.append(
                Delete(Kind.POD, key.namespace, key.name, uid=uid_of(pod), grace_period_seconds=0)
            )
        elif run.runs is not None:
            status = pod_status(
                pod, run.runs, now, host_ip=_internal_ip(node), pod_ip=pod_ip(node, uid_of(pod))
            )
            if status != pod.get("status"):  # the status subresource reads only the status
                actions.append(UpdateStatus({**pod, "status": status}))
        for e in ctx.events:
            path = f"spec.containers{{{e.container}}}" if e.container else ""
            actions.append(RecordEvent(pod, e.type, e.reason, e.message, KUBELET, node_name, path))
        if due is not None and not run.removed:
            actions.append(RequeueAfter(key, due - now))
            self._timed.add(uid_of(pod))
        else:
            self._timed.discard(uid_of(pod))
        return actions


def _internal_ip(node: Obj) -> str:
    for address in node.get("status", {}).get("addresses") or []:
        if address.get("type") == "InternalIP":
            return str(address["address"])
    return ""
