"""`delete`: by name, by file, by label or all, with kubectl's cascade choices."""

from __future__ import annotations

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
        -1, "--grace-period", help="Seconds a pod is given to terminate (-1: its default)."
    ),
    force: bool = typer.Option(
        False, "--force/--no-force", help="Delete immediately (grace period 0)."
    ),
    now_: bool = typer.Option(
        False, "--now/--no-now", help="Signal the pod for immediate shutdown (grace 1)."
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

    strategy = dry_run_strategy(dry_run)
    propagation = propagation_for(cascade)
    grace: int | None = None if grace_period < 0 else grace_period
    if now_:
        grace = 1
    if force:
        err(FORCE_WARNING)
        grace = 0
    elif grace == 0:
        grace = 1
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
    for info, ns, name in targets:
        try:
            if strategy == "client":  # nothing is sent, but the object must exist
                client.api.get(info.kind, ns, name)
            else:
                client.api.delete(
                    info.kind,
                    ns,
                    name,
                    propagation=propagation,
                    grace_period_seconds=grace,
                    dry_run=strategy == "server",
                )
        except ApiError as exc:
            err(render_api_error(exc))
            failed = True
            continue
        if output == "name":
            out(f"{info.kind_group}/{name}\n")
            continue
        where = f" from {ns} namespace" if ns else ""
        verb = "force deleted" if force else "deleted"
        out(f'{info.kind_group} "{name}" {operation(verb + where, strategy)}\n')
    if strategy == "none":
        client.settle()
    if failed:
        raise typer.Exit(1)
