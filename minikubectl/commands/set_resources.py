"""`set resources`: the requests and limits of a pod template's containers.

As staging/src/k8s.io/kubectl/pkg/cmd/set/set_resources.go: `--limits` and `--requests`
are `name=quantity` lists (`parseResourceList`, each quantity as `resource.ParseQuantity`
reads it); every container (and init container) whose name matches `-c` (a glob, `*` by
default) gets those keys set, its other keys kept; the change goes as a strategic merge
patch from the object as read, and nothing is sent (or printed) when nothing changes. A
change to a Deployment's template starts a rollout, as `set image` does.
"""

from __future__ import annotations

import copy
from fnmatch import fnmatchcase
from typing import Annotated

import typer

from controlplane.models.constants import Obj
from minikubectl.client import SET, Client
from minikubectl.commands.options import DryRun, Namespace, Output, dry_run_strategy, operation, out
from minikubectl.errors import CliError

QUANTITY_FORMAT = (
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
)


def parse_resource_list(spec: str) -> dict[str, str]:
    """parseResourceList: `cpu=200m,memory=512Mi` as canonical quantities."""
    from controlplane.models import quantity

    result: dict[str, str] = {}
    for statement in spec.split(",") if spec else []:
        parts = statement.split("=")
        if len(parts) != 2:
            raise CliError(f"invalid argument syntax {statement}, expected <resource>=<value>")
        try:
            result[parts[0]] = quantity.canonical(quantity.parse(parts[1]))
        except ValueError as exc:
            raise CliError(QUANTITY_FORMAT) from exc
    return result


def set_requirements(
    obj: Obj, selector: str, limits: dict[str, str], requests: dict[str, str]
) -> bool:
    """Set the keys on every selected container; False when no container matched."""
    spec = obj["spec"]["template"]["spec"] if "template" in obj.get("spec", {}) else obj["spec"]
    chosen = [
        c
        for c in [*spec.get("containers", []), *spec.get("initContainers", [])]
        if fnmatchcase(c.get("name", ""), selector)
    ]
    for container in chosen:
        resources = container.setdefault("resources", {})
        for field, values in (("limits", limits), ("requests", requests)):
            if values:
                resources.setdefault(field, {}).update(values)
    return bool(chosen)


def set_resources(
    args: Annotated[list[str] | None, typer.Argument(help="TYPE NAME or TYPE/NAME.")] = None,
    namespace: Namespace = None,
    containers: Annotated[
        str,
        typer.Option(
            "--containers",
            "-c",
            help="The names of containers in the selected pod templates "
            "to change (a glob); all containers are selected by default.",
        ),
    ] = "*",
    limits: Annotated[
        str,
        typer.Option(
            "--limits", help="The resource requirement limits, e.g. cpu=200m,memory=512Mi."
        ),
    ] = "",
    requests: Annotated[
        str,
        typer.Option(
            "--requests", help="The resource requirement requests, e.g. cpu=100m,memory=256Mi."
        ),
    ] = "",
    dry_run: DryRun = None,
    output: Output = None,
) -> None:
    """Update resource requests and limits on objects with pod templates.

    Examples:
      mkctl set resources deployment/web -c=nginx --limits=cpu=200m,memory=512Mi
      mkctl set resources deployment web --requests=cpu=100m
    """
    from minikubectl.kubectl.apply import create_three_way_patch
    from minikubectl.printers.output import parse_printer, print_each
    from minikubectl.resources import parse_targets

    strategy = dry_run_strategy(dry_run)
    printer = parse_printer(output) if output else None
    if not limits and not requests:
        raise CliError(
            "you must specify an update to requests or limits (in the form of --requests/--limits)"
        )
    wanted_limits, wanted_requests = parse_resource_list(limits), parse_resource_list(requests)
    targets = parse_targets(args or [])
    if not targets or any(name is None for _, name in targets):
        raise CliError(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>"
        )
    client = Client(namespace)
    for info, name in targets:
        assert name is not None
        read = client.get(info, name)
        obj = copy.deepcopy(read)
        if not set_requirements(obj, containers, wanted_limits, wanted_requests):
            raise CliError(f"error: unable to find container named {containers}")
        patch = create_three_way_patch(read, obj, read, info.kind)
        if not patch:
            continue
        if strategy != "client":
            obj = client.patch(info, read, patch, "strategic", strategy, field_manager=SET)
        if printer is not None:
            out(print_each(printer, [obj]))
        else:
            out(
                f"{info.kind_group}/{name} {operation('resource requirements updated', strategy)}\n"
            )
    if strategy == "none":
        client.settle()
