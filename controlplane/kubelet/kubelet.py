"""The kubelet loop: for each pod bound to a node, apply the stage that matches it."""

from __future__ import annotations

import copy
import zlib
from collections.abc import Iterable, Sequence

from controlplane.api.errors import ApiError
from controlplane.api.server import Api
from controlplane.kubelet import stages
from controlplane.models.constants import KUBELET, ChangeType, EventType, Kind, Obj
from controlplane.models.meta import Change, Key, key_of, name_of, uid_of
from controlplane.models.node_conditions import kubelet_stopped_at
from controlplane.runtime.actions import Action, Delete, RecordEvent, UpdateStatus


def _image_size(image: str) -> int:
    """A plausible, stable image size in bytes for the Pulled event."""
    return 20_000_000 + zlib.crc32(image.encode()) % 60_000_000


class Kubelet:
    name = "kubelet"

    def __init__(self, api: Api) -> None:
        self.api = api

    def keys_for(self, change: Change) -> Iterable[Key]:
        pod = change.obj
        if pod["kind"] == Kind.NODE and change.type != ChangeType.DELETED:
            return self._pods_waiting_on(pod)
        if pod["kind"] != Kind.POD or change.type == ChangeType.DELETED:
            return []
        if any(stage.applies(pod) for stage in stages.STAGES):
            return [key_of(pod)]
        return []

    def _pods_waiting_on(self, node: Obj) -> list[Key]:
        """A kubelet that comes back picks up the pods that changed while it was stopped."""
        if kubelet_stopped_at(node) is not None:
            return []
        return [
            key_of(p)
            for p in self.api.list(Kind.POD)
            if p["spec"].get("nodeName") == name_of(node)
            and any(stage.applies(p) for stage in stages.STAGES)
        ]

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        nodes = {name_of(n): n for n in self.api.list(Kind.NODE)}
        node_index = {name: i for i, name in enumerate(sorted(nodes))}
        now = self.api.clock.now()
        actions: list[Action] = []
        for key in keys:
            try:
                pod = self.api.get(Kind.POD, key.namespace, key.name)
            except ApiError:
                continue
            node_name = pod["spec"].get("nodeName", "")
            if node_name in nodes and kubelet_stopped_at(nodes[node_name]) is not None:
                continue  # a stopped kubelet does nothing: its pods stay as they are
            if stages.TERMINATE.applies(pod):
                actions += self._terminate(pod, node_name)
            elif stages.START.applies(pod) and node_name in nodes:
                host_ip = _internal_ip(nodes[node_name])
                ip = stages.pod_ip(node_index[node_name] + 1, uid_of(pod))
                actions += self._start(pod, node_name, host_ip, ip, now)
        return actions

    def _start(self, pod: Obj, node: str, host_ip: str, ip: str, now: float) -> list[Action]:
        """Pull, create and start every container (kubelet events, reference 9.6)."""
        actions: list[Action] = []
        for container in pod["spec"]["containers"]:
            image, name = container["image"], container["name"]
            path = f"spec.containers{{{name}}}"

            def event(reason: str, message: str, path: str = path) -> RecordEvent:
                return RecordEvent(
                    pod, EventType.NORMAL, reason, message, KUBELET, host=node, field_path=path
                )

            if container.get("imagePullPolicy") == "Always":
                actions.append(event("Pulling", f'Pulling image "{image}"'))
                actions.append(
                    event(
                        "Pulled",
                        f'Successfully pulled image "{image}" in 0s (0s including waiting). '
                        f"Image size: {_image_size(image)} bytes.",
                    )
                )
            else:
                actions.append(
                    event("Pulled", f'Container image "{image}" already present on machine')
                )
            actions.append(event("Created", f"Created container: {name}"))
            actions.append(event("Started", f"Started container {name}"))
        running = copy.deepcopy(pod)
        running["status"] = stages.running_status(pod, host_ip, ip, now)
        return [UpdateStatus(running), *actions]

    def _terminate(self, pod: Obj, node: str) -> list[Action]:
        """Stop the containers, then remove the pod object (grace period 0)."""
        actions: list[Action] = [
            RecordEvent(
                pod,
                EventType.NORMAL,
                "Killing",
                f"Stopping container {c['name']}",
                KUBELET,
                host=node,
                field_path=f"spec.containers{{{c['name']}}}",
            )
            for c in pod["spec"]["containers"]
            if pod.get("status", {}).get("containerStatuses")
        ]
        key = key_of(pod)
        actions.append(
            Delete(Kind.POD, key.namespace, key.name, uid=uid_of(pod), grace_period_seconds=0)
        )
        return actions


def _internal_ip(node: Obj) -> str:
    for address in node.get("status", {}).get("addresses") or []:
        if address.get("type") == "InternalIP":
            return str(address["address"])
    return ""
