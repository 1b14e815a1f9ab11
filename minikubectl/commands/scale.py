"""`scale`: set the replicas of a Deployment, ReplicaSet, StatefulSet or a custom resource
with a scale subresource."""

from __future__ import annotations

import functools

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
from minikubectl.errors import CliError, Failures
from minikubectl.intflags import INT

REPLICAS_REQUIRED = (
    "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"
)
CURRENT_REPLICAS = "The --current-replicas must specify an integer of -1 or greater"


def scale(
    resources: Resources = None,
    replicas: int | None = typer.Option(
        None,
        "--replicas",
        help="The new desired number of replicas. Required.",
        show_default=False,
        click_type=INT,
    ),
    current_replicas: int = typer.Option(
        -1,
        "--current-replicas",
        help="Precondition for current size. Requires that the current size of the resource "
        "match this value in order to scale. -1 (default) for no condition.",
        show_default=False,
        click_type=INT,
    ),
    resource_version: str = typer.Option(
        "",
        "--resource-version",
        help="Precondition for resource version. Requires that the current resource version "
        "match this value in order to scale.",
        show_default=False,
    ),
    namespace: Namespace = None,
    dry_run: DryRun = None,
    output: Output = None,
) -> None:
    """Set a new size for a Deployment, ReplicaSet or StatefulSet.

    If --current-replicas or --resource-version is given, it is checked before the scale,
    and it holds when the new size is written.

    Examples:
      mkctl scale deployment/web --replicas=5
      mkctl scale deployment web --replicas 0
      mkctl scale --current-replicas=2 --replicas=3 deployment/web
      mkctl scale statefulset web --replicas=5
      mkctl scale deployment/web --replicas=5 --dry-run=server -o yaml
    """
    from controlplane.api.errors import ApiError
    from minikubectl.kubectl.scale import NO_SIZE, ScalePrecondition, scale_object
    from minikubectl.printers.output import parse_printer, print_each
    from minikubectl.resources import parse_targets

    if replicas is None:  # cobra's MarkFlagRequired, checked before anything else
        raise CliError('required flag(s) "replicas" not set')
    strategy = dry_run_strategy(dry_run)
    printer = parse_printer(output) if output else None

    if replicas < 0:  # ScaleOptions.Validate
        raise CliError(REPLICAS_REQUIRED)
    if current_replicas < NO_SIZE:
        raise CliError(CURRENT_REPLICAS)
    targets = parse_targets(resources or [])
    if not targets or any(name is None for _, name in targets):
        raise CliError("resource(s) were provided, but no name was specified")
    client = Client(namespace)
    read, missing = [], Failures()
    for info, name in targets:
        assert name is not None
        if not any(sub.name == "scale" for sub in info.subresources):
            raise CliError(f'no objects passed to scale {info.resource} "{name}"')
        try:  # kubectl's resource builder reads first, past what it cannot read (RunScale)
            read.append((info, client.get(info, name)))
        except ApiError as exc:
            missing.add(exc)
    if resource_version and len(read) > 1:
        raise CliError("cannot use --resource-version with multiple resources")
    if not read:
        raise missing.error()
    # only a precondition asked for reads the Scale first; else a blind patch (RunScale)
    precondition = None
    if current_replicas != NO_SIZE or resource_version:
        precondition = ScalePrecondition(current_replicas, resource_version)
    verb, scaled = operation("scaled", strategy), []
    try:  # each scaled before a failed precondition is written, and printed, as kubectl does
        for info, obj in read:
            request = functools.partial(client.scale_request, info, obj)
            scaled.append(scale_object(request, info, obj, replicas, strategy, precondition))
    finally:
        if scaled and strategy == "none":
            client.settle(progress=not output)
        done = read[: len(scaled)]
        lines = "".join(f"{info.kind_group}/{o['metadata']['name']} {verb}\n" for info, o in done)
        out(print_each(printer, scaled) if printer is not None else lines)
    if missing:  # what was not found, after scaling what was
        raise missing.error()
