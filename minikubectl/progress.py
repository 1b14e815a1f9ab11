"""Progress on long work: pods Running (or ready) out of desired, per owner (Deployment,
StatefulSet, DaemonSet, or a ReplicaSet of its own).

Settling 10,000 replicas takes tens of seconds, and kubectl's output for the command is one
line at the end; `wait` on a daemon's rollout prints nothing until the condition holds. So on
a terminal, once the work has lasted `DELAY`, a rich progress display shows each owner whose
pods are not all there yet; it is erased when the work is done, and the command's usual line
follows. Never when stdout is not a terminal, with `-o` (the caller says), with `NO_COLOR`
set or on a dumb terminal (`TERM=dumb` or `unknown`), as rich's own Console decides: then the
output is byte for byte kubectl's. rich is imported only when the display shows.

Settling reads each owner's pods from the controllers' informer (`owner_rows`); waiting
reads only the objects it polls anyway, their status's ready counts (`ready_row`).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

from controlplane.models.constants import REVISION_ANNOTATION, Obj

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from controlplane.api.verbs import Api

DELAY = 0.5  # seconds of settling before the display shows
REFRESH = 0.1  # at most this often, between two passes of the controllers
DUMB_TERMINALS = ("dumb", "unknown")  # rich's Console.is_dumb_terminal

Row = tuple[str, int, int, str]  # owner as kind.group/name, pods counted, desired, what counted
Refresh = Callable[[], None]


def wanted() -> bool:
    """stdout is a terminal that may show a live display (https://no-color.org included)."""
    return (
        sys.stdout.isatty()
        and not os.environ.get("NO_COLOR")
        and os.environ.get("TERM", "").lower() not in DUMB_TERMINALS
    )


@contextmanager
def live_rows(show: bool, rows: Callable[[], list[Row]]) -> Iterator[Refresh | None]:
    """What to call whenever `rows` may have moved, or None when no display may show."""
    if not (show and wanted()):
        yield None
        return
    display = ProgressDisplay(rows)
    try:
        yield display.refresh
    finally:
        display.close()


def settle_progress(api: Api, show: bool) -> AbstractContextManager[Refresh | None]:
    """The display for embedded mode's settle: call it after each controller pass."""
    return live_rows(show, lambda: owner_rows(api))


class ProgressDisplay:
    def __init__(self, rows: Callable[[], list[Row]]) -> None:
        self.rows = rows
        self.started = time.monotonic()
        self.last = 0.0
        self.progress: Progress | None = None
        self.tasks: dict[str, TaskID] = {}
        self.behind: set[str] | None = None  # owners short of pods at the first look

    def refresh(self) -> None:
        now = time.monotonic()
        if self.behind is None:
            # The first look, however early: an owner that was behind then is shown even if
            # it has caught up by the time the display appears, if the work lasts that long.
            self.behind = {r[0] for r in self.rows() if r[1] < r[2]}
        if now - self.started < DELAY or now - self.last < REFRESH:
            return
        self.last = now
        shown = self.tasks.keys() | self.behind
        rows = [r for r in self.rows() if r[0] in shown or r[1] < r[2]]
        if not rows:
            return
        progress = self.progress or self._start()
        if progress is None:
            return
        for owner, counted, desired, state in rows:
            if owner not in self.tasks:
                self.tasks[owner] = progress.add_task(owner, total=desired, state=state)
            progress.update(self.tasks[owner], completed=min(counted, desired), total=desired)

    def _start(self) -> Progress | None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        console = Console(file=sys.stdout)
        if not console.is_terminal or console.is_dumb_terminal or console.no_color:
            self.started = float("inf")  # rich says no: never again in this command
            return None
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} pods {task.fields[state]}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.progress.start()
        return self.progress

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def ready_row(kind_group: str, obj: Obj) -> Row | None:
    """An owner's ready pods out of desired, from its own status; None for other kinds."""
    status = obj.get("status") or {}
    if obj.get("kind") == "DaemonSet":
        desired = int(status.get("desiredNumberScheduled") or 0)
        return _row(kind_group, obj, int(status.get("numberReady") or 0), desired, "ready")
    if obj.get("kind") in ("Deployment", "ReplicaSet", "StatefulSet"):
        ready = int(status.get("readyReplicas") or 0)
        return _row(kind_group, obj, ready, _replicas(obj), "ready")
    return None


def owner_rows(api: Api) -> list[Row]:
    """Each owner of pods: its Running pods (of its current revision, for a Deployment) and
    how many it wants. Read from the controllers' informer: no decoding, no store scan."""
    rows: list[Row] = []
    with api.snapshot(informed=True):
        for deployment in api.list("Deployment"):
            revision = _annotations(deployment).get(REVISION_ANNOTATION)
            sets = _controlled(api, "ReplicaSet", deployment)
            current = [rs for rs in sets if _annotations(rs).get(REVISION_ANNOTATION) == revision]
            running = sum(_running(api, rs) for rs in current or sets)
            rows.append(_row("deployment.apps", deployment, running, _replicas(deployment)))
        for rs in api.list("ReplicaSet"):
            if not any(ref.get("controller") for ref in rs["metadata"].get("ownerReferences", [])):
                rows.append(_row("replicaset.apps", rs, _running(api, rs), _replicas(rs)))
        for sts in api.list("StatefulSet"):
            rows.append(_row("statefulset.apps", sts, _running(api, sts), _replicas(sts)))
        for ds in api.list("DaemonSet"):
            desired = int((ds.get("status") or {}).get("desiredNumberScheduled") or 0)
            rows.append(_row("daemonset.apps", ds, _running(api, ds), desired))
    return rows


def _row(kind_group: str, owner: Obj, counted: int, desired: int, state: str = "Running") -> Row:
    meta = owner["metadata"]
    namespace = meta.get("namespace", "default")
    where = "" if namespace == "default" else f" in {namespace}"
    return f"{kind_group}/{meta['name']}{where}", counted, desired, state


def _annotations(obj: Obj) -> dict[str, Any]:
    return obj["metadata"].get("annotations") or {}


def _replicas(obj: Obj) -> int:
    replicas = obj.get("spec", {}).get("replicas")
    return 1 if replicas is None else int(replicas)


def _controlled(api: Api, kind: str, owner: Obj) -> list[Obj]:
    meta = owner["metadata"]
    return api.list(kind, meta.get("namespace"), controller_uid=meta["uid"])


def _running(api: Api, owner: Obj) -> int:
    return sum(
        1
        for pod in _controlled(api, "Pod", owner)
        if (pod.get("status") or {}).get("phase") == "Running"
        and not pod["metadata"].get("deletionTimestamp")
    )
