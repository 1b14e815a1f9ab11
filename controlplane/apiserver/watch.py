"""Watch: the store's change log as Kubernetes watch events, one JSON line per event.

Where a watch starts follows the list options (staging/src/k8s.io/apimachinery/pkg/apis/meta/
v1/types.go `ListOptions`, and the resourceVersion table of the API concepts page):

- `resourceVersion` unset or "0": a synthetic ADDED event for every current object, then the
  changes after the revision they were read at (the store is always current, so "any" and
  "most recent" are the same state here);
- `resourceVersion=N`: the changes after N; once the log no longer reaches N, a single ERROR
  event carrying a 410 Expired Status (`too old resource version`), as the cacher's error
  watcher sends it (staging/src/k8s.io/apiserver/pkg/storage/cacher/cacher.go `Watch`), and
  for an N the store has not reached, a 504 `Too large resource version` the same way (the
  cacher first waits up to 3 s for it; mkctl answers at once);
- `sendInitialEvents=true` (with `resourceVersionMatch=NotOlderThan`): the current objects as
  ADDED, then, with `allowWatchBookmarks=true`, a BOOKMARK annotated
  `k8s.io/initial-events-end: "true"` that tells the client its initial list is complete;
  `sendInitialEvents=false` starts at the most recent revision without them.

Label and field selectors are applied to every change as the cacher's `cacheWatcher` does
(cache_watcher.go `convertToWatchEvent`): an object that starts matching arrives as ADDED, one
that stops matching as DELETED (its last matching state, at the new revision). With
`allowWatchBookmarks` a BOOKMARK carrying only the revision is sent every minute and two
seconds before the watch times out (cache_watcher.go `nextBookmarkTime`); `timeoutSeconds`
ends the stream cleanly (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/watch.go).

The log is read under the server's lock, taken per read and never while waiting, so a watch
never holds other requests up. Between reads a watch sleeps until a write moves the store
past its revision (`Api.wait_for_change`: the daemon's own writes wake it at once, another
process's through the database), at most `IDLE_SECONDS`, so that a client that went away is
noticed and bookmarks go out on time. `events` is the stream as values; the HTTP server
encodes it with `encode`, and mkctl's embedded mode iterates it in process.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from controlplane.api import errors, selection
from controlplane.api.errors import ApiError, FieldError
from controlplane.api.registry import KindInfo
from controlplane.api.verbs import Api
from controlplane.apiserver.exchange import Query, Request, Response
from controlplane.apiserver.listing import NOT_OLDER_THAN
from controlplane.apiserver.statuses import (
    list_options_invalid,
    parse_resource_version,
    too_large_resource_version,
)
from controlplane.models.constants import ChangeType, Obj
from controlplane.models.meta import Change, Key, key_of

IDLE_SECONDS = 1.0
BOOKMARK_SECONDS = 60.0  # cacher.go: bookmarkFrequency
BOOKMARK_BEFORE_TIMEOUT_SECONDS = 2.0  # cache_watcher.go: nextBookmarkTime
# get.go ListResource: without timeoutSeconds a watch lasts minRequestTimeout (1800 s) times a
# random factor in [1, 2) that spreads reconnections; one local daemon needs no spreading.
DEFAULT_TIMEOUT_SECONDS = 1800.0
CHANGES_PER_READ = 1000
INITIAL_EVENTS_END = "k8s.io/initial-events-end"  # metav1.InitialEventsAnnotationKey
BOOKMARK = "BOOKMARK"
ERROR = "ERROR"


class Event(NamedTuple):
    type: str  # ADDED, MODIFIED, DELETED, BOOKMARK or ERROR
    obj: Obj


Convert = Callable[[Obj], Obj]  # an object to its wire form (itself, or a Table)


@dataclass(frozen=True)
class WatchOptions:
    resource_version: str = ""
    send_initial_events: bool | None = None
    allow_bookmarks: bool = False
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    label_selector: str | None = None
    field_selector: str | None = None


def parse_bool(text: str) -> bool:
    """Go's strconv.ParseBool, as the query parameter codec decodes booleans."""
    if text in ("1", "t", "T", "true", "TRUE", "True"):
        return True
    if text in ("0", "f", "F", "false", "FALSE", "False"):
        return False
    raise errors.bad_request(f'strconv.ParseBool: parsing "{text}": invalid syntax')


def _first(query: Query, key: str) -> str | None:
    values = query.get(key)
    return values[0] if values else None


def is_watch(query: Query) -> bool:
    value = _first(query, "watch")
    return value is not None and parse_bool(value)


