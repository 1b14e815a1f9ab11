"""`apply -f` and `create -f`: send manifests, all of them or none (or none at all: --dry-run)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from minikubectl import manifest_writes
from minikubectl.client import Client
from minikubectl.commands.options import (
    DryRun,
    Filenames,
    Namespace,
    Output,
    Validate,
    dry_run_strategy,
    err,
    out,
)
from minikubectl.errors import CliError
from minikubectl.manifest_writes import Outcome

if TYPE_CHECKING:
    from minikubectl.manifests import Manifest


def report(outcomes: list[Outcome], output: str | None, *, as_list: bool) -> None:
    """`kind/name verb` lines, or the objects in the -o format (apply prints one List)."""
    from minikubectl.printers import formats
    from minikubectl.printers.output import parse_printer, print_each

    if not output:
        out("".join(f"{o}\n" for o in outcomes))
        return
    printer = parse_printer(output)
    objects = [o.obj for o in outcomes if o.obj is not None]
    if printer.format == "name" or not as_list:
        out(print_each(printer, objects))
    elif objects:
        out(printer.render(objects[0] if len(objects) == 1 else formats.as_list(objects)))


def manifests_to_send(
    verb: str, filename: list[str] | None, dry_run: str | None, output: str | None, validate: str
) -> tuple[str, str, list[Manifest]]:
    """What apply and create check before any request, in kubectl's order: the --dry-run
    strategy, the --validate directive, the -o printer, then the manifests (none at all is
    an error)."""
    from minikubectl.commands.options import validation_directive
    from minikubectl.manifests import read_manifests
    from minikubectl.printers.output import parse_printer

    strategy = dry_run_strategy(dry_run)
    directive = validation_directive(validate)
    if output:
        parse_printer(output)
    manifests = read_manifests(filename or [], directive)
    if not manifests:
        raise CliError(f"no objects passed to {verb}")
    return strategy, directive, manifests


def apply(
    filename: Filenames = None,
    namespace: Namespace = None,
    dry_run: DryRun = None,
    output: Output = None,
    server_side: bool = typer.Option(
        False,
        "--server-side/--no-server-side",
        help="Apply in the server: it merges the manifest and records who owns each field.",
    ),
    force_conflicts: bool = typer.Option(
        False,
        "--force-conflicts/--no-force-conflicts",
        help="With --server-side, take over fields that other managers own.",
    ),
    field_manager: str = typer.Option(
        "", "--field-manager", help="Name of the manager used to track field ownership."
    ),
    validate: Validate = "strict",
) -> None:
    """Apply a configuration to a resource by file name or stdin.

    Creates what does not exist yet and updates what does, with a three-way merge against
    the last-applied configuration, so fields you removed from the file are removed and
    fields others set (like replicas changed by `mkctl scale`) are restored from the file.

    Examples:
      mkctl apply -f samples/02-deployment.yaml
      mkctl apply -f samples/
      cat pod.yaml | mkctl apply -f -
      mkctl apply -f samples/02-deployment.yaml --dry-run=server -o yaml
      mkctl apply -f samples/02-deployment.yaml --server-side --force-conflicts
    """
    strategy, directive, manifests = manifests_to_send("apply", filename, dry_run, output, validate)
    client = Client(namespace, field_validation=directive)
    if force_conflicts and not server_side:
        raise CliError("--force-conflicts only works with --server-side")
    if server_side:
        from minikubectl.client import SERVER_SIDE_APPLY

        manager = field_manager or SERVER_SIDE_APPLY
        outcomes = manifest_writes.server_side_apply(
            client, manifests, manager, force_conflicts, strategy
        )
    else:
        outcomes = manifest_writes.apply(client, manifests, strategy)
    for warning in client.warnings:
        err(warning)
    if strategy == "none":
        client.settle(progress=not output)
    report(outcomes, output, as_list=True)


def create(
    filename: list[str] | None,
    namespace: str | None,
    dry_run: str | None,
    output: str | None,
    validate: str,
) -> None:
    """`create -f`: every document created, or none; fails if any already exists."""
    strategy, directive, manifests = manifests_to_send(
        "create", filename, dry_run, output, validate
    )
    client = Client(namespace, field_validation=directive)
    outcomes = manifest_writes.create(client, manifests, strategy)
    if strategy == "none":
        client.settle(progress=not output)
    report(outcomes, output, as_list=False)
