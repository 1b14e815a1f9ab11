"""The cluster's nodes as mkctl manages them: `cluster start --nodes N` grows or shrinks them
before the daemon starts, as `minikube node add` and `minikube node delete` would (a node joins
as its kubelet registers it; only a node that runs no pod may go); `node add` registers one;
`node stop|start` stop and start a node's simulated kubelet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from controlplane.models.constants import Obj
from minikubectl.errors import CliError

if TYPE_CHECKING:
    from minikubectl.client import Client


def resize_nodes(client: Client, count: int) -> tuple[list[str], list[str]]:
    """Make the cluster `count` nodes: register each missing `node-N` as its kubelet
    would, or delete the last nodes when they run no pod. Returns (added, removed)."""
    from controlplane.bootstrap import node_names
    from controlplane.models.node_registration import registered_node

    present = sorted(
        (n["metadata"]["name"] for n in client.api.list("Node", None)),
        key=lambda name: (len(name), name),
    )
    extra = present[count:]
    busy = {p["spec"].get("nodeName") for p in client.api.list("Pod", None)} & set(extra)
    if busy:
        raise CliError(
            f"the cluster has {len(present)} nodes and pods run on {', '.join(sorted(busy))}"
            f": 'mkctl drain' them first, or 'mkctl cluster reset --yes --nodes {count}' "
            "to start again"
        )
    for name in extra:
        client.api.delete("Node", "", name)
    now = client.api.clock.now()
    wanted = [name for name in node_names(count) if name not in present]
    added = [
        client.api.create(registered_node(name, int(name.split("-")[1]) - 1, now))
        for name in wanted[: max(0, count - len(present))]
    ]
    return [n["metadata"]["name"] for n in added], extra


def set_kubelet_running(client: Client, node: str, running: bool) -> None:
    """Start or stop a node's simulated kubelet (see controllers/node_lifecycle.py)."""
    from controlplane.clock import rfc3339
    from controlplane.models.node_conditions import KUBELET_STOPPED_ANNOTATION

    stamp = None if running else rfc3339(client.api.clock.now())
    patch = {"metadata": {"annotations": {KUBELET_STOPPED_ANNOTATION: stamp}}}
    client.api.patch("Node", "", node, patch, "merge")


def add_node(client: Client, name: str, labels: dict[str, str]) -> Obj:
    """A new Ready node like the bootstrap ones, on the first free pod CIDR and address."""
    from controlplane.models.node_registration import free_cidr_index, registered_node

    index = free_cidr_index(client.api.list("Node"))
    node = registered_node(name, index, client.api.clock.now())
    node["metadata"]["labels"].update(labels)
    return client.api.create(node)
