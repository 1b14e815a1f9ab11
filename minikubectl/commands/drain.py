"""`cordon`, `uncordon` and `drain`: take a node out of scheduling, and empty it.

Messages follow kubectl's drain command (k8s.io/kubectl pkg/cmd/drain and pkg/drain):
DaemonSet-managed pods block a drain unless --ignore-daemonsets, pods that declare no
controller block it unless --force (and are then gone for good).
"""

from __future__ import annotations

from typing import Annotated

import typer

from controlplane.models.constants import Obj
from minikubectl.client import Client
from minikubectl.commands.options import err, out
from minikubectl.errors import CliError
from minikubectl.kubectl.drain import evict, pods_on_node, set_unschedulable
from minikubectl.resources import resolve_type, resource_tuple

DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods"
# staging/src/k8s.io/kubectl/pkg/drain/filters.go localStorageFatal, localStorageWarning
LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)"
LOCAL_STORAGE_WARNING = "deleting Pods with local storage"
UNMANAGED_FATAL = "cannot delete Pods that declare no controller (use --force to override)"
UNMANAGED_WARNING = "deleting Pods that declare no controller"


def node_names(client: Client, args: list[str]) -> list[str]:
    """The nodes named by `NODE...` or `TYPE/NAME...`, each read before any is changed, as
    drain.go Complete reads them (ResourceNames("nodes", args...).SingleResourceType(), then a
    visit that refuses any other resource): a missing node fails the whole command."""
    named = [resource_tuple(arg) if "/" in arg else ("nodes", arg) for arg in args]
    kinds = [resolve_type(word) for word, _ in named]
    if len({info.kind for info in kinds}) > 1:
        raise CliError("you may only specify a single resource type")
    for info, (_, name) in zip(kinds, named, strict=True):
        client.get(info, name)
        if info.kind != "Node":
            resource = f"{info.group}/{info.version}, Resource={info.plural}"
            raise CliError(f'expected resource of type node, got "{resource}"')
    return [name for _, name in named]


def run_cordon_or_uncordon(client: Client, nodes: list[str], *, desired: bool) -> None:
    """drain.go RunCordonOrUncordon, which cordon, uncordon and drain run: set each node's
    spec.unschedulable to `desired` and say `cordoned` or `uncordoned`, `already` when it
    was so."""
    verb = "cordoned" if desired else "uncordoned"
    for node in nodes:
        changed = set_unschedulable(client.api, node, desired)
        out(f"node/{node} {verb if changed else 'already ' + verb}\n")


def cordon(
    nodes: Annotated[list[str], typer.Argument(help="The nodes to mark unschedulable.")],
) -> None:
    """Mark nodes as unschedulable: their pods stay, new pods go elsewhere.

    Examples:
      mkctl cordon node-1
      mkctl cordon node/node-1 node/node-2
    """
    client = Client()
    run_cordon_or_uncordon(client, node_names(client, nodes), desired=True)
    client.settle()


def uncordon(
    nodes: Annotated[list[str], typer.Argument(help="The nodes to mark schedulable.")],
) -> None:
    """Mark nodes as schedulable again.

    Examples:
      mkctl uncordon node-1
    """
    client = Client()
    run_cordon_or_uncordon(client, node_names(client, nodes), desired=False)
    client.settle()


def _pod_ref(pod: Obj) -> str:
    return f"{pod['metadata']['namespace']}/{pod['metadata']['name']}"


def drain(
    nodes: Annotated[list[str], typer.Argument(help="The nodes to empty.")],
    ignore_daemonsets: bool = typer.Option(
        False,
        "--ignore-daemonsets/--no-ignore-daemonsets",
        help="Leave DaemonSet-managed pods in place instead of refusing.",
    ),
    force: bool = typer.Option(
        False, "--force/--no-force", help="Also delete pods that declare no controller."
    ),
    delete_emptydir_data: bool = typer.Option(
        False,
        "--delete-emptydir-data/--no-delete-emptydir-data",
        help="Also evict pods with emptyDir volumes, whose data is lost.",
    ),
) -> None:
    """Cordon nodes, then evict their pods so that their controllers recreate them elsewhere.

    Every node is cordoned first, then each is drained in turn; a node that cannot be drained
    is named and the others are still drained (drain.go RunDrain).

    Examples:
      mkctl drain node-1
      mkctl drain node-1 --ignore-daemonsets --force
    """
    client = Client()
    names = node_names(client, nodes)
    run_cordon_or_uncordon(client, names, desired=True)
    allowed = (ignore_daemonsets, delete_emptydir_data, force)
    remaining: list[str] = []
    fatal: list[str] = []
    for node in names:
        if errors := _drain_node(client, node, *allowed):
            joined = errors[0] if len(errors) == 1 else f"[{', '.join(errors)}]"
            reason = f"due to error: {joined}, continuing command..."
            err(f'error: unable to drain node "{node}" {reason}')
            remaining.append(node)
            fatal.extend(errors)
    client.settle()
    if remaining:
        pending = "".join(f"\n {node}" for node in remaining)
        raise CliError(
            f"There are pending nodes to be drained:{pending}\n" + "\n".join(fatal),
            prefixed=False,
        )


def _drain_node(
    client: Client, node: str, ignore_daemonsets: bool, delete_emptydir_data: bool, force: bool
) -> list[str]:
    """Evict a cordoned node's pods and say it is drained (drain.go deleteOrEvictPodsSimple);
    or, when a filter refuses some pod, evict nothing and return why, each reason as kubectl
    words it."""
    pods = pods_on_node(client.api, node)
    daemon = [p for p in pods if _controller_kind(p) == "DaemonSet"]
    unmanaged = [p for p in pods if _controller_kind(p) is None]
    local = [p for p in pods if p not in daemon and _has_local_storage(p)]
    fatal: list[str] = []
    warnings: list[str] = []
    for group, ignored, fatal_text, warning_text in (
        (daemon, ignore_daemonsets, DAEMONSET_FATAL, DAEMONSET_WARNING),
        (local, delete_emptydir_data, LOCAL_STORAGE_FATAL, LOCAL_STORAGE_WARNING),
        (unmanaged, force, UNMANAGED_FATAL, UNMANAGED_WARNING),
    ):
        if group:
            refs = ", ".join(_pod_ref(p) for p in group)
            (warnings if ignored else fatal).append(
                f"{warning_text if ignored else fatal_text}: {refs}"
            )
    if fatal:
        # Upstream wraps each filter message in "cannot delete %s"; the unmanaged message
        # already starts with those words, so kubectl prints them twice (kept, as users see).
        return [f"cannot delete {e}" for e in fatal]
    if warnings:
        err("Warning: " + "; ".join(warnings))
    evicted = [p for p in pods if p not in daemon]
    for pod in evicted:
        out(f"evicting pod {_pod_ref(pod)}\n")
    evict(client.api, evicted)
    out("".join(f"pod/{p['metadata']['name']} evicted\n" for p in evicted))
    out(f"node/{node} drained\n")
    return []


def _has_local_storage(pod: Obj) -> bool:
    """drain's localStorageFilter: a pod with an emptyDir volume loses its data."""
    return any("emptyDir" in v for v in pod["spec"].get("volumes") or [])


def _controller_kind(pod: Obj) -> str | None:
    for ref in pod["metadata"].get("ownerReferences") or []:
        if ref.get("controller"):
            return str(ref["kind"])
    return None
