"""`mkctl cluster start --nodes N`: grow or shrink the cluster's nodes before the daemon starts,
as `minikube node add` and `minikube node delete` would (a node joins as its kubelet registers
it; only a node that runs no pod may go)."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
