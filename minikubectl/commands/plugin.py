"""`plugin list`: the `mkctl-*` executables on PATH, as kubectl lists its plugins.

staging/src/k8s.io/kubectl/pkg/cmd/plugin/plugin.go `PluginListOptions.Run`: every candidate
file's path (or name, with `--name-only`), then on stderr the `CommandOverrideVerifier`'s
warnings under it (not executable, shadowed by an earlier one of the same name on PATH, or
overwriting a built-in command, which always wins); any warning, or no plugin at all, fails
the command.
"""

from __future__ import annotations

import os
from typing import Annotated

import click
import typer

from minikubectl.commands.options import err, out
from minikubectl.errors import CliError
from minikubectl.plugins import PREFIX, is_executable, plugin_paths

app = typer.Typer(help="Provides utilities for interacting with plugins.", no_args_is_help=True)


def overwritten(root: click.Command, ctx: click.Context, name: str) -> str | None:
    """The built-in command a plugin named `name` would stand for, as cobra's `Find` resolves
    its dash-separated words, if the first word is a command."""
    command, path = root, [PREFIX]
    for word in name.split("-")[1:]:
        sub = command.get_command(ctx, word) if isinstance(command, click.Group) else None
        if sub is None:
            break
        command, path = sub, [*path, word]
    return " ".join(path) if len(path) > 1 else None


def warnings(path: str, seen: dict[str, str], root: click.Command, ctx: click.Context) -> list[str]:
    """CommandOverrideVerifier.Verify for one plugin file."""
    name = os.path.basename(path)
    found = []
    if not is_executable(path):
        found.append(f"warning: {path} identified as a {PREFIX} plugin, but it is not executable")
    if name in seen:
        found.append(f"warning: {path} is overshadowed by a similarly named plugin: {seen[name]}")
    else:
        seen[name] = path
    if (command := overwritten(root, ctx, name)) is not None:
        found.append(f'warning: {name} overwrites existing command: "{command}"')
    return found


@app.command("list")
def list_plugins(
    name_only: Annotated[
        bool,
        typer.Option(
            "--name-only/--no-name-only",
            help="If true, display only the binary name of each plugin, rather than its full path.",
        ),
    ] = False,
) -> None:
    """List all visible plugin executables on a user's PATH.

    Any executable whose name starts with `mkctl-` is a plugin: `mkctl-foo` runs as
    `mkctl foo`, `mkctl-foo-bar` as `mkctl foo bar`.

    Examples:
      mkctl plugin list
      mkctl plugin list --name-only
    """
    ctx = click.get_current_context()
    root = ctx.find_root().command
    plugins = plugin_paths()
    errors = []
    if plugins:
        out("The following compatible plugins are available:\n\n")
    else:
        errors.append(f"error: unable to find any {PREFIX} plugins in your PATH")
    seen: dict[str, str] = {}
    count = 0
    for path in plugins:
        out(f"{os.path.basename(path) if name_only else path}\n")
        for warning in warnings(path, seen, root, ctx):
            err(f"  - {warning}")
            count += 1
    if count:
        errors.append(
            "error: one plugin warning was found"
            if count == 1
            else f"error: {count} plugin warnings were found"
        )
    if errors:
        raise CliError("\n".join(errors), prefixed=False)
