"""`kubectl get` tables: the client half, cli-runtime's table printer over the server's Table.

The server (`controlplane.api.tables`) sends every column of a kind with a priority (0 default,
1 wide-only) and every cell of each row. This printer, as staging/src/k8s.io/cli-runtime/pkg/
printers/tableprinter.go does, drops priority columns unless `-o wide`, adds NAMESPACE first
for `-A`, `-L` label columns and LABELS last (read from each row's object metadata), prefixes
the cell of the column whose format is `name` with `<kind>.<group>/` when several kinds are
printed, and hands tab-separated lines to the tabwriter (minwidth 6, padding 3).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from controlplane.models.constants import Obj
from minikubectl.printers.tabwriter import get_table

_SPECIAL = re.compile("[\f\n\r\x1b]")
_BREAK = re.compile("[\f\n\r]")


def escape(cell: str) -> str:
    """printTable's cell rules: cut at the first line break (adding `...`), escape ESC."""
    if not _SPECIAL.search(cell):
        return cell
    cut = _BREAK.search(cell)
    if cut:
        cell = cell[: cut.start()] + "..."
    return cell.replace("\x1b", "^[")


def cell_text(cell: Any) -> str:
    """A cell as Go's `fmt.Sprint` prints it (before printTable's escaping)."""
    if isinstance(cell, str):
        return cell
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return str(cell)


def _label_header(key: str) -> str:
    """`-L app.kubernetes.io/name` makes a column titled `NAME`."""
    return key.split("/")[-1].upper()


def _row_meta(row: Obj) -> dict[str, Any]:
    meta: dict[str, Any] = (row.get("object") or {}).get("metadata") or {}
    return meta


class PrintOptions(NamedTuple):
    """How one Table prints: cli-runtime's printers.PrintOptions (staging/src/k8s.io/
    cli-runtime/pkg/printers/interface.go). `kind_prefix` is `deployment.apps` when several
    kinds print (WithKind); `label_columns` are `-L`'s keys (ColumnLabels)."""

    wide: bool = False
    kind_prefix: str = ""
    with_namespace: bool = False
    show_labels: bool = False
    label_columns: Sequence[str] = ()
    no_headers: bool = False


DEFAULTS = PrintOptions()


def headers(table: Obj, options: PrintOptions = DEFAULTS) -> list[str]:
    """The header line's cells of a Table, as decorateTable adds to its columns."""
    columns = table.get("columnDefinitions") or []
    names = [
        str(c.get("name", "")).upper() for c in columns if options.wide or not c.get("priority")
    ]
    if options.with_namespace:
        names.insert(0, "NAMESPACE")
    names += [_label_header(key) for key in options.label_columns]
    if options.show_labels:
        names.append("LABELS")
    return names


def row_cells(table: Obj, options: PrintOptions = DEFAULTS) -> list[list[str]]:
    """Each row's shown cells, as decorateTable leaves them and before printTable escapes them:
    the visible columns, NAMESPACE first, label columns and LABELS last."""
    columns = table.get("columnDefinitions") or []
    keep = [i for i, c in enumerate(columns) if options.wide or not c.get("priority")]
    named = {i for i, c in enumerate(columns) if c.get("format") == "name"}
    prefix = options.kind_prefix
    decorated = options.with_namespace or options.label_columns or options.show_labels
    rows: list[list[str]] = []
    for row in table.get("rows") or []:
        cells = row.get("cells") or []
        shown = [
            cell_text(f"{prefix}/{cells[i]}" if prefix and i in named else cells[i])
            for i in keep
            if i < len(cells)
        ]
        if decorated:
            meta = _row_meta(row)
            labels = meta.get("labels") or {}
            if options.with_namespace:
                shown.insert(0, meta.get("namespace", ""))
            shown += [labels.get(key, "") for key in options.label_columns]
            if options.show_labels:
                from controlplane.models.selectors import labels_to_string

                shown.append(labels_to_string(labels))
        rows.append(shown)
    return rows


def table_lines(table: Obj, options: PrintOptions = DEFAULTS) -> list[str]:
    """The tab-separated lines of a Table, before alignment (for callers that stream rows);
    none when it has no rows."""
    rows = row_cells(table, options)
    if not rows:
        return []
    lines = [] if options.no_headers else ["\t".join(headers(table, options))]
    lines += ["\t".join(map(escape, cells)) for cells in rows]
    return lines


def render_table(table: Obj, options: PrintOptions = DEFAULTS) -> str:
    """One kind's `kubectl get` table, each line ending in a newline; `""` when no rows.

    Several kinds print as separate tables joined by one empty line (`"\\n".join(tables)`),
    with `kind_prefix` set on all of them when more than one kind returned rows.
    """
    lines = table_lines(table, options)
    if not lines:
        return ""
    return get_table("".join(line + "\n" for line in lines))
