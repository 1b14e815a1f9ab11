"""`tree TYPE NAME`: the objects an owner owns, and theirs, as a tree (kubectl-tree's view).

Fetch every object of every namespaced kind in the roots' namespace (all namespaces with
-A), index them by owner uid, and let the printer draw. Colours only on a terminal, and never
with NO_COLOR set.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from controlplane.api.registry import KINDS
from controlplane.models.constants import Obj
from minikubectl.client import Client
from minikubectl.commands.options import AllNamespaces, Namespace, Resources, err, now, out
from minikubectl.errors import CliError, render_api_error


def use_color() -> bool:
    """https://no-color.org: colour on a terminal unless NO_COLOR is set to something."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def tree(
    resources: Resources = None,
    namespace: Namespace = None,
    all_namespaces: AllNamespaces = False,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Draw the tree as a diagram instead: mermaid, dot (Graphviz) or svg.",
        ),
    ] = None,
) -> None:
    """Show the objects an object owns, and theirs, down the ownerReferences.

    A Deployment owns ReplicaSets (one per revision of its pod template), and each ReplicaSet
    owns Pods: the tree shows the revision and images of each ReplicaSet and the READY,
    STATUS, AGE and node of each Pod. Any kind works; without a name, every object of the
    type is a root.

    Examples:
      mkctl tree deployment/web
      mkctl tree deploy web -n shop
      mkctl tree rs
      mkctl tree deployments -A
      mkctl tree deployment/web -o mermaid
      mkctl tree deployment/web -o dot | dot -Tpng > web.png
      mkctl tree deployment/web -o svg > web.svg
    """
    from controlplane.api.errors import ApiError
    from minikubectl.commands.builder import list_type
    from minikubectl.printers.tree import index_children, render_tree
    from minikubectl.printers.tree_graph import FORMATS
    from minikubectl.resources import parse_targets

    if output is not None and output not in FORMATS:
        raise CliError(
            f'unable to match a printer suitable for the output format "{output}", '
            f"allowed formats are: {','.join(FORMATS)}"
        )
    targets = parse_targets(resources or [])
    if not targets:
        raise CliError("required resource not specified")
    client = Client(namespace)
    roots: list[Obj] = []
    missing: list[str] = []
    for info, name in targets:
        if name is None:
            roots += list_type(
                client, info, all_namespaces=all_namespaces, selector=None, field_selector=None
            )
            continue
        try:
            roots.append(client.get(info, name))
        except ApiError as exc:
            missing.append(render_api_error(exc))
    # Owners and dependents share a namespace: list one, unless the roots are elsewhere.
    everywhere = all_namespaces or {r["metadata"].get("namespace") for r in roots} != {
        client.namespace
    }
    candidates = [
        obj
        for info in KINDS
        if info.namespaced
        for obj in client.list_objects(info, all_namespaces=everywhere)
    ]
    if roots and output is not None:
        from minikubectl.printers.tree_graph import RENDERERS, nodes

        out(RENDERERS[output](nodes(roots, index_children(candidates), now())))
    elif roots:
        out(
            render_tree(
                roots,
                index_children(candidates),
                now(),
                all_namespaces=all_namespaces,
                color=use_color(),
            )
        )
    for message in missing:
        err(message)
    if missing:
        raise typer.Exit(1)
    if not roots:
        namespaced = targets[0][0].namespaced and not all_namespaces
        err(
            f"No resources found in {client.namespace} namespace."
            if namespaced
            else "No resources found"
        )