def watch_options(query: Query) -> WatchOptions:
    """The watch's options, checked as validateWatchOptions does (staging/src/k8s.io/
    apimachinery/pkg/apis/meta/internalversion/validation/validation.go)."""
    send = _first(query, "sendInitialEvents")
    send_initial_events = None if send is None else parse_bool(send)
    match = _first(query, "resourceVersionMatch") or ""
    causes: list[FieldError] = []
    if send_initial_events is not None and match != NOT_OLDER_THAN:
        causes.append(
            errors.forbidden(
                "resourceVersionMatch",
                f"sendInitialEvents requires setting resourceVersionMatch to {NOT_OLDER_THAN}",
            )
        )
    if match:
        if send_initial_events is None:
            causes.append(
                errors.forbidden(
                    "resourceVersionMatch",
                    "resourceVersionMatch is forbidden for watch unless sendInitialEvents is "
                    "provided",
                )
            )
        if match != NOT_OLDER_THAN:
            causes.append(errors.unsupported("resourceVersionMatch", match, [NOT_OLDER_THAN]))
        if _first(query, "continue"):
            causes.append(
                errors.forbidden(
                    "resourceVersionMatch",
                    "resourceVersionMatch is forbidden when continue is provided",
                )
            )
    if causes:
        raise list_options_invalid(causes)
    timeout = _first(query, "timeoutSeconds")
    try:
        timeout_seconds = float(int(timeout)) if timeout else DEFAULT_TIMEOUT_SECONDS
    except ValueError as exc:
        raise errors.bad_request(f'strconv.ParseInt: parsing "{timeout}": invalid syntax') from exc
    return WatchOptions(
        resource_version=_first(query, "resourceVersion") or "",
        send_initial_events=send_initial_events,
        allow_bookmarks=parse_bool(_first(query, "allowWatchBookmarks") or "false"),
        timeout_seconds=timeout_seconds,
        label_selector=_first(query, "labelSelector"),
        field_selector=_first(query, "fieldSelector"),
    )


@dataclass
class Watcher:
    """One watch: where it stands in the log, and what its client was last told.

    `known` holds, for each object in scope, its last state if it matched the selectors and
    None if it did not: the "previous object" the cacher keeps with every event, so that a
    change across the selector's edge becomes ADDED or DELETED.
    """

    api: Api
    info: KindInfo
    namespace: str | None  # None: every namespace
    options: WatchOptions
    revision: int = 0
    initial: list[Event] = field(default_factory=list)
    expired: ApiError | None = None  # the watch can only send this as an ERROR event
    backlog: list[Change] = field(default_factory=list)
    known: dict[Key, Obj | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.selected = selection.predicate(
            self.info.kind, self.options.label_selector, self.options.field_selector
        )

    def start(self) -> None:
        """Read the starting state in one snapshot (the caller holds the server's lock)."""
        rv = self.options.resource_version
        send = self.options.send_initial_events
        from_state = send if send is not None else rv in ("", "0")
        given = parse_resource_version(rv, self.info) if rv not in ("", "0") else 0
        exact = given > 0 and not send
        requested = given if exact else 0
        objects: list[Obj] = []
        with self.api.snapshot():
            current = self.api.current_revision()
            if given > current:  # cacher.go Watch: not reached (mkctl answers without waiting)
                self.expired = too_large_resource_version(given, current)
                return
            if exact:
                try:
                    self.backlog = self.api.changes_after(requested)
                except ApiError as exc:
                    self.expired = exc
                    return
            if from_state or self.selected is not None:
                objects = self.api.list(self.info.kind, self.namespace)
        self.revision = requested if exact else current
        if self.selected is not None:
            self.known = {key_of(o): o if self.selected(o) else None for o in objects}
            for change in self.backlog:  # their state at `requested` is not the current one
                self.known.pop(change.key, None)
        if from_state:
            self.initial = [
                Event(ChangeType.ADDED, o)
                for o in objects
                if self.selected is None or self.selected(o)
            ]
            if send and self.options.allow_bookmarks:
                self.initial.append(self.bookmark(initial_events_end=True))

    def bookmark(self, *, initial_events_end: bool = False) -> Event:
        """An object of the watched kind carrying only the revision (and the end-of-initial-
        events annotation), as the cacher sends it."""
        meta: Obj = {"resourceVersion": str(self.revision), "creationTimestamp": None}
        if initial_events_end:
            meta["annotations"] = {INITIAL_EVENTS_END: "true"}
        return Event(
            BOOKMARK,
            {"kind": self.info.kind, "apiVersion": self.info.api_version, "metadata": meta},
        )

    def poll(self) -> tuple[list[Event], bool]:
        """The events of the next changes, and whether more are already waiting; the caller
        holds the server's lock. Raises the 410 of a log compacted past this watch."""
        if self.backlog:
            changes, self.backlog = self.backlog, []
            more = False
        else:
            changes = self.api.changes_after(self.revision, CHANGES_PER_READ)
            more = len(changes) == CHANGES_PER_READ
        if changes:
            self.revision = changes[-1].revision
        found = (self.event(c) for c in changes if self.in_scope(c.obj))
        return [e for e in found if e is not None], more

    def in_scope(self, obj: Obj) -> bool:
        return obj["kind"] == self.info.kind and (
            self.namespace is None or obj["metadata"].get("namespace") == self.namespace
        )

    def event(self, change: Change) -> Event | None:
        """cache_watcher.go convertToWatchEvent: the change as this watch's client sees it."""
        obj, selected = change.obj, self.selected
        if selected is None:
            return Event(change.type, obj)
        key = change.key
        deleted = change.type == ChangeType.DELETED
        now = not deleted and selected(obj)
        if change.type == ChangeType.ADDED:
            before = None
        elif key in self.known:
            before = self.known[key]
        else:  # changed since the watch's revision and before it started: judge by itself
            before = obj if (selected(obj) if deleted else now) else None
        if deleted:
            self.known.pop(key, None)
        else:
            self.known[key] = obj if now else None
        if now:
            return Event(ChangeType.MODIFIED if before is not None else ChangeType.ADDED, obj)
        if before is None:
            return None
        if deleted:
            return Event(ChangeType.DELETED, obj)
        gone = {
            **before,
            "metadata": {**before["metadata"], "resourceVersion": str(change.revision)},
        }
        return Event(ChangeType.DELETED, gone)


def open_watch(api: Api, info: KindInfo, namespace: str | None, options: WatchOptions) -> Watcher:
    """A started watch; bad options and selectors raise here, before any byte is sent."""
    watcher = Watcher(api, info, namespace if info.namespaced else None, options)
    watcher.start()
    return watcher


def events(
    watcher: Watcher,
    lock: threading.Lock,
    *,
    before_poll: Callable[[], None] | None = None,
    poll_seconds: float = IDLE_SECONDS,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] | None = None,
) -> Iterator[Event | None]:
    """The watch's events until its timeout; None after each read that found nothing, so
    that whoever sends the stream may notice a client that went away. Between reads it
    waits for the next write, at most `poll_seconds` (or sleeps on a test's `sleep`)."""
    yield from watcher.initial
    if watcher.expired is not None:
        yield Event(ERROR, watcher.expired.status())
        return
    started = monotonic()
    deadline = started + watcher.options.timeout_seconds
    next_bookmark = _next_bookmark(started, deadline)
    while True:
        if before_poll is not None:
            before_poll()
        try:
            with lock:
                found, more = watcher.poll()
        except ApiError as exc:  # compacted past this watch: the client must list again
            yield Event(ERROR, exc.status())
            return
        yield from found
        now = monotonic()
        if watcher.options.allow_bookmarks and next_bookmark is not None and now >= next_bookmark:
            yield watcher.bookmark()
            next_bookmark = _next_bookmark(now, deadline)
        if now >= deadline:
            return
        if not found:
            yield None
        if not more:
            due = min(deadline, next_bookmark or deadline)
            wait = max(0.0, min(poll_seconds, due - now))
            if sleep is not None:
                sleep(wait)
            else:
                watcher.api.wait_for_change(watcher.revision, wait)


