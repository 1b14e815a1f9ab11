"""`mkctl get` without click or Typer, for the command lines typed most often.

Importing click and Typer and building the click command from `get`'s signature costs more
CPU than everything else `mkctl get pods` does with a daemon answering (connecting, the
request, the table), and more than all of `kubectl version --client`. So `main` first offers
the command line here: `get`, then only types, names and the flags below, each spelled out
(`-n NS`, `--namespace NS` or `--namespace=NS`) and given once. Such a command line runs the
code the Typer command runs (`commands/get_run.py`) with the values click would have parsed.
Every other command line, and so every usage error and every help text, is not read here:
`parse` returns None and the command takes Typer's path.
"""

from __future__ import annotations

import sys
from typing import Any, NamedTuple

# The flags read here that take a value (the next word, or after `=`), and the parameter of
# `get` each sets.
VALUED = {
    "-n": "namespace",
    "--namespace": "namespace",
    "-o": "output",
    "--output": "output",
    "-l": "selector",
    "--selector": "selector",
}
# The switches read here: the parameter each sets, and to what.
SWITCHES = {
    "-A": ("all_namespaces", True),
    "--all-namespaces": ("all_namespaces", True),
    "--no-all-namespaces": ("all_namespaces", False),
    "--show-labels": ("show_labels", True),
    "--no-show-labels": ("show_labels", False),
    "--show-kind": ("show_kind", True),
    "--no-show-kind": ("show_kind", False),
    "--no-headers": ("no_headers", True),
    "--headers": ("no_headers", False),
}


class GetLine(NamedTuple):
    """What click would pass `get` for a command line `parse` reads (the rest: defaults)."""

    resources: list[str]
    namespace: str | None = None
    output: str = ""
    selector: str | None = None
    all_namespaces: bool = False
    show_labels: bool = False
    show_kind: bool = False
    no_headers: bool = False


def parse(args: list[str]) -> GetLine | None:
    """`args` (as `normalize_args` leaves them: `-o=x` is then `-o x`) read as `get` and the
    flags above, or None for any other command line."""
    if args[:1] != ["get"]:
        return None
    resources: list[str] = []
    given: dict[str, Any] = {}
    words = iter(args[1:])
    for arg in words:
        if not arg.startswith("-"):
            resources.append(arg)
            continue
        flag, equals, value = arg.partition("=")
        if flag in VALUED:
            name = VALUED[flag]
            value = value if equals else next(words, "")
            if not value or value.startswith("-"):
                return None  # click's reading of these is not worth repeating here
            setting: str | bool = value
        elif arg in SWITCHES:
            name, setting = SWITCHES[arg]
        else:
            return None
        if name in given:
            return None  # given twice: left to click, which keeps the last
        given[name] = setting
    return GetLine(resources, **given)


def run(line: GetLine) -> int:
    """`get` for `line`, as the Typer command runs it: its exit code."""
    from minikubectl.client import Client
    from minikubectl.commands.get_run import print_objects, printer_for

    printer = printer_for(line.output, show_labels=line.show_labels, no_headers=line.no_headers)
    try:
        return print_objects(
            Client(line.namespace),
            printer,
            line.resources,
            all_namespaces=line.all_namespaces,
            selector=line.selector,
            show_labels=line.show_labels,
            no_headers=line.no_headers,
            show_kind=line.show_kind,
        )
    except BrokenPipeError:
        # as click's main: the reader has gone, so nothing more can be written, at exit either
        from click.utils import PacifyFlushWrapper

        sys.stdout = PacifyFlushWrapper(sys.stdout)
        sys.stderr = PacifyFlushWrapper(sys.stderr)
        return 1
