"""What `kubectl get` prints for the objects it found (pkg/cmd/get/get.go, Run and printGeneric).

kubectl takes one of two paths. Tables (`-o wide` or no `-o`) are printed per kind, separated
by an empty line (none with `--no-headers`), NAME prefixed with `kind.group/` when several kinds
printed rows, each kind's rows sorted on their own by `--sort-by`. Every other format prints one
document: the object itself when exactly one object was named, otherwise a `v1 List` of
everything found, sorted as a whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj
from minikubectl.printers.output import Printer

Groups = Sequence[tuple[KindInfo, Sequence[Obj]]]


@dataclass(frozen=True)
class Found:
    """Objects per requested type in request order; whether exactly one object was named
    (kubectl's "single item implied"); how many results kubectl's builder holds (one per list
    request and one per named object)."""

    groups: Groups
    single: bool = False
    infos: int = 1


@dataclass(frozen=True)
class TableOptions:
    all_namespaces: bool = False
    show_labels: bool = False
    label_columns: tuple[str, ...] = ()
    no_headers: bool = False
    sort_by: str | None = None


def render_get(printer: Printer, found: Found, options: TableOptions, now: float) -> str:
    """The text of `get` on stdout; CliError (or PartialOutput) where kubectl fails."""
    if printer.human:
        return _tables(found, options, wide=printer.format == "wide", now=now)
    from minikubectl.printers import formats, sorting

    objects = [obj for _, objs in found.groups for obj in objs]
    if found.single:
        return printer.render(objects[0]) if objects else ""
    if options.sort_by and objects:
        objects = sorting.sort_objects(objects, options.sort_by)
    return printer.render(formats.as_list(objects))


def _tables(found: Found, options: TableOptions, *, wide: bool, now: float) -> str:
    from minikubectl.printers import columns

    if options.sort_by:
        from minikubectl.printers import sorting
    if options.sort_by and found.infos > 1:
        sorting.sort_tables(options.sort_by)
    kinds_with_objects = [info for info, objs in found.groups if objs]
    tables = []
    for info, objs in found.groups:
        rows = sorting.sort_rows(objs, options.sort_by) if options.sort_by else objs
        if not rows:  # nothing found, or kubectl's printer failed to sort (and printed nothing)
            continue
        tables.append(
            columns.render_table(
                info.kind,
                rows,
                now,
                wide=wide,
                name_prefix=len(kinds_with_objects) > 1,
                all_namespaces=options.all_namespaces,
                show_labels=options.show_labels,
                label_columns=options.label_columns,
                no_headers=options.no_headers,
            )
        )
    return ("" if options.no_headers else "\n").join(tables)
