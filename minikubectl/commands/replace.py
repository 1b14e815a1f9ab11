"""`replace -f`: put whole objects in place of the live ones (kubectl's pkg/cmd/replace).

Unlike `apply`, nothing is merged: the object in the file becomes the object (its status is
the server's), and fields missing from the file are gone. Each object is replaced on its own,
as kubectl does (an error on one does not stop the others). `--force` deletes and re-creates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from minikubectl.client import Client
from minikubectl.commands.options import (
    DryRun,
    Filenames,
    Namespace,
    Output,
    Validate,
    dry_run_strategy,
    operation,
    out,
    validation_directive,
)
from minikubectl.errors import CliError, Failures, render_api_error

if TYPE_CHECKING:
    from controlplane.api.registry import KindInfo
    from controlplane.models.constants import Obj

FIELD_MANAGER = "kubectl-replace"


def replace(
    filename: Filenames = None,
    namespace: Namespace = None,
    force: bool = typer.Option(
        False, "--force/--no-force", help="Delete and re-create the objects."
    ),
    dry_run: DryRun = None,
    output: Output = None,
    validate: Validate = "strict",
) -> None:
    """Replace a resource by file name or stdin.

    Examples:
      mkctl replace -f web.yaml
      mkctl replace --force -f web.yaml
    """
    from controlplane.api.errors import ApiError
    from minikubectl.manifest_writes import prepare
    from minikubectl.manifests import read_manifests
    from minikubectl.printers.output import parse_printer, print_each

    strategy = dry_run_strategy(dry_run)
    directive = validation_directive(validate)
    printer = parse_printer(output) if output else None
    if not filename:
        raise CliError(
            "Must specify --filename to replace\nSee 'mkctl replace -h' for help and examples"
        )
    client = Client(namespace, field_validation=directive)
    failures = Failures()
    for m in read_manifests(filename, directive):
        info, obj = prepare(client, m)
        name = obj["metadata"].get("name", "")
        try:
            if force and strategy != "client":
                ns = client.namespace_for(info, obj)
                client.api.delete(info.kind, ns, name, dry_run=strategy == "server")
                where = f" from {ns} namespace" if ns else ""
                out(f'{info.kind_group} "{name}" {operation("deleted" + where, strategy)}\n')
                obj = client.api.create(
                    obj, dry_run=strategy == "server", field_manager=FIELD_MANAGER
                )
            elif strategy != "client":
                obj = overwrite(client, info, obj, dry_run=strategy == "server")
        except ApiError as exc:
            failures.add(
                CliError(render_api_error(exc, verb="replacing", source=m.source), prefixed=False)
            )
            continue
        if printer is not None:
            out(print_each(printer, [obj]))
        else:
            out(f"{info.kind_group}/{name} {operation('replaced', strategy)}\n")
    if strategy == "none":
        client.settle()
    if failures:
        raise failures.error()


def overwrite(client: Client, info: KindInfo, obj: Obj, *, dry_run: bool) -> Obj:
    """The PUT of `obj` as kubectl's resource helper sends it with `overwrite`
    (staging/src/k8s.io/cli-runtime/pkg/resource/helper.go Helper.Replace): an object
    without a resourceVersion is first read, and put at the live object's version, so a write
    in between is a Conflict; when that read fails (the object is missing) it is put as it is,
    and the server's answer is the error."""
    from controlplane.api.errors import ApiError

    meta = obj["metadata"]
    if not meta.get("resourceVersion"):
        try:
            live = client.api.get(info.kind, client.namespace_for(info, obj), meta["name"])
        except ApiError:
            pass
        else:
            version = live["metadata"]["resourceVersion"]
            obj = {**obj, "metadata": {**meta, "resourceVersion": version}}
    return client.api.update(obj, dry_run=dry_run, field_manager=FIELD_MANAGER)
