"""`--help` as kubectl users read it: a one-line summary, then examples, one per line.

Click rewraps every help paragraph, which would run an `Examples:` block together into one
line. `polish` walks the whole command tree once: it marks each examples paragraph with
click's no-rewrap marker, and gives each command group (`rollout`, `set`, `config`) an
examples block made of the first example of each of its subcommands, so that no command goes
without. Docstrings stay plain text.
"""

from __future__ import annotations

from collections.abc import Iterator

import click

EXAMPLES = "Examples:"
NO_REWRAP = "\b"


def walk(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, click.Command]]:
    """Every command under `command` (itself included), with its full name (`rollout undo`)."""
    yield " ".join(path), command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from walk(sub, (*path, name))


def examples(help_text: str) -> list[str]:
    """The example lines of a help text (indented lines after `Examples:`)."""
    _, found, block = help_text.partition(EXAMPLES)
    if not found:
        return []
    return [line.strip() for line in block.split("\n\n")[0].splitlines() if line.strip()]


def _verbatim_examples(help_text: str) -> str:
    before, found, after = help_text.partition(EXAMPLES)
    if not found or before.endswith(NO_REWRAP + "\n"):
        return help_text
    return f"{before}{NO_REWRAP}\n{EXAMPLES}{after}"


def polish(root: click.Command) -> click.Command:
    for path, command in walk(root):
        help_text = command.help or ""
        if path and isinstance(command, click.Group) and EXAMPLES not in help_text:
            lines = [
                examples(sub.help or "")[0]
                for sub in command.commands.values()
                if not sub.hidden and examples(sub.help or "")
            ]
            if lines:
                help_text = f"{help_text}\n\n{EXAMPLES}\n" + "\n".join(f"  {x}" for x in lines)
        command.help = _verbatim_examples(help_text)
    return root
