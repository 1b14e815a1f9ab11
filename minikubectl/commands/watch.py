"""`get -w`: what `kubectl get -w` prints, from a list and then a watch.

As staging/src/k8s.io/kubectl/pkg/cmd/get/get.go `(*GetOptions).watch` does: the first read
is an ordinary GET (the list, or the one named object), printed unless `--watch-only`; the
watch then starts at the list's resourceVersion, so it sends only later changes; for one
named object it is a watch of `fieldSelector=metadata.name=NAME` from resourceVersion 0,
whose first event (the object as it is) is dropped, since the GET printed it. Tables print
one row per change with the widest column widths seen so far, as kubectl's watch printer
does; `-o json|yaml|name|jsonpath=…` print each object (YAML documents separated by `---`),
and with `--output-watch-events` each event as a `WatchEvent`. With a daemon the watch is
its HTTP stream, else the same verb runs in process and settles the cluster before each read
of the change log, so time-driven changes still appear. Where kubectl exits when the server
ends its watch, mkctl resumes it from the last revision seen: `get -w` runs until
interrupted.
"""

from __future__ import annotations

import sys

from controlplane.api.errors import ApiError
from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj
from minikubectl.client import Client
from minikubectl.commands.options import now, out
from minikubectl.errors import CliError
from minikubectl.printers.output import Printer


class _WatchPrinter:
    """kubectl's printer over a watch: tables keep their column widths across rows, and a
    YAML document after the first starts with `---`."""

    def __init__(
        self,
        info: KindInfo,
        printer: Printer,
        *,
        with_namespace: bool,
        events: bool,
        with_kind: bool = False,
    ):
        self.info, self.printer = info, printer
        self.with_namespace, self.events, self.with_kind = with_namespace, events, with_kind
        self.widths: list[int] = []
        self.headers_printed = False
        self.printed = 0

    def print(self, objects: list[Obj], event_type: str) -> None:
        if not objects:
            return
        text = (
            self._table(objects, event_type)
            if self.printer.human
            else self._each(objects, event_type)
        )
        out(text)
        sys.stdout.flush()

    def _table(self, objects: list[Obj], event_type: str) -> str:
        from controlplane.api.tables.table import as_table
        from minikubectl.printers.columns import PrintOptions, table_lines
        from minikubectl.printers.tabwriter import get_table

        table = as_table(self.info.kind, {"items": objects}, now())
        headers = not self.headers_printed
        options = PrintOptions(
            wide=self.printer.format == "wide",
            kind_prefix=self.info.kind_group if self.with_kind else "",
            with_namespace=self.with_namespace,
            no_headers=not headers,
        )
        lines = table_lines(table, options)
        if self.events:
            column = ["EVENT"] * headers + [_padded_event(event_type)] * len(objects)
            lines = [f"{e}\t{line}" for e, line in zip(column, lines, strict=True)]
        self.headers_printed = True
        return get_table("".join(line + "\n" for line in lines), self.widths)

    def _each(self, objects: list[Obj], event_type: str) -> str:
        from minikubectl.printers import formats

        texts = []
        for obj in objects:
            if self.printer.format == "yaml" and self.printed:
                texts.append("---\n")
            self.printed += 1
            if not self.events or self.printer.format == "name":
                texts.append(self.printer.render(obj))
            elif self.printer.format == "json":  # a metav1.WatchEvent, json.Marshal'd
                texts.append(
                    f'{{"type":{formats.to_compact_json(event_type)},'
                    f'"object":{formats.to_compact_json(obj)}}}\n'
                )
            else:
                texts.append(self.printer.render({"type": event_type, "object": obj}))
        return "".join(texts)


def watch(
    client: Client,
    targets: list[tuple[KindInfo, str | None]],
    *,
    all_namespaces: bool,
    selector: str | None,
    field_selector: str | None,
    printer: Printer,
    watch_only: bool,
    with_events: bool,
    show_kind: bool = False,
) -> None:
    info = _single_type(targets)
    names: list[str] = [name for _, name in targets if name]
    namespace = None if all_namespaces or not info.namespaced else client.namespace
    printing = _WatchPrinter(
        info,
        printer,
        with_namespace=all_namespaces and info.namespaced,
        events=with_events,
        with_kind=show_kind,
    )
    reads = [
        client.table(
            info,
            name,
            all_namespaces=all_namespaces,
            selector=selector,
            field_selector=field_selector,
            include_object="Object",
        )
        for name in names or [""]
    ]
    objects = [row["object"] for listed in reads for row in listed.get("rows") or []]
    if not watch_only:
        printing.print(objects, "ADDED")
    if len(names) > 1:  # resource.Result.Watch
        raise CliError("you may only watch a single resource or type of resource at a time")
    name = names[0] if names else None
    if name:
        field_selector = f"metadata.name={name}"
    listed = reads[0]
    # One object: watch from resourceVersion 0 and drop its first event (get.go).
    revision = "0" if name else listed["metadata"].get("resourceVersion", "")
    drop_first = bool(name)
    while True:  # each pass is one watch, until the server times it out
        events = client.watch(
            info,
            namespace,
            selector,
            field_selector=field_selector,
            initial=False,
            resource_version=revision,
        )
        for event_type, obj in events:
            if event_type == "ERROR":
                raise ApiError.from_status(obj, int(obj.get("code") or 500))
            revision = obj["metadata"].get("resourceVersion") or revision
            if event_type == "BOOKMARK":
                continue
            if drop_first:
                drop_first = False
            else:
                printing.print([obj], event_type)


def _padded_event(event_type: str) -> str:
    """The EVENT cell: a known type padded to the width of MODIFIED (cli-runtime's
    formatEventType, staging/src/k8s.io/cli-runtime/pkg/printers/tableprinter.go), so the
    column is as wide when the first rows are all ADDED."""
    known = ("ADDED", "MODIFIED", "DELETED", "ERROR")
    return event_type.ljust(len("MODIFIED")) if event_type in known else event_type


def _single_type(targets: list[tuple[KindInfo, str | None]]) -> KindInfo:
    kinds = {info.kind for info, _ in targets}
    if len(kinds) != 1:
        raise CliError("you may only specify a single resource type")
    return targets[0][0]
