"""Options shared by many commands, spelled as kubectl spells them."""

from __future__ import annotations

import sys
import time
from typing import Annotated

import typer

from minikubectl.completers import complete_namespaces, complete_resources

Namespace = Annotated[
    str | None,
    typer.Option(
        "--namespace",
        "-n",
        help="If present, the namespace scope for this request.",
        autocompletion=complete_namespaces,
    ),
]
AllNamespaces = Annotated[
    bool,
    typer.Option(
        "--all-namespaces/--no-all-namespaces",
        "-A",
        help="List the requested object(s) across all namespaces.",
    ),
]
Selector = Annotated[
    str | None,
    typer.Option(
        "--selector",
        "-l",
        help="Selector (label query) to filter on, e.g. -l key1=value1,key2=value2.",
    ),
]
Output = Annotated[
    str | None,
    typer.Option("--output", "-o", help="Output format: wide, yaml, json or name."),
]
Filenames = Annotated[
    list[str] | None,
    typer.Option("--filename", "-f", help="File, directory or - (stdin) with the manifests."),
]
Resources = Annotated[
    list[str] | None,
    typer.Argument(
        help="TYPE[,TYPE...] [NAME...] or TYPE/NAME.", autocompletion=complete_resources
    ),
]


def out(text: str) -> None:
    """Write to stdout exactly as given (kubectl output is byte-stable)."""
    sys.stdout.write(text)


def err(text: str) -> None:
    sys.stderr.write(text if text.endswith("\n") else text + "\n")


def now() -> float:
    return time.time()
