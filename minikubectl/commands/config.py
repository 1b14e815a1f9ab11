"""`config view|current-context|get-contexts|use-context|set-context`: the mkctl kubeconfig.

Messages are kubectl's (staging/src/k8s.io/kubectl/pkg/cmd/config), checked against kubectl 1.37.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from minikubectl import config
from minikubectl.commands.options import out
from minikubectl.errors import CliError

app = typer.Typer(
    help="Modify the mkctl config: the current context and its namespace.",
    no_args_is_help=True,
)


@app.command("view")
def view(
    minify: bool = typer.Option(
        False, "--minify/--no-minify", help="Only show what the current context uses."
    ),
    output: str = typer.Option("yaml", "--output", "-o", help="Output format: yaml or json."),
) -> None:
    """Display the config, as a kubeconfig.

    Examples:
      mkctl config view
      mkctl config view --minify -o json
    """
    from minikubectl.printers import formats

    doc = config.load()
    if minify:
        doc = config.minify(doc)
    output = output.lstrip("=")
    if output == "json":
        out(json.dumps(doc, indent=4, ensure_ascii=False) + "\n")
    elif output == "yaml":
        out(formats.to_yaml(doc))
    else:
        raise CliError(
            f'unable to match a printer suitable for the output format "{output}", allowed '
            f"formats are: json,yaml"
        )


@app.command("current-context")
def current_context() -> None:
    """Display the current context.

    Examples:
      mkctl config current-context
    """
    name = config.load().get("current-context")
    if not name:
        raise CliError("current-context is not set")
    out(f"{name}\n")


@app.command("get-contexts")
def get_contexts(
    name: Annotated[str | None, typer.Argument(help="Show only this context.")] = None,
    output: str = typer.Option("", "--output", "-o", help="Output format: name."),
    no_headers: bool = typer.Option(False, "--no-headers/--headers", help="Don't print headers."),
) -> None:
    """Describe one or many contexts.

    Examples:
      mkctl config get-contexts
      mkctl config get-contexts -o name
    """
    from minikubectl.printers.tabwriter import get_table

    doc = config.load()
    current = doc.get("current-context")
    entries = sorted(doc.get("contexts") or [], key=lambda e: str(e.get("name")))
    shown = [e for e in entries if name is None or e.get("name") == name]
    if output.lstrip("=") == "name":
        out("".join(f"{e['name']}\n" for e in shown))
    else:
        lines = [] if no_headers else ["CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE"]
        for entry in shown:
            context = entry.get("context") or {}
            marker = "*" if entry.get("name") == current else ""
            cells = [marker, entry.get("name"), context.get("cluster"), context.get("user")]
            lines.append("\t".join(str(c or "") for c in [*cells, context.get("namespace")]))
        out(get_table("".join(line + "\n" for line in lines)))
    if name is not None and not shown:
        raise CliError(f"context {name} not found")


@app.command("use-context")
def use_context(name: Annotated[str, typer.Argument(help="The context to switch to.")]) -> None:
    """Set the current context.

    Examples:
      mkctl config use-context mkctl
    """
    config.save(config.use_context(config.load(), name))
    out(f'Switched to context "{name}".\n')


@app.command("set-context")
def set_context(
    name: Annotated[str | None, typer.Argument(help="The context to create or modify.")] = None,
    current: bool = typer.Option(False, "--current/--no-current", help="Modify the current one."),
    namespace: str | None = typer.Option(
        None, "--namespace", help="The namespace commands use when given none."
    ),
) -> None:
    """Set a context entry in the config; with --namespace, the namespace every command uses.

    Examples:
      mkctl config set-context --current --namespace=shop
      mkctl config set-context --current --namespace=    # back to default
    """
    if name and current:
        raise CliError("you cannot specify both a context name and --current")
    doc = config.load()
    if current:
        name = doc.get("current-context") or ""
        if not name:
            raise CliError("no current context is set")
    if not name:
        raise CliError("you must specify a non-empty context name or --current")
    new, existed = config.set_context(doc, name, namespace)
    config.save(new)
    out(f'Context "{name}" {"modified" if existed else "created"}.\n')
