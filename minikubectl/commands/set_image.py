"""`set image`: change container images, which starts a rollout."""

from __future__ import annotations

from typing import Annotated

import click
import typer
from click.core import ParameterSource

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


def record_command_line(args: list[str]) -> str:
    """What `--record` stores, as kubectl's parseCommandArguments builds it
    (staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go): the command path and its
    arguments, then every flag the user set, in name order, as ` --name=value`; so a bare
    `--record` is recorded as `--record=true`."""
    context = click.get_current_context()
    flags = []
    for param in context.command.params:
        given = context.get_parameter_source(param.name or "") is ParameterSource.COMMANDLINE
        if not given or not isinstance(param, click.Option):
            continue
        name = max(param.opts, key=len).lstrip("-")
        value = context.params[param.name or ""]
        text = str(value).lower() if isinstance(value, bool) else str(value)
        flags.append(f" --{name}={text}")
    return " ".join(["kubectl", "set", "image", *args]) + "".join(sorted(flags))


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
        info, name, images, strategy, record_command_line(words) if record else None
    )
    if strategy == "none":
        client.settle(progress=not output)
    if changed is not None and printer is not None:
        out(print_each(printer, [changed]))
    elif changed is not None:
        out(f"{info.kind_group}/{name} {operation('image updated', strategy)}\n")


def _register_set_resources() -> None:
    from minikubectl.commands.set_resources import set_resources

    app.command("resources")(set_resources)


_register_set_resources()
