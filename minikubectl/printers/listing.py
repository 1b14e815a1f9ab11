"""What `kubectl get` prints for what it found (pkg/cmd/get/get.go, Run and printGeneric).

kubectl takes one of two paths. Tables (`-o wide` or no `-o`) are the server's Tables, printed
per kind, separated by an empty line (none with `--no-headers`), NAME prefixed with
`kind.group/` when several kinds printed rows, each kind's rows sorted on their own by
`--sort-by` (over the rows' objects, which kubectl then asks the server to include). Every
other format prints one document: the object itself when exactly one object was named,
otherwise a `v1 List` of everything found, sorted as a whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj
from minikubectl.printers.output import Printer

Groups = Sequence[tuple[KindInfo, Sequence[Obj]]]
Tables = Sequence[tuple[KindInfo, Obj]]


@dataclass(frozen=True)
class Found:
    """Objects per requested type in request order (for machine formats) or one Table per
    requested type (for tables); whether exactly one object was named (kubectl's "single item
    implied"); how many results kubectl's builder holds (one per list request and one per named
    object)."""

    groups: Groups = ()
    tables: Tables = ()
    single: bool = False
    infos: int = 1

    @property
    def kinds(self) -> list[KindInfo]:
        return [info for info, _ in self.groups] + [info for info, _ in self.tables]


@dataclass(frozen=True)
class TableOptions:
    all_namespaces: bool = False
    show_labels: bool = False
    label_columns: tuple[str, ...] = ()
    no_headers: bool = False
    sort_by: str | None = None


def render_get(printer: Printer, found: Found, options: TableOptions) -> str:
    """The text of `get` on stdout; CliError (or PartialOutput) where kubectl fails."""
    if printer.human:
        return _tables(found, options, wide=printer.format == "wide")
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


def _tables(found: Found, options: TableOptions, *, wide: bool) -> str:
    from minikubectl.printers import columns

    if options.sort_by and found.infos > 1:
        from minikubectl.printers import sorting

        sorting.sort_tables(options.sort_by)
    kinds_with_rows = [info for info, table in found.tables if table.get("rows")]
    tables = []
    for info, table in found.tables:
        if options.sort_by:
            rows = _sorted_rows(table, options.sort_by)
            table = {**table, "rows": rows or []}
        if not table.get("rows"):  # nothing found, or kubectl's printer failed to sort
            continue
        print_options = columns.PrintOptions(
            wide=wide,
            kind_prefix=info.kind_group if len(kinds_with_rows) > 1 else "",
            with_namespace=options.all_namespaces and info.namespaced,
            show_labels=options.show_labels,
            label_columns=options.label_columns,
            no_headers=options.no_headers,
        )
        tables.append(columns.render_table(table, print_options))
    return ("" if options.no_headers else "\n").join(tables)
