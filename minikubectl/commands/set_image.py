"""`set image`: change container images, which starts a rollout."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from minikubectl.client import Client
from minikubectl.commands.options import (
    DryRun,
    Namespace,
    Output,
    dry_run_strategy,
    err,
    operation,
    out,
)
from minikubectl.errors import CliError

app = typer.Typer(help="Set specific features on objects.", no_args_is_help=True)


def record_command_line() -> str:
    """What `--record` stores: kubectl's own command line, as kubectl records it."""
    return " ".join(["kubectl", *sys.argv[1:]])


@app.command("image")
def set_image(
    args: Annotated[
        list[str] | None,
        typer.Argument(help="TYPE NAME or TYPE/NAME, then CONTAINER=IMAGE..."),
    ] = None,
    namespace: Namespace = None,
    record: bool = typer.Option(
        False, "--record/--no-record", help="Record the command in the change-cause annotation."
    ),
    dry_run: DryRun = None,
    output: Output = None,
) -> None:
    """Update the image of a pod template's containers (use * for all containers).

    Examples:
      mkctl set image deployment/web nginx=nginx:1.16.1
      mkctl set image deployment web '*=nginx:1.17'
      mkctl set image deployment/web nginx=nginx:1.16.1 --dry-run=server -o yaml
    """
    from minikubectl.printers.output import parse_printer, print_each

    strategy = dry_run_strategy(dry_run)
    printer = parse_printer(output) if output else None
    words = args or []
    objects = [w for w in words if "=" not in w]
    images = dict(w.split("=", 1) for w in words if "=" in w)
    if not objects:
        raise CliError(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>"
        )
    if not images:
        raise CliError("at least one image update is required")
    from minikubectl.resources import single_target

    info, name = single_target(objects)
    if record:
        err("Flag --record has been deprecated, --record will be removed in the future")
    client = Client(namespace)
    changed = client.set_image(
        info, name, images, strategy, record_command_line() if record else None
    )
    if strategy == "none":
        client.settle()
    if changed is not None and printer is not None:
        out(print_each(printer, [changed]))
    elif changed is not None:
        out(f"{info.kind_group}/{name} {operation('image updated', strategy)}\n")
