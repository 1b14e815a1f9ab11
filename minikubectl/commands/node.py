"""`node add|remove`: grow or shrink the fake cluster, to watch DaemonSets follow the nodes.

Not a kubectl command (a real cluster gains nodes when machines join it): a small stand-in
until mkctl models node lifecycles. A removed node's pods are deleted by the pod garbage
collector, as on a real cluster.
"""

from __future__ import annotations

from typing import Annotated

import typer

from minikubectl.client import Client
from minikubectl.commands.options import out
from minikubectl.errors import CliError

app = typer.Typer(help="Add or remove nodes of the local cluster.", no_args_is_help=True)


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
    created = client.add_node(name, pairs)
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
