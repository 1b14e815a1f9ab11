"""Plugins: an executable `mkctl-foo` on PATH runs as `mkctl foo`, as kubectl plugins do.

staging/src/k8s.io/kubectl/pkg/cmd/cmd.go: when the command line names no built-in command
(`NewDefaultKubectlCommandWithArgs`, after cobra's `Find`), `HandlePluginCommand` takes the
arguments before the first flag, dashes in them turned to underscores, and looks on PATH for
the longest name they make (`mkctl foo bar baz` tries `mkctl-foo-bar-baz`, then
`mkctl-foo-bar`, then `mkctl-foo`); the plugin found replaces the mkctl process
(`DefaultPluginHandler.Execute`, `syscall.Exec`) with the remaining arguments. Built-in
commands always win; a flag before the plugin's name is refused. Nothing found: the
unknown-command error as usual. `create` alone also takes plugins for its subcommands
(`IsSubcommandPluginAllowed`): `mkctl create foo` runs `mkctl-create-foo` when `create` has
no `foo`. `plugin list` (staging/src/k8s.io/kubectl/pkg/cmd/plugin/
plugin.go) lists every `mkctl-*` file on PATH, with its warnings.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

PREFIX = "mkctl"
NOT_SEARCHED = ("help", "__complete", "__completeNoDesc")  # cobra's own commands


def names_a_plugin(args: list[str], builtins: Iterable[str], first: int) -> bool:
    """Whether `args` would fail cobra's Find: the first word after the flags (at `first`) is
    not a built-in command."""
    words = [a for a in args[first:] if not a.startswith("-")]
    return bool(words) and words[0] not in builtins and words[0] not in NOT_SEARCHED


# cmd.go IsSubcommandPluginAllowed: the built-in commands whose subcommands plugins may add
SUBCOMMAND_PLUGINS_ALLOWED = ("create",)


def subcommand_plugin_args(args: list[str], first: int, group: object) -> bool:
    """Whether `args` name a subcommand of an allowed group (at `first`) that the group lacks:
    then a plugin `mkctl-create-foo` may stand for it."""
    import click

    if args[first : first + 1] != ["create"] or not isinstance(group, click.Group):
        return False
    following = args[first + 1 : first + 2]
    return (
        bool(following) and not following[0].startswith("-") and following[0] not in group.commands
    )


def lookup(name: str) -> str | None:
    """DefaultPluginHandler.Lookup: `mkctl-NAME` on PATH, executable."""
    import shutil  # only when a command line names no built-in command

    return shutil.which(f"{PREFIX}-{name}")


def handle_plugin_command(args: list[str], min_args: int = 1) -> None:
    """Run the plugin `args` name, if there is one (this never returns then); return when
    there is none, so that the command line fails as an unknown command. Names of fewer
    than `min_args` words are not tried (`mkctl create foo` never runs `mkctl-create`)."""
    remaining: list[str] = []
    for arg in args:
        if arg.startswith("-"):
            break
        remaining.append(arg.replace("-", "_"))
    if not remaining:
        print(f"Error: flags cannot be placed before plugin name: {args[0]}", file=sys.stderr)
        sys.exit(1)
    while len(remaining) >= min_args:
        found = lookup("-".join(remaining))
        if found is not None:
            try:
                os.execve(found, [found, *args[len(remaining) :]], dict(os.environ))
            except OSError as exc:
                print(f"Error: {exc.strerror or exc}", file=sys.stderr)
                sys.exit(1)
        remaining.pop()


def plugin_paths() -> list[str]:
    """Every `mkctl-*` file in the directories of PATH (each once, in PATH's order), sorted
    by name within a directory as Go's `os.ReadDir` returns them; unreadable directories are
    reported and skipped."""
    found: list[str] = []
    for directory in dict.fromkeys(os.environ.get("PATH", "").split(os.pathsep)):
        if not directory.strip():
            continue
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            reason = (exc.strerror or str(exc)).lower()
            print(
                f'Unable to read directory "{directory}" from your PATH: open {directory}: '
                f"{reason}. Skipping...",
                file=sys.stderr,
            )
            continue
        found += [
            os.path.join(directory, e.name)
            for e in entries
            if e.name.startswith(f"{PREFIX}-") and not e.is_dir()
        ]
    return found


def is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.stat(path).st_mode & 0o111 != 0
