"""`rollout history|undo|status|pause|resume|restart` (Deployments, StatefulSets, DaemonSets)."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

import typer

from controlplane.api.registry import KindInfo
from controlplane.models.constants import LAST_APPLIED_ANNOTATION, Obj
from minikubectl.client import Client
from minikubectl.commands.options import Namespace, Resources, err, out
from minikubectl.errors import CliError

if TYPE_CHECKING:
    from types import ModuleType

WATCH_INTERVAL_SECONDS = 0.2

app = typer.Typer(help="Manage the rollout of one or many resources.", no_args_is_help=True)


def _target(
    client: Client, resources: list[str] | None, verb: str
) -> tuple[KindInfo, Obj, ModuleType]:
    """The object named, and the rollout module of its kind (kubectl's polymorphichelpers)."""
    from minikubectl.resources import single_target

    if not resources:
        raise CliError("required resource not specified")
    info, name = single_target(resources)
    obj = client.get(info, name)  # kubectl fetches first: a missing object is NotFound
    module = client.rollout_helpers(info)
    if module is None or not hasattr(module, verb):
        messages = {
            "history": f'no history viewer has been implemented for "{info.group_kind}"',
            "undo": f'no rollbacker has been implemented for "{info.group_kind}"',
            "status": f"no status viewer has been implemented for {info.group_kind}",
            "pause": f'{info.resource} "{name}" pausing is not supported',
            "resume": f'{info.resource} "{name}" resuming is not supported',
            "restart": f'{info.resource} "{name}" restarting is not supported',
        }
        raise CliError(messages[verb])
    return info, obj, module


def _rollout_error(exc: Exception) -> CliError:
    return CliError(str(exc))


@app.command("history")
def history(
    resources: Resources = None,
    namespace: Namespace = None,
    revision: int = typer.Option(0, "--revision", help="See the details of this revision."),
) -> None:
    """View previous rollout revisions and configurations.

    Examples:
      mkctl rollout history deployment/web
      mkctl rollout history deployment/web --revision=2
    """
    from minikubectl.client import RolloutError
    from minikubectl.printers import describe
    from minikubectl.printers import history as printer

    if revision < 0:
        raise CliError(f"revision must be a positive integer: {revision}")
    client = Client(namespace)
    info, obj, module = _target(client, resources, "history")
    title = f"{info.kind_group}/{obj['metadata']['name']}"
    if revision == 0:
        out(printer.rollout_history_table(title, module.history(client.api, obj)))
        return
    try:
        template = module.revision_template(client.api, obj, revision)
    except RolloutError as exc:
        raise _rollout_error(exc) from exc
    out(f"{title} with revision #{revision}\n" + describe.revision_detail(template))


# staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollback.go, before any revision lookup
ROLLBACK_WARNING = (
    "Warning: resource {resource}/{name} was previously managed with 'kubectl apply'. Rolling "
    "back will not update the kubectl.kubernetes.io/last-applied-configuration annotation, "
    "which may cause unexpected behavior on future 'kubectl apply' operations. Consider using "
    "'kubectl apply' with your previous configuration file instead."
)


@app.command("undo")
def undo(
    resources: Resources = None,
    namespace: Namespace = None,
    to_revision: int = typer.Option(
        0, "--to-revision", help="The revision to roll back to (0: the previous one)."
    ),
) -> None:
    """Undo a previous rollout: go back to the previous (or a given) revision.

    Examples:
      mkctl rollout undo deployment/web
      mkctl rollout undo deployment/web --to-revision=1
    """
    from minikubectl.client import RolloutError

    client = Client(namespace)
    if to_revision < 0:
        raise CliError(f"unable to find specified revision {to_revision} in history")
    info, obj, module = _target(client, resources, "undo")
    if LAST_APPLIED_ANNOTATION in (obj["metadata"].get("annotations") or {}):
        err(ROLLBACK_WARNING.format(resource=info.plural, name=obj["metadata"]["name"]))
    try:
        result = module.undo(client.api, obj, to_revision)
    except RolloutError as exc:
        raise _rollout_error(exc) from exc
    client.settle(progress=True)
    out(f"{info.kind_group}/{obj['metadata']['name']} {result}\n")


@app.command("status")
def status(
    resources: Resources = None,
    namespace: Namespace = None,
    watch: bool = typer.Option(
        True, "--watch/--no-watch", "-w", help="Watch until the rollout is done."
    ),
    revision: int = typer.Option(0, "--revision", help="Pin to a specific revision."),
    timeout: str = typer.Option(
        "0s", "--timeout", help="How long to watch before giving up (0: forever)."
    ),
) -> None:
    """Show the status of the rollout, and by default watch it until it is done.

    Each change of the message is printed, as kubectl does; the command fails when the
    Deployment exceeds its progress deadline or --timeout passes.

    Examples:
      mkctl rollout status deployment/web
      mkctl rollout status deployment/web --watch=false
      mkctl rollout status deployment/web --timeout=60s
    """
    from controlplane.api.errors import ApiError
    from minikubectl.client import RolloutError
    from minikubectl.durations import duration_flag

    limit = duration_flag(timeout, "--timeout", "rollout status")
    client = Client(namespace)
    client.settle()
    info, obj, module = _target(client, resources, "status")
    deadline = time.monotonic() + limit if limit > 0 else None
    last = ""
    while True:
        try:
            message, done = module.status(obj, revision)
        except RolloutError as exc:
            raise _rollout_error(exc) from exc
        if message != last:
            out(message)
            sys.stdout.flush()
            last = message
        if done or not watch:
            return
        if deadline is not None and time.monotonic() > deadline:
            raise CliError("timed out waiting for the condition")
        time.sleep(WATCH_INTERVAL_SECONDS)
        client.settle()
        try:
            obj = client.get(info, obj["metadata"]["name"])
        except ApiError as exc:
            raise CliError("object has been deleted") from exc


def _simple(verb: str, past: str) -> None:
    def command(resources: Resources = None, namespace: Namespace = None) -> None:
        from minikubectl.client import RolloutError

        client = Client(namespace)
        info, obj, module = _target(client, resources, verb)
        try:
            getattr(module, verb)(client.api, obj)
        except RolloutError as exc:
            raise _rollout_error(exc) from exc
        client.settle()
        out(f"{info.kind_group}/{obj['metadata']['name']} {past}\n")

    command.__doc__ = {
        "pause": "Mark the resource as paused: template changes wait until it is resumed.\n\n"
        "Examples:\n  mkctl rollout pause deployment/web",
        "resume": "Resume a paused resource.\n\nExamples:\n  mkctl rollout resume deployment/web",
        "restart": "Restart a resource: its pods are replaced by a new rollout.\n\n"
        "Examples:\n  mkctl rollout restart deployment/web",
    }[verb]
    app.command(verb)(command)


_simple("pause", "paused")
_simple("resume", "resumed")
_simple("restart", "restarted")
