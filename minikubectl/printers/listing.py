"""What `kubectl get` prints for what it found (pkg/cmd/get/get.go, Run and printGeneric).

kubectl takes one of two paths. Tables (`-o wide` or no `-o`) are the server's Tables, printed
per kind as they arrive (`tablestream`), each kind's rows sorted on their own by `--sort-by`
(over the rows' objects, which kubectl then asks the server to include). Every other format
prints one document: the object itself when exactly one object was named, otherwise a
`v1 List` of everything found, sorted as a whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj
from minikubectl.printers.output import Printer
from minikubectl.printers.tablestream import TableOptions

Groups = Sequence[tuple[KindInfo, Sequence[Obj]]]
Tables = Sequence[tuple[KindInfo, Obj]]


class Found(NamedTuple):
    """Objects per requested type in request order (for machine formats), and whether exactly
    one object was named (kubectl's "single item implied")."""

    groups: Groups = ()
    single: bool = False


def render_get(printer: Printer, found: Found, options: TableOptions) -> str:
    """The text of `get` in a machine format; CliError (or PartialOutput) where kubectl fails."""
    from minikubectl.printers import formats, sorting

    objects = [obj for _, objs in found.groups for obj in objs]
    if found.single:
        return printer.render(objects[0]) if objects else ""
    if options.sort_by and objects:
        objects = sorting.sort_objects(objects, options.sort_by)
    return printer.render(formats.as_list(objects))


def _sorted_rows(table: Obj, sort_by: str) -> list[Obj] | None:
    """The Table's rows in `--sort-by` order of their objects (None where kubectl's printer
    fails to sort, and prints nothing)."""
    from minikubectl.printers import sorting

    rows = table.get("rows") or []
    objects = [row.get("object") or {} for row in rows]
    by_object = {id(obj): row for obj, row in zip(objects, rows, strict=True)}
    ordered = sorting.sort_rows(objects, sort_by)
    return None if ordered is None else [by_object[id(obj)] for obj in ordered]


def sort_tables(tables: Tables, sort_by: str) -> list[tuple[KindInfo, Obj]]:
    """Each Table with its rows in `--sort-by` order; kubectl's failure when it holds several
    Tables (its RuntimeSorter then sorts the Tables themselves)."""
    from minikubectl.printers import sorting

    if len(tables) > 1:
        sorting.sort_tables(sort_by)
    return [(info, {**table, "rows": _sorted_rows(table, sort_by) or []}) for info, table in tables]
