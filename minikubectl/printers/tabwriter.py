"""A port of Go's `text/tabwriter`, the aligner behind every kubectl table and describe page.

kubectl does not pad columns itself: it writes cells separated by tabs and lets the tabwriter
compute widths. The tabwriter's rules produce quirks that users see and that we must copy byte
for byte, so this is a faithful port rather than a `str.ljust` loop:

- A cell is text terminated by a tab. The text after the last tab of a line is the line's last
  cell: it is never padded (so table rows carry no trailing spaces), and it does not take part
  in any column's width.
- A *column block* is a run of consecutive lines that all have a (tab-terminated) cell in that
  column. Each block gets its own width, `max(cell width + padding, minwidth)`. A line with no
  tab at all (`Pod Template:`, `Events:`) therefore ends every block, which is why sections of
  `kubectl describe` align independently, and why `OldReplicaSets:` aligns with the rows of the
  Conditions table just above it.
- Empty cells are padded like any other (hence the trailing spaces after `IP:` in a pod
  description with no IP).

Only the flags kubectl uses are supported: pad character space, no flags. `tabwidth` only matters
when padding with tabs, so it is accepted for fidelity and otherwise unused. kubectl's own copy
(`github.com/liggitt/tabwriter`) adds `RememberWidths` for `get --watch`: pass a list as
`remembered` and it keeps each column's widest width across calls.
"""

from __future__ import annotations

# Cell terminators and line ends as Go treats them: '\v' ends a cell like '\t' (it differs only
# with the DiscardEmptyColumns flag), '\f' ends a line and flushes, which ends every block.
_CELL_END = "\t\v"


def _split_lines(text: str) -> tuple[list[list[str]], list[bool]]:
    """Lines as lists of cells, plus whether each line ends with a form feed (a hard break)."""
    if "\v" not in text and "\f" not in text:  # the usual case, at C speed
        lines = [line.split("\t") for line in text.split("\n")]
        if lines[-1][-1] == "":  # the unterminated tail keeps its last cell only if non-empty
            lines[-1].pop()
        return lines, [False] * len(lines)
    lines = []
    hard_break: list[bool] = []
    cell: list[str] = []
    cells: list[str] = []
    for ch in text:
        if ch in _CELL_END:
            cells.append("".join(cell))
            cell = []
        elif ch in "\n\f":
            cells.append("".join(cell))
            cell = []
            lines.append(cells)
            hard_break.append(ch == "\f")
            cells = []
        else:
            cell.append(ch)
    # The unterminated tail: Go only keeps its last cell if that cell has text.
    if cell:
        cells.append("".join(cell))
    lines.append(cells)
    hard_break.append(False)
    return lines, hard_break


def tabwrite(
    text: str,
    *,
    minwidth: int,
    tabwidth: int,
    padding: int,
    remembered: list[int] | None = None,
) -> str:
    """Align tab-separated `text` exactly as Go's tabwriter (pad char ' ', flags 0) would."""
    del tabwidth  # only used when padding with tabs, which kubectl never does
    lines, hard_break = _split_lines(text)
    widths: list[list[int]] = [[0] * max(len(cells) - 1, 0) for cells in lines]
    ncols = max((len(row) for row in widths), default=0)
    for column in range(ncols):
        start = 0
        while start < len(lines):
            if len(lines[start]) - 1 <= column:
                start += 1
                continue
            # A block: consecutive lines that have a cell in this column (a '\f' ends it).
            end = start
            width = minwidth
            while end < len(lines) and len(lines[end]) - 1 > column:
                width = max(width, len(lines[end][column]) + padding)
                end += 1
                if hard_break[end - 1]:
                    break
            if remembered is not None:
                while len(remembered) <= column:
                    remembered.append(0)
                width = max(width, remembered[column])
                remembered[column] = width
            for i in range(start, end):
                widths[i][column] = width
            start = end
    out: list[str] = []
    for cells, row in zip(lines, widths, strict=True):
        parts = [cell.ljust(width) for cell, width in zip(cells, row, strict=False)]
        if cells:
            parts.append(cells[-1])
        out.append("".join(parts))
    return "\n".join(out)


def get_table(text: str, remembered: list[int] | None = None) -> str:
    """`kubectl get` tables: minwidth 6, tabwidth 4, padding 3 (cli-runtime GetNewTabWriter)."""
    return tabwrite(text, minwidth=6, tabwidth=4, padding=3, remembered=remembered)


def describe_table(text: str) -> str:
    """`kubectl describe` and `rollout history`: minwidth 0, tabwidth 8, padding 2."""
    return tabwrite(text, minwidth=0, tabwidth=8, padding=2)
