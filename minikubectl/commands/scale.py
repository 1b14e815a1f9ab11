"""`scale`: set the replicas of a Deployment, ReplicaSet, StatefulSet or a custom resource
with a scale subresource."""

from __future__ import annotations

import typer

from minikubectl.client import Client
from minikubectl.commands.options import (
    DryRun,
    Namespace,
    Output,
    Resources,
    dry_run_strategy,
    operation,
    out,
)
from minikubectl.errors import CliError

REPLICAS_REQUIRED = (
    "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"
)


def scale(
    resources: Resources = None,
    replicas: int | None = typer.Option(
        None, "--replicas", help="The new desired number of replicas. Required.", show_default=False
    ),
    namespace: Namespace = None,
    dry_run: DryRun = None,
    output: Output = None,
) -> None:
    """Set a new size for a Deployment, ReplicaSet or StatefulSet.

    Examples:
      mkctl scale deployment/web --replicas=5
      mkctl scale deployment web --replicas 0
      mkctl scale statefulset web --replicas=5
      mkctl scale deployment/web --replicas=5 --dry-run=server -o yaml
    """
    from minikubectl.printers.output import parse_printer, print_each
    from minikubectl.resources import parse_targets

    if replicas is None:  # cobra's MarkFlagRequired, checked before anything else
        raise CliError('required flag(s) "replicas" not set')
    strategy = dry_run_strategy(dry_run)
    printer = parse_printer(output) if output else None

    if replicas < 0:
        raise CliError(REPLICAS_REQUIRED)
    targets = parse_targets(resources or [])
    if not targets or any(name is None for _, name in targets):
        raise CliError("resource(s) were provided, but no name was specified")
    client = Client(namespace)
    read = []
    for info, name in targets:
        assert name is not None
        if not any(sub.name == "scale" for sub in info.subresources):
            raise CliError(f'no objects passed to scale {info.resource} "{name}"')
        read.append((info, client.get(info, name)))  # kubectl's resource builder reads first
    scaled = [client.scale(info, obj, replicas, strategy) for info, obj in read]
    if strategy == "none":
        client.settle(progress=not output)
    if printer is not None:
        out(print_each(printer, scaled))
        return
    verb = operation("scaled", strategy)
    out("".join(f"{info.kind_group}/{name} {verb}\n" for info, name in targets))
