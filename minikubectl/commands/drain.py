"""`cordon`, `uncordon` and `drain`: take a node out of scheduling, and empty it.

Messages follow kubectl's drain command (k8s.io/kubectl pkg/cmd/drain and pkg/drain):
DaemonSet-managed pods block a drain unless --ignore-daemonsets, pods that declare no
controller block it unless --force (and are then gone for good).
"""

from __future__ import annotations

import typer

from controlplane.models.constants import Obj
from minikubectl.client import Client
from minikubectl.commands.options import err, out
from minikubectl.errors import CliError
from minikubectl.kubectl.drain import evict, pods_on_node, set_unschedulable

DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods"
# staging/src/k8s.io/kubectl/pkg/drain/filters.go localStorageFatal, localStorageWarning
LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)"
LOCAL_STORAGE_WARNING = "deleting Pods with local storage"
UNMANAGED_FATAL = "cannot delete Pods that declare no controller (use --force to override)"
UNMANAGED_WARNING = "deleting Pods that declare no controller"


def run_cordon_or_uncordon(client: Client, node: str, *, desired: bool) -> None:
    """drain.go RunCordonOrUncordon, which cordon, uncordon and drain run: set the node's
    spec.unschedulable to `desired` and say `cordoned` or `uncordoned`, `already` when it
    was so."""
    changed = set_unschedulable(client.api, node, desired)
    verb = "cordoned" if desired else "uncordoned"
    out(f"node/{node} {verb if changed else 'already ' + verb}\n")


def cordon(node: str = typer.Argument(..., help="The node to mark unschedulable.")) -> None:
    """Mark a node as unschedulable: its pods stay, new pods go elsewhere.

    Examples:
      mkctl cordon node-1
    """
    client = Client()
    run_cordon_or_uncordon(client, node, desired=True)
    client.settle()


def uncordon(node: str = typer.Argument(..., help="The node to mark schedulable.")) -> None:
    """Mark a node as schedulable again.

    Examples:
      mkctl uncordon node-1
    """
    client = Client()
    run_cordon_or_uncordon(client, node, desired=False)
    client.settle()


def _pod_ref(pod: Obj) -> str:
    return f"{pod['metadata']['namespace']}/{pod['metadata']['name']}"


def drain(
    node: str = typer.Argument(..., help="The node to empty."),
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
    """Cordon a node, then evict its pods so that their controllers recreate them elsewhere.

    Examples:
      mkctl drain node-1
      mkctl drain node-1 --ignore-daemonsets --force
    """
    client = Client()
    run_cordon_or_uncordon(client, node, desired=True)
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
        errors = [f"cannot delete {e}" for e in fatal]
        joined = errors[0] if len(errors) == 1 else f"[{', '.join(errors)}]"
        client.settle()
        raise CliError(
            f'error: unable to drain node "{node}" due to error: {joined}, continuing '
            f"command...\nThere are pending nodes to be drained:\n {node}\n" + "\n".join(errors),
            prefixed=False,
        )
    if warnings:
        err("Warning: " + "; ".join(warnings))
    evicted = [p for p in pods if p not in daemon]
    for pod in evicted:
        out(f"evicting pod {_pod_ref(pod)}\n")
    evict(client.api, evicted)
    client.settle()
    out("".join(f"pod/{p['metadata']['name']} evicted\n" for p in evicted))
    out(f"node/{node} drained\n")


def _has_local_storage(pod: Obj) -> bool:
    """drain's localStorageFilter: a pod with an emptyDir volume loses its data."""
    return any("emptyDir" in v for v in pod["spec"].get("volumes") or [])


def _controller_kind(pod: Obj) -> str | None:
    for ref in pod["metadata"].get("ownerReferences") or []:
        if ref.get("controller"):
            return str(ref["kind"])
    return None
