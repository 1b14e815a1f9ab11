"""`create -f FILE` and its generators (`create namespace NAME`), as in kubectl.

`create` is a group so that `mkctl create namespace shop` and `mkctl create -f x.yaml` both
work; the file form runs when no generator is named.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from minikubectl.client import Client
from minikubectl.commands import apply
from minikubectl.commands.options import DryRun, Filenames, Namespace, Output, out
from minikubectl.errors import CliError

app = typer.Typer(no_args_is_help=False)

DRY_RUN_VALUES = {"none": "", "client": " (dry run)", "server": " (server dry run)"}


@app.callback(invoke_without_command=True)
def create(
    ctx: typer.Context,
    filename: Filenames = None,
    namespace: Namespace = None,
    dry_run: DryRun = None,
    output: Output = None,
) -> None:
    """Create resources from a file or from stdin; fails if any already exists.

    Examples:
      mkctl create -f samples/01-pod.yaml
      mkctl create -f samples/01-pod.yaml --dry-run=client -o yaml
      mkctl create namespace shop
    """
    if ctx.invoked_subcommand is None:
        apply.create(filename, namespace, dry_run, output)


def _namespace(
    names: Annotated[
        list[str] | None, typer.Argument(help="The name of the new namespace.")
    ] = None,
    dry_run: str = typer.Option(
        "none", "--dry-run", help='"none", "server", or "client": only show what would be made.'
    ),
    output: str = typer.Option("", "--output", "-o", help="Output format: yaml, json or name."),
) -> None:
    """Create a namespace with the specified name.

    Examples:
      mkctl create namespace shop
      mkctl create ns shop --dry-run=client -o yaml
    """
    if len(names or []) != 1:
        raise CliError(
            f"exactly one NAME is required, got {len(names or [])}\n"
            "See 'kubectl create namespace -h' for help and examples"
        )
    (name,) = names or []
    if dry_run not in DRY_RUN_VALUES:
        raise CliError(f'Invalid dry-run value ({dry_run}). Must be "none", "server", or "client".')
    output = output.lstrip("=")
    if output not in ("", "yaml", "json", "name"):
        raise CliError(
            f'unable to match a printer suitable for the output format "{output}", allowed '
            f"formats are: json,name,yaml"
        )
    from minikubectl.printers import formats

    # The object kubectl's generator sends (struct field order, as `-o json` prints it).
    obj = {"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": name}, "spec": {}}
    if dry_run != "client":
        client = Client()
        obj = formats.omit_managed_fields(client.create_object(obj, dry_run=dry_run == "server"))
        client.settle()
    else:
        obj["status"] = {}
    if output == "json":
        out(json.dumps(obj, indent=4) + "\n" if dry_run == "client" else formats.to_json(obj))
    elif output == "yaml":
        out(formats.to_yaml(obj))
    elif output == "name":
        out(f"namespace/{name}\n")
    else:
        out(f"namespace/{name} created{DRY_RUN_VALUES[dry_run]}\n")


app.command("namespace")(_namespace)
app.command("ns", hidden=True)(_namespace)
