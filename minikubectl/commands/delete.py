"""`delete`: by name, by file, by label or all, with kubectl's cascade choices.

As staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go: the grace period flags are settled
in `Complete` and checked in `Validate` (`--now` is `--grace-period=1`, a grace period of 0
without `--force` becomes 1, `--force` alone is 0 with a warning); `--ignore-not-found`
defaults to true with `--all`, `-l` or `--field-selector`; and `DeleteResult` then waits,
unless `--wait=false`, until every deleted object is gone (`--timeout`, 0 meaning a week).
"""

from __future__ import annotations

from typing import Any

import typer

from minikubectl.client import Client
from minikubectl.commands import builder
from minikubectl.commands.options import (
    AllNamespaces,
    DryRun,
    FieldSelector,
    Filenames,
    Namespace,
    Output,
    Resources,
    Selector,
    dry_run_strategy,
    err,
    operation,
    out,
)
from minikubectl.errors import CliError, render_api_error
from minikubectl.intflags import INT

A_WEEK = 168 * 3600.0  # --timeout=0: "if we requested to wait forever, set it to a week"
CASCADES = {"background": "Background", "foreground": "Foreground", "orphan": "Orphan"}
LEGACY_CASCADES = {"true": "background", "false": "orphan"}
FORCE_WARNING = (
    "Warning: Immediate deletion does not wait for confirmation that the running resource has "
    "been terminated. The resource may continue to run on the cluster indefinitely."
)


def propagation_for(cascade: str) -> str:
    """kubectl's --cascade values, with the deprecated booleans."""
    value = cascade.lower()
    if value in LEGACY_CASCADES:
        replacement = LEGACY_CASCADES[value]
        err(
            f"warning: --cascade={value} is deprecated (boolean value) and can be replaced "
            f"with --cascade={replacement}."
        )
        value = replacement
    if value not in CASCADES:
        raise CliError(
            f'invalid cascade value ({cascade}). Must be "background", "foreground", or "orphan"'
        )
    return CASCADES[value]


def delete(
    resources: Resources = None,
    filename: Filenames = None,
    namespace: Namespace = None,
    all_namespaces: AllNamespaces = False,
    selector: Selector = None,
    all_: bool = typer.Option(
        False, "--all/--no-all", help="Delete all resources of the given types."
    ),
    cascade: str = typer.Option(
        "background",
        "--cascade",
        help="background, foreground or orphan: what happens to dependents.",
    ),
    grace_period: int = typer.Option(
        -1,
        "--grace-period",
        help="Period of time in seconds given to the resource to terminate gracefully. "
        "Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when "
        "--force is true (force deletion).",
        click_type=INT,
    ),
    force: bool = typer.Option(
        False,
        "--force/--no-force",
        help="If true, immediately remove resources from API and bypass graceful deletion.",
    ),
    now_: bool = typer.Option(
        False,
        "--now/--no-now",
        help="If true, resources are signaled for immediate shutdown (same as --grace-period=1).",
    ),
    ignore_not_found: bool | None = typer.Option(
        None,
        "--ignore-not-found/--no-ignore-not-found",
        help='Treat "resource not found" as a successful delete. Defaults to "true" when '
        "--all is specified.",
        show_default=False,
    ),
    wait: bool = typer.Option(
        True,
        "--wait/--no-wait",
        help="If true, wait for resources to be gone before returning. This waits for finalizers.",
    ),
    timeout: str = typer.Option(
        "0s",
        "--timeout",
        help="The length of time to wait before giving up on a delete, zero means a week.",
    ),
    output: Output = None,
    field_selector: FieldSelector = None,
    dry_run: DryRun = None,
) -> None:
    """Delete resources by file names, stdin, resources and names, or by label selector.

    Deleting a Deployment deletes its ReplicaSets and their Pods (cascade=background);
    --cascade=orphan leaves them running without an owner.

    Examples:
      mkctl delete pod web-7c5ddbdf54-2xkzq
      mkctl delete deployment/web
      mkctl delete -f samples/02-deployment.yaml
      mkctl delete pods -l app=web
      mkctl delete rs --all --cascade=orphan
      mkctl delete deployment web --dry-run=server
    """
    from controlplane.api.errors import ApiError
    from minikubectl.commands.deletion import wait_until_deleted
    from minikubectl.durations import duration_flag

    if output not in (None, "name"):
        raise CliError(f"unexpected -o output mode: {output}. We only support '-o name'")
    seconds = duration_flag(timeout, "--timeout", "delete")
    strategy = dry_run_strategy(dry_run)
    propagation = propagation_for(cascade)
    grace = grace_period_for(grace_period, now_=now_, force=force)
    if ignore_not_found is None:
        ignore_not_found = bool(all_ or selector or field_selector)
    client = Client(namespace)
    targets = builder.select(
        client,
        resources or [],
        filename or [],
        all_namespaces=all_namespaces,
        selector=selector,
        all_=all_,
        field_selector=field_selector,
    )
    if not targets:
        out("No resources found\n")
        return
    failed = False
    deleted: list[tuple[builder.Target, str]] = []
    for info, ns, name in targets:
        try:
            if strategy == "client":  # nothing is sent, but the object must exist
                client.api.get(info.kind, ns, name)
                answer: dict[str, Any] = {}
            else:
                answer = client.api.delete(
                    info.kind,
                    ns,
                    name,
                    propagation=propagation,
                    grace_period_seconds=grace,
                    dry_run=strategy == "server",
                )
        except ApiError as exc:
            if not (ignore_not_found and exc.reason == "NotFound"):
                err(render_api_error(exc))
                failed = True
            continue
        deleted.append(((info, ns, name), deleted_uid(answer)))
        if output == "name":
            out(f"{info.kind_group}/{name}\n")
            continue
        where = f" from {ns} namespace" if ns else ""
        verb = "force deleted" if grace == 0 else "deleted"
        out(f'{info.kind_group} "{name}" {operation(verb + where, strategy)}\n')
    if strategy == "none":
        client.settle()
        if wait and deleted:
            wait_until_deleted(client, deleted, seconds or A_WEEK)
    if failed:
        raise typer.Exit(1)


def grace_period_for(grace_period: int, *, now_: bool, force: bool) -> int | None:
    """DeleteOptions.Complete and Validate's grace period: None leaves the object's own."""
    if now_:
        if grace_period != -1:
            raise CliError("--now and --grace-period cannot be specified together")
        grace_period = 1
    if grace_period == 0 and not force:
        grace_period = 1  # a --grace-period=0 without --force could lose data
    if force and grace_period < 0:
        grace_period = 0
    if force and grace_period == 0:
        err(FORCE_WARNING)
    elif force and grace_period > 0:
        raise CliError("--force and --grace-period greater than 0 cannot be specified together")
    return None if grace_period < 0 else grace_period


def deleted_uid(answer: dict[str, Any]) -> str:
    """The uid of what was deleted: the object still terminating, or the `Success` Status's
    details (delete.go `DeleteResult`'s UIDMap)."""
    uid = (answer.get("metadata") or {}).get("uid") or (answer.get("details") or {}).get("uid")
    return str(uid or "")
