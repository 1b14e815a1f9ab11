"""`-o custom-columns=HEADER:PATH,...` and `-o custom-columns-file=FILE`, as kubectl prints them.

A port of kubectl's `pkg/cmd/get/customcolumn.go`. Each column is a header and a "relaxed"
JSONPath (`metadata.name`, `.metadata.name`, `{metadata.name}` and `{.metadata.name}` all mean
`{.metadata.name}`); a cell is every value the path finds, each printed with Go's `fmt.Sprint`
(`map[app:web]`, `[80 443]`), joined by commas, or `<none>` when it finds nothing. Rows go
through the same tabwriter as `get` tables. The spec is checked before anything is fetched;
a path that fails on an object (an index out of range) fails the command after the rows
printed so far, as kubectl's deferred flush does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from controlplane.models.constants import Obj
from minikubectl.errors import CliError, PartialOutput
from minikubectl.printers import jsonpath
from minikubectl.printers.gofmt import sprint
from minikubectl.printers.tabwriter import get_table

_RELAXED = re.compile(r"\{\.?([^{}]+)\}|\.?([^{}]+)")
_TERMINAL_ESCAPES = str.maketrans({"\x1b": "^[", "\r": "\\r"})
BAD_PATH = (
    "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' "
    "or '{.name1.name2}'"
)
TEMPLATE_HELP = (
    "Expected format is one line of space separated headers, one line of space separated "
    "column specs."
)


def relaxed_jsonpath(path: str) -> str:
    """RelaxedJSONPathExpression: `metadata.name` and friends as `{.metadata.name}`."""
    if not path:
        return path
    match = _RELAXED.fullmatch(path)
    if match is None:
        raise CliError(BAD_PATH)
    return "{." + (match.group(1) or match.group(2)) + "}"


@dataclass(frozen=True)
class Column:
    header: str
    path: str  # the full JSONPath template, `{.metadata.name}`


def from_spec(spec: str) -> list[Column]:
    """NewCustomColumnsPrinterFromSpec: `NAME:.metadata.name,IMAGE:.spec.containers[0].image`."""
    if not spec:
        raise CliError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, colon, path = part.partition(":")
        if not colon:
            raise CliError(
                f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            )
        columns.append(Column(header, relaxed_jsonpath(path)))
    return columns


def from_template(text: str) -> list[Column]:
    """NewCustomColumnsPrinterFromTemplate: a line of headers, then a line of paths."""
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if lines[-1] == "":  # bufio.Scanner does not return the empty tail after the last newline
        lines.pop()
    if not lines:
        raise CliError(f"invalid template, missing header line. {TEMPLATE_HELP}")
    if len(lines) < 2:
        raise CliError(f"invalid template, missing spec line. {TEMPLATE_HELP}")
    headers, paths = lines[0].split(), lines[1].split()
    if len(headers) != len(paths):
        raise CliError(
            f"number of headers ({len(headers)}) and field specifications ({len(paths)}) "
            "don't match"
        )
    return [Column(h, relaxed_jsonpath(p)) for h, p in zip(headers, paths, strict=True)]


def _cell(program: jsonpath.Program, obj: Obj) -> str:
    results = jsonpath.execute(program, obj)
    if not results or not results[0]:
        return "<none>"
    return ",".join(sprint(v).translate(_TERMINAL_ESCAPES) for values in results for v in values)


def render(columns: Sequence[Column], objects: Sequence[Obj], *, no_headers: bool) -> str:
    """The aligned table; a failing path raises `PartialOutput` with the rows before it."""
    rows: list[list[str]] = [] if no_headers else [[c.header for c in columns]]
    try:
        programs = [jsonpath.parse(column.path) for column in columns]
        for obj in objects:
            rows.append([_cell(program, obj) for program in programs])
    except jsonpath.JSONPathError as exc:
        raise PartialOutput(_table(rows), str(exc)) from exc
    return _table(rows)


def _table(rows: list[list[str]]) -> str:
    return get_table("".join("\t".join(row) + "\n" for row in rows)) if rows else ""