def _next_bookmark(now: float, deadline: float) -> float | None:
    """cache_watcher.go nextBookmarkTime: every minute, and just before the timeout."""
    at = min(now + BOOKMARK_SECONDS, deadline - BOOKMARK_BEFORE_TIMEOUT_SECONDS)
    return at if at >= now else None


def encode(event: Event, convert: Convert) -> bytes:
    """One event as a line of JSON; objects (not bookmarks or errors) go through `convert`."""
    obj = event.obj if event.type in (BOOKMARK, ERROR) else convert(event.obj)
    line = json.dumps(
        {"type": event.type, "object": obj}, separators=(",", ":"), ensure_ascii=False
    )
    return line.encode() + b"\n"


def as_object(obj: Obj) -> Obj:
    return obj


def wire_form(api: Api, info: KindInfo, request: Request) -> Convert:
    """How this watch's objects travel: as themselves, or as one-row Tables when the Accept
    asks for them, as kubectl's `get -w` does. Only the first Table carries the column
    definitions; later ones have none (response.go asTable with TableOptions.NoHeaders, which
    the watch handler sets after the first event)."""
    from controlplane.api.tables.table import as_table, has_table
    from controlplane.apiserver.negotiation import table_version

    version = table_version(request.header("accept"))
    if version is None or not has_table(info.kind):
        return as_object
    include = request.first("includeObject") or ""
    first = [True]

    def as_table_row(obj: Obj) -> Obj:
        table = as_table(info.kind, obj, api.clock.now(), include, version)
        if not first[0]:
            table["columnDefinitions"] = None
        first[0] = False
        return table

    return as_table_row


def response(watcher: Watcher, lock: threading.Lock, convert: Convert) -> Response:
    """The chunked 200 answer: one event per chunk, an empty chunk when idle (see http.py)."""
    chunks = (b"" if e is None else encode(e, convert) for e in events(watcher, lock))
    return Response(200, chunks)
