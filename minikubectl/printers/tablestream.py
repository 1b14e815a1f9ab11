"""`kubectl get`'s tables printed as they arrive: one list chunk at a time, never all at once.

kubectl lists in chunks (`--chunk-size`, 500 by default) and prints every chunk's Table, in
request order, through one tabwriter (staging/src/k8s.io/kubectl/pkg/cmd/get/get.go, Run).
What the user sees follows from how cli-runtime's table printer drives that tabwriter
(staging/src/k8s.io/cli-runtime/pkg/printers/tableprinter.go, PrintObj and printTable):

- the header is printed once per kind, with the first Table that has rows; a new kind (a new
  printer in get.go) flushes, forgets the column widths and, when something was printed and
  headers are on, is set off by one empty line; with `-A`, a cluster-scoped kind after a
  namespaced one keeps an (empty) NAMESPACE column;
- the tabwriter remembers column widths (RememberWidths: they only grow) and is flushed after
  every 100th row of each Table (flushInterval) and at the end, so rows are aligned by what
  was written since the last flush and by every wider column before it;
- before writing a Table, printTable measures the widest cell of each column in bytes and pads
  the header (or, without one, the Table's first row) to it, so each chunk is aligned at least
  to its own widest cell from its first row on.

So a later chunk may be wider than an earlier one (`get pods` over 1,200 pods prints its third
chunk wider when it holds a longer name) while a few short Tables (`get pod a b`, small chunks)
align as one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj
from minikubectl.printers import columns
from minikubectl.printers.tabwriter import get_table

FLUSH_INTERVAL = 100  # rows of one Table between tabwriter flushes (tableprinter.go)


class TableOptions(NamedTuple):
    """get's flags that shape its tables."""

    all_namespaces: bool = False
    show_labels: bool = False
    label_columns: tuple[str, ...] = ()
    no_headers: bool = False
    sort_by: str | None = None
    show_kind: bool = False  # --show-kind: NAME as `kind.group/name` (HumanPrintFlags.ShowKind)


def _width(text: str) -> int:
    """A cell's length as printTable measures it: in bytes."""
    return len(text) if text.isascii() else len(text.encode())


class TableStream:
    """Prints Tables through `write` as get.go's Run and the table printer do, one at a time."""

    def __init__(
        self,
        write: Callable[[str], None],
        options: TableOptions,
        *,
        wide: bool = False,
        with_kind: bool = False,
    ) -> None:
        self._write = write
        self._options = options
        self._wide = wide
        self._with_kind = with_kind
        self._info: KindInfo | None = None
        self._headers_printed = False
        self._with_namespace = False
        self._widths: list[int] = []
        self._pending: list[str] = []
        self._separate = False
        self.written = False  # anything printed (get.go's trackingWriter)

    def print_table(self, info: KindInfo, table: Obj) -> None:
        """One Table (a list chunk, or one named object) of `info`'s kind."""
        if info != self._info:
            self._flush()
            self._widths = []
            if self._info is not None and not self._options.no_headers and self.written:
                self._separate = True
            self._info = info
            self._headers_printed = False
            # get.go's ToPrinter turns on WithNamespace in flags its copies share, so once a
            # namespaced kind printed with -A, cluster-scoped kinds after it get an empty column
            self._with_namespace = self._options.all_namespaces and (
                info.namespaced or self._with_namespace
            )
        print_options = columns.PrintOptions(
            wide=self._wide,
            kind_prefix=info.kind_group if self._with_kind else "",
            with_namespace=self._with_namespace,
            show_labels=self._options.show_labels,
            label_columns=self._options.label_columns,
        )
        rows = columns.row_cells(table, print_options)
        if not rows:
            return
        names = columns.headers(table, print_options)
        widest = _widest(rows, len(names) - 1)
        pending = self._pending
        if not self._options.no_headers and not self._headers_printed:
            pending.append("\t".join(_padded(names, widest, names)))
            self._headers_printed = True
            first = 0
        else:
            first = 1
            escaped = [columns.escape(cell) for cell in rows[0]]
            pending.append("\t".join(_padded(escaped, widest, rows[0])))
        for count, cells in enumerate(rows[first:], start=first + 1):
            pending.append("\t".join(map(columns.escape, cells)))
            if count % FLUSH_INTERVAL == 0:
                self._flush()

    def close(self) -> None:
        """The final flush."""
        self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        text = get_table("".join(line + "\n" for line in self._pending), self._widths)
        self._pending.clear()
        if self._separate:
            text = "\n" + text
            self._separate = False
        self._write(text)
        self.written = True


def _widest(rows: list[list[str]], padded: int) -> list[int]:
    """printTable's maxCellWidths: the widest cell of each of the first `padded` columns."""
    widest = [0] * padded
    for cells in rows:
        for i, cell in enumerate(cells[:padded]):
            if len(cell) > widest[i] or not cell.isascii():
                widest[i] = max(widest[i], _width(cell))
    return widest


def _padded(cells: list[str], widest: list[int], measured: list[str]) -> list[str]:
    """`cells` with every column but the last padded with spaces to `widest`, less the byte
    length of `measured` (the header names, or the first row's cells before escaping)."""
    return [
        cell + " " * (widest[i] - _width(measured[i])) if i < len(widest) else cell
        for i, cell in enumerate(cells)
    ]
