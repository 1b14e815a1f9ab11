"""`rollout history|undo|status|pause|resume|restart` (Deployments, StatefulSets, DaemonSets)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import typer

from controlplane.api.registry import KindInfo
from controlplane.models.constants import LAST_APPLIED_ANNOTATION, Obj
from minikubectl.client import Client
from minikubectl.commands.options import (
    DryRun,
    Namespace,
    Resources,
    dry_run_strategy,
    err,
    operation,
    out,
)
from minikubectl.errors import CliError
from minikubectl.intflags import INT

if TYPE_CHECKING:
    from minikubectl.kubectl.rollout.base import Action, Rollout

app = typer.Typer(help="Manage the rollout of one or many resources.", no_args_is_help=True)


def _target(
    client: Client, resources: list[str] | None, verb: str
) -> tuple[KindInfo, Obj, Rollout]:
    """The object named, and the rollout helpers of its kind (kubectl's polymorphichelpers)."""
    from minikubectl.kubectl.rollout import rollout_for
    from minikubectl.resources import single_target

    if not resources:
        raise CliError("required resource not specified")
    info, name = single_target(resources)
    obj = client.get(info, name)  # kubectl fetches first: a missing object is NotFound
    helpers = rollout_for(info.kind)
    if helpers is None:
        raise CliError(_unsupported(info, name, verb))
    return info, obj, helpers


def _unsupported(info: KindInfo, name: str, verb: str) -> str:
    """kubectl's message for a kind that has no helper for `verb`."""
    messages = {
        "history": f'no history viewer has been implemented for "{info.group_kind}"',
        "undo": f'no rollbacker has been implemented for "{info.group_kind}"',
        "status": f"no status viewer has been implemented for {info.group_kind}",
        "pause": f'{info.resource} "{name}" pausing is not supported',
        "resume": f'{info.resource} "{name}" resuming is not supported',
        "restart": f'{info.resource} "{name}" restarting is not supported',
    }
    return messages[verb]


def _rollout_error(exc: Exception) -> CliError:
    return CliError(str(exc))


@app.command("history")
def history(
    resources: Resources = None,
    namespace: Namespace = None,
    revision: int = typer.Option(
        0, "--revision", help="See the details of this revision.", click_type=INT
    ),
) -> None:
    """View previous rollout revisions and configurations.

    Examples:
      mkctl rollout history deployment/web
      mkctl rollout history deployment/web --revision=2
    """
    from minikubectl.kubectl.rollout import RolloutError
    from minikubectl.printers import history as printer

    if revision < 0:
        raise CliError(f"revision must be a positive integer: {revision}")
    client = Client(namespace)
    info, obj, helpers = _target(client, resources, "history")
    title = f"{info.kind_group}/{obj['metadata']['name']}"
    if revision == 0:
        out(printer.rollout_history_table(title, helpers.history(client.api, obj)))
        return
    try:
        template = helpers.revision_template(client.api, obj, revision)
    except RolloutError as exc:
        raise _rollout_error(exc) from exc
    out(printer.rollout_history_revision(title, revision, template))


# staging/src/k8s.io/kubectl/pkg/cmd/rollout/rollout_undo.go warningRollbackApplyManagedResource,
# before any revision lookup, with the command's base name (`o.CmdBaseName`): mkctl's
ROLLBACK_WARNING = (
    "Warning: resource {resource}/{name} was previously managed with 'mkctl apply'. Rolling "
    "back will not update the kubectl.kubernetes.io/last-applied-configuration annotation, "
    "which may cause unexpected behavior on future 'mkctl apply' operations. Consider using "
    "'mkctl apply' with your previous configuration file instead."
)


@app.command("undo")
def undo(
    resources: Resources = None,
    namespace: Namespace = None,
    to_revision: int = typer.Option(
        0,
        "--to-revision",
        help="The revision to roll back to (0: the previous one).",
        click_type=INT,
    ),
    dry_run: DryRun = None,
) -> None:
    """Undo a previous rollout: go back to the previous (or a given) revision.

    With --dry-run=client, print the pod template it would roll back to; with
    --dry-run=server, the server checks the rollback without making it.

    Examples:
      mkctl rollout undo deployment/web
      mkctl rollout undo deployment/web --to-revision=1
      mkctl rollout undo deployment/web --dry-run=client
    """
    from minikubectl.kubectl.rollout import RolloutError

    strategy = dry_run_strategy(dry_run)
    client = Client(namespace)
    if to_revision < 0:
        raise CliError(f"unable to find specified revision {to_revision} in history")
    info, obj, helpers = _target(client, resources, "undo")
    if LAST_APPLIED_ANNOTATION in (obj["metadata"].get("annotations") or {}):
        err(ROLLBACK_WARNING.format(resource=info.plural, name=obj["metadata"]["name"]))
    try:
        if strategy == "client":
            result = rollback_preview(info, helpers.rollback_template(client.api, obj, to_revision))
        else:
            result = helpers.undo(client.api, obj, to_revision, dry_run=strategy == "server")
    except RolloutError as exc:
        raise _rollout_error(exc) from exc
    if strategy == "none":
        client.settle(progress=True)
    out(f"{info.kind_group}/{obj['metadata']['name']} {operation(result, strategy)}\n")


def rollback_preview(info: KindInfo, template: Obj) -> str:
    """rollback.go's client dry run: `printTemplate` of the revision's template for a
    Deployment, `printPodTemplate` (`will roll back to ...`) for the other kinds."""
    from minikubectl.printers.podtemplate import describe_pod_template
    from minikubectl.printers.writer import PrefixWriter

    w = PrefixWriter()
    describe_pod_template(w, template)
    return w.text() if info.kind == "Deployment" else f"will roll back to {w.text()}"


@app.command("status")
def status(
    resources: Resources = None,
    namespace: Namespace = None,
    watch: bool = typer.Option(
        True, "--watch/--no-watch", "-w", help="Watch until the rollout is done."
    ),
    revision: int = typer.Option(
        0, "--revision", help="Pin to a specific revision.", click_type=INT
    ),
    timeout: str = typer.Option(
        "0s", "--timeout", help="How long to watch before giving up (0: forever)."
    ),
) -> None:
    """Show the status of the rollout, and by default watch it until it is done.

    A line is printed for each change of the object, as kubectl does (so lines repeat); the
    command fails when the Deployment exceeds its progress deadline or --timeout passes.

    Examples:
      mkctl rollout status deployment/web
      mkctl rollout status deployment/web --watch=false
      mkctl rollout status deployment/web --timeout=60s
    """
    from minikubectl.commands.rollout_status import watch_rollout_status
    from minikubectl.durations import duration_flag

    limit = duration_flag(timeout, "--timeout", "rollout status")
    client = Client(namespace)
    client.settle()
    info, obj, helpers = _target(client, resources, "status")
    watch_rollout_status(
        client, info, obj, helpers, revision=revision, watch=watch, timeout_seconds=limit
    )


def _simple(verb: str, past: str, action_of: Callable[[Rollout], Action | None]) -> None:
    def command(resources: Resources = None, namespace: Namespace = None) -> None:
        from minikubectl.kubectl.rollout import RolloutError

        client = Client(namespace)
        info, obj, helpers = _target(client, resources, verb)
        action = action_of(helpers)
        if action is None:
            raise CliError(_unsupported(info, obj["metadata"]["name"], verb))
        try:
            action(client.api, obj)
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


_simple("pause", "paused", lambda helpers: helpers.pause)
_simple("resume", "resumed", lambda helpers: helpers.resume)
_simple("restart", "restarted", lambda helpers: helpers.restart)
