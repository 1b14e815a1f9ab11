"""`get -w`: the first table, then one row per change, from a watch.

The watch is a watch-list, as kubectl 1.37's informers make it: the current objects, which
make the first table, end with the `k8s.io/initial-events-end` bookmark; every later event
is a row. With a daemon the watch is its HTTP stream, else the same verb runs in process and
settles the cluster before each read, so time-driven changes still appear. Rows keep the
widest column widths seen so far, as kubectl's watch printer does. A watch that times out is
resumed from the last revision seen, so `get -w` runs until interrupted. Each batch of
objects becomes the Table the API server sends in watch events (computed in process from
the events' objects).
"""

from __future__ import annotations

import sys

from controlplane.api.errors import ApiError
from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj
from minikubectl.client import Client
from minikubectl.commands.options import now, out
from minikubectl.errors import CliError

INITIAL_EVENTS_END = "k8s.io/initial-events-end"


def watch(
    client: Client,
    info: KindInfo,
    *,
    all_namespaces: bool,
    selector: str | None,
    wide: bool,
    watch_only: bool,
    with_events: bool,
) -> None:
    from controlplane.api.tables.table import as_table
    from minikubectl.printers.columns import PrintOptions, table_lines
    from minikubectl.printers.tabwriter import get_table

    widths: list[int] = []
    namespace = None if all_namespaces or not info.namespaced else client.namespace

    def emit(objects: list[Obj], events: list[str], headers: bool) -> None:
        table = as_table(info.kind, {"items": objects}, now())
        with_namespace = all_namespaces and info.namespaced
        lines = table_lines(
            table, PrintOptions(wide=wide, with_namespace=with_namespace, no_headers=not headers)
        )
        if with_events:
            lines = [
                f"{e}\t{line}" for e, line in zip(["EVENT"] * headers + events, lines, strict=True)
            ]
        if lines:
            out(get_table("".join(line + "\n" for line in lines), widths))
            sys.stdout.flush()

    first: list[Obj] = []
    listing = not watch_only
    headers_printed = False
    revision = ""
    while True:  # each pass is one watch, until the server times it out
        events = client.watch(info, namespace, selector, initial=listing, resource_version=revision)
        for event_type, obj in events:
            revision = obj["metadata"].get("resourceVersion") or revision
            if event_type == "ERROR":
                raise ApiError.from_status(obj, int(obj.get("code") or 500))
            if event_type == "BOOKMARK":
                annotations = obj["metadata"].get("annotations") or {}
                if listing and annotations.get(INITIAL_EVENTS_END) == "true":
                    emit(first, ["ADDED"] * len(first), headers=True)
                    headers_printed, listing = bool(first), False
            elif listing:
                first.append(obj)
            else:
                emit([obj], [event_type], headers=not headers_printed)
                headers_printed = True


def single_type(targets: list[tuple[KindInfo, str | None]]) -> KindInfo:
    kinds = {info.kind for info, _ in targets}
    if len(kinds) != 1:
        raise CliError("you may only specify a single resource type")
    return targets[0][0]
