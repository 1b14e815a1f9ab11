"""`scale`: set the replicas of a Deployment, ReplicaSet or StatefulSet."""

from __future__ import annotations

import typer

from minikubectl.client import Client
from minikubectl.commands.options import Namespace, Resources, out
from minikubectl.errors import CliError

SCALABLE = ("Deployment", "ReplicaSet", "StatefulSet")
REPLICAS_REQUIRED = (
    "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"
)


def scale(
    resources: Resources = None,
    replicas: int = typer.Option(-1, "--replicas", help="The new desired number of replicas."),
    namespace: Namespace = None,
) -> None:
    """Set a new size for a Deployment, ReplicaSet or StatefulSet.

    Examples:
      mkctl scale deployment/web --replicas=5
      mkctl scale deployment web --replicas 0
      mkctl scale statefulset web --replicas=5
    """
    from minikubectl.resources import parse_targets

    if replicas < 0:
        raise CliError(REPLICAS_REQUIRED)
    targets = parse_targets(resources or [])
    if not targets or any(name is None for _, name in targets):
        raise CliError("resource(s) were provided, but no name was specified")
    client = Client(namespace)
    for info, name in targets:
        assert name is not None
        if info.kind not in SCALABLE:
            raise CliError(f'no objects passed to scale {info.resource} "{name}"')
        client.scale(info, name, replicas)
    client.settle()
    out("".join(f"{info.kind_group}/{name} scaled\n" for info, name in targets))
