"""Options shared by many commands, spelled as kubectl spells them."""

from __future__ import annotations

import sys
import time
from typing import Annotated

import typer

Namespace = Annotated[
    str | None,
    typer.Option("--namespace", "-n", help="If present, the namespace scope for this request."),
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
FieldSelector = Annotated[
    str | None,
    typer.Option(
        "--field-selector",
        help="Selector (field query) to filter on, e.g. --field-selector status.phase=Running.",
    ),
]
Output = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="Output format: json, yaml, name, wide, jsonpath=..., custom-columns=... (get).",
    ),
]
Filenames = Annotated[
    list[str] | None,
    typer.Option("--filename", "-f", help="File, directory or - (stdin) with the manifests."),
]
Resources = Annotated[
    list[str] | None, typer.Argument(help="TYPE[,TYPE...] [NAME...] or TYPE/NAME.")
]


def out(text: str) -> None:
    """Write to stdout exactly as given (kubectl output is byte-stable)."""
    sys.stdout.write(text)


def err(text: str) -> None:
    sys.stderr.write(text if text.endswith("\n") else text + "\n")


def now() -> float:
    return time.time()
