"""`get -w`: the first table, then one row per change, read from the store's change log.

Rows keep the widest column widths seen so far, as kubectl's watch printer does. Without a
daemon each poll also settles the cluster, so time-driven changes still appear.
"""

from __future__ import annotations

import sys
import time

from controlplane.api.registry import KindInfo
from controlplane.models.constants import Obj
from minikubectl.client import Client
from minikubectl.commands.options import now, out
from minikubectl.errors import CliError

POLL_SECONDS = 0.2


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
    from minikubectl.printers.columns import table_lines
    from minikubectl.printers.tabwriter import get_table

    widths: list[int] = []
    namespace = None if all_namespaces or not info.namespaced else client.namespace
    revision = client.local.current_revision()

    def emit(objects: list[Obj], events: list[str], headers: bool) -> None:
        lines = table_lines(
            info.kind,
            objects,
            now(),
            wide=wide,
            all_namespaces=all_namespaces,
            no_headers=not headers,
        )
        if with_events:
            lines = [
                f"{e}\t{line}" for e, line in zip(["EVENT"] * headers + events, lines, strict=True)
            ]
        if lines:
            out(get_table("".join(line + "\n" for line in lines), widths))
            sys.stdout.flush()

    first = (
        []
        if watch_only
        else client.list_objects(info, all_namespaces=all_namespaces, selector=selector)
    )
    emit(first, ["ADDED"] * len(first), headers=True)
    headers_printed = bool(first)
    while True:
        time.sleep(POLL_SECONDS)
        client.settle()
        changes = client.local.changes_after(revision)
        if changes:
            revision = changes[-1].revision
        matching = [
            c
            for c in changes
            if c.obj["kind"] == info.kind
            and (namespace is None or c.obj["metadata"].get("namespace") == namespace)
            and client.matches(c.obj, selector)
        ]
        if matching:
            emit([c.obj for c in matching], [c.type for c in matching], headers=not headers_printed)
            headers_printed = True


def single_type(targets: list[tuple[KindInfo, str | None]]) -> KindInfo:
    kinds = {info.kind for info, _ in targets}
    if len(kinds) != 1:
        raise CliError("you may only specify a single resource type")
    return targets[0][0]
