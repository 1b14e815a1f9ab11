"""`node add|remove|stop|start`: change the fake cluster's machines.

Not kubectl commands (a real cluster gains nodes when machines join it, and loses them when
they fail): stand-ins that let a lesson show DaemonSets following nodes, and a ReplicaSet
healing a node failure. A removed node's pods are deleted by the pod garbage collector; a
stopped node's kubelet stops posting status, and the node lifecycle controller does the rest.
"""

from __future__ import annotations

from typing import Annotated

import typer

from minikubectl import cluster_nodes
from minikubectl.client import Client
from minikubectl.commands.options import out
from minikubectl.errors import CliError

app = typer.Typer(
    help="Add, remove, stop or start nodes of the local cluster.", no_args_is_help=True
)


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The new node's name, e.g. node-4.")],
    labels: Annotated[
        list[str] | None,
        typer.Option("--label", "-l", help="A label for the node, KEY=VALUE (repeatable)."),
    ] = None,
) -> None:
    """Add a Ready node to the cluster.

    Examples:
      mkctl node add node-4
      mkctl node add node-4 --label disktype=ssd
    """
    from controlplane.api.registry import kind_info

    pairs: dict[str, str] = {}
    for item in labels or []:
        key, equals, value = item.partition("=")
        if not equals or not key:
            raise CliError(f"invalid label spec: {item}")
        pairs[key] = value
    client = Client()
    created = cluster_nodes.add_node(client, name, pairs)
    client.settle()
    out(f"{kind_info('Node').kind_group}/{created['metadata']['name']} created\n")


@app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="The node to remove.")]) -> None:
    """Remove a node; the pods bound to it are deleted.

    Examples:
      mkctl node remove node-4
    """
    from controlplane.api.registry import kind_info

    client = Client()
    client.delete(kind_info("Node"), name, propagation="Background", grace_period=None)
    client.settle()
    out(f'node "{name}" deleted\n')


@app.command("stop")
def stop(name: Annotated[str, typer.Argument(help="The node whose kubelet stops.")]) -> None:
    """Simulate a node failure: its kubelet stops posting status.

    After the node monitor grace period (50 s) the node is NotReady and tainted; 300 s later
    its pods are evicted and their controllers recreate them on other nodes. With a daemon
    running at --speed N both waits are N times shorter.

    Examples:
      mkctl node stop node-2
    """
    _set_kubelet_running(name, False)


@app.command("start")
def start(name: Annotated[str, typer.Argument(help="The node whose kubelet starts.")]) -> None:
    """Bring a stopped node back: Ready again, its taints removed.

    Examples:
      mkctl node start node-2
    """
    _set_kubelet_running(name, True)


def _set_kubelet_running(name: str, running: bool) -> None:
    """`node stop` and `node start`: the node's kubelet stops or resumes posting status."""
    client = Client()
    cluster_nodes.set_kubelet_running(client, name, running)
    client.settle()
    out(f"node/{name} kubelet {'started' if running else 'stopped'}\n")
