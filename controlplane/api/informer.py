"""The informer: every object a controller lists, decoded once per process and kept current.

Kubernetes controllers do not list from etcd on each sync. client-go's informers list a kind
once, then apply the watch's events to an in-memory store that the controllers' listers read
(k8s.io/client-go/tools/cache: reflector.go, thread_safe_store.go). This is the same over
mkctl's store. The first time a controller lists a kind in this process, the kind is read
from the store; from then on a read is served from memory, after bringing every cached kind
to the revision of the reader it is made in by applying the change log since (each change
carries the whole object). So a controller sees exactly what the store shows in its
snapshot, and pays for the changes only. A log compacted past the informer's revision drops
every kind, to be listed again: the reflector's relist on 410 Gone.

What is kept of each object is what a controller reads: without managedFields, and with
parts equal to another object's shared with it (`api/transform.py`, client-go's transform).
Objects are handed out, not copied, and must not be changed: upstream's listers hand out
shared pointers too, and controllers copy before they edit (`models.clone`). Like client-go's
`KUBE_CACHE_MUTATION_DETECTOR` (tools/cache/mutation_detector.go), setting
`MKCTL_CACHE_MUTATION_DETECTOR=1` (the test suite does) keeps the JSON of every object as it
was cached and fails with `CacheMutated` when one handed out has changed since.

A new process need not list at all: at the end of an embedded command the informer is
saved beside the store, and the next command's resumes from it and applies the log since
(`api/informer_snapshot.py`), as a reflector watches on from the last resourceVersion it
saw; a log compacted past it or a reset store lists again, as on 410 Gone.

A controller that keeps sums or indexes over a kind follows it (`follow`), as client-go's
event handlers do (tools/cache/shared_informer.go ResourceEventHandler OnAdd, OnUpdate,
OnDelete): it is handed every object once, then each change as the old and the new object,
and need not walk the kind's list on each sync. A follower's state is saved with the
informer's objects too, and the next process's follower starts from it instead of walking
them (`api/informer_followers.py`).

What this process writes itself, it copies as it writes it (`copy_written`, told by the
store's `Transaction.on_write` once the transaction commits): reading those changes back from
the log hands out the copies instead of decoding the same JSON again. A copy is what the
decoding would give, without managedFields, or is not made (`transform.NotJson`); upstream's
controllers decode their own writes from the watch, which costs Go much less than Python.
"""

from __future__ import annotations

import bisect
import gc
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from controlplane.api.informer_followers import Follower, Resumable, SavedStates, saved_states
from controlplane.api.informer_mutations import DETECTOR_VARIABLE, MutationDetector
from controlplane.api.informer_snapshot import Snapshot, change_at, load, save
from controlplane.api.registry import is_custom
from controlplane.api.transform import UNTYPED_KINDS, NotJson, SharedParts
from controlplane.models.constants import ChangeType, Obj
from controlplane.models.meta import Change, Key, controller_uid, key_of
from controlplane.store import Compacted
from controlplane.store.reader import Reader

LIST_PAGE = 500
SAVE_AFTER_SHARE = 32


@contextmanager
def collector_paused() -> Iterator[None]:
    """Decoding a big list allocates a million containers; each collection on the way would
    walk the growing heap (a 10,000-pod list took 2 s with the cyclic GC running, 0.45 s
    without). JSON trees hold no cycles: reference counting frees them all the same."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _KindCache:
    """One kind's objects, with their keys in (namespace, name) order as the store lists
    them, overall and per controller uid (None: objects no controller owns). The index by
    controller is made at the first list by controller: a command that never asks for one
    (a heal among 10,000 pods resumed from a snapshot) need not look at every object."""

    def __init__(self, objects: list[Obj]) -> None:
        self.objects = {key_of(obj): obj for obj in objects}
        # Sorted here, in Python's order, whatever the database's collation (SQLite's is the
        # same, so this is one pass over an already sorted list).
        self.order = sorted(self.objects)
        self._owned: dict[str | None, list[Key]] | None = None

    @property
    def owned(self) -> dict[str | None, list[Key]]:
        if self._owned is None:
            self._owned = {}
            for key in self.order:
                self._owned.setdefault(controller_uid(self.objects[key]), []).append(key)
        return self._owned

    def put(self, key: Key, obj: Obj) -> Obj | None:
        """Store `obj` at `key`; the object it replaces, if any."""
        old = self.objects.get(key)
        self.objects[key] = obj
        if old is None:
            bisect.insort(self.order, key)
        if self._owned is None:
            return old
        if old is not None:
            if controller_uid(old) == controller_uid(obj):
                return old
            self._unindex(key, controller_uid(old))
        bisect.insort(self._owned.setdefault(controller_uid(obj), []), key)
        return old

    def remove(self, key: Key) -> Obj | None:
        old = self.objects.pop(key, None)
        if old is None:
            return None
        del self.order[bisect.bisect_left(self.order, key)]
        if self._owned is not None:
            self._unindex(key, controller_uid(old))
        return old

    def _unindex(self, key: Key, owner: str | None) -> None:
        keys = self.owned[owner]
        del keys[bisect.bisect_left(keys, key)]
        if not keys:
            del self.owned[owner]

    def keys(self, owner: str | None, include_orphans: bool) -> list[Key]:
        if owner is None:
            return self.order
        owned = self.owned
        keys = owned.get(owner, [])
        if include_orphans and None in owned:
            keys = sorted(keys + owned[None])  # two sorted runs: one merge
        return keys


class Informer:
    """The cached kinds, all at `revision`: the last change of the log applied to them."""

    def __init__(self, detect_mutations: bool | None = None) -> None:
        if detect_mutations is None:
            detect_mutations = os.environ.get(DETECTOR_VARIABLE, "") not in ("", "0")
        self.revision = 0
        self._kinds: dict[str, _KindCache] = {}
        self._followers: dict[str, list[Follower]] = {}
        self._parts = SharedParts()
        self._detector = MutationDetector() if detect_mutations else None
        # Objects read from the store, listed or changed, since the informer was made or
        # resumed: what a saved snapshot would spare the next process (`worth_saving`).
        self._read = 0
        self._resumed_from = 0  # the revision of the snapshot it resumed from, if any
        self._saved = SavedStates({}, {})  # its followers' states, for them to resume from
        self._walked = False  # a follower that saves its state walked a resumed kind
        # Copies of the objects this process wrote, by revision, until the log is read past
        # them (`written`, `written_until`).
        self._written: dict[int, Obj] = {}

    def caches(self, kind: str) -> bool:
        return kind in self._kinds

    def sync(self, reader: Reader) -> None:
        """Bring every cached kind to the revision `reader` sees."""
        revision = reader.current_revision()
        if revision == self.revision:
            return
        if revision < self.revision:  # an emptied store (`cluster reset`) starts again
            self._relist()
        if self._kinds:
            try:
                self._apply(reader.changes_after(self.revision))
            except Compacted:
                self._relist()
        self.revision = revision

    def _relist(self) -> None:
        """Drop every kind, to be listed again, and the followers' states saved for them."""
        self._kinds.clear()
        self._saved.drop()

    def resume(self, reader: Reader, path: Path) -> bool:
        """Start from the snapshot saved at `path` (a new informer only) if the store
        `reader` sees went on from it; the next `sync` applies the changes since
        (`api/informer_snapshot.py`). True if it did."""
        if self._kinds or self.revision:
            return False
        with collector_paused():  # as for a first list (`_cache`): 1.5 s -> 0.1 s
            snapshot = load(path)
            if snapshot is None or not snapshot.continues_in(reader):
                return False
            held = sum(map(len, snapshot.kinds.values()))
            if reader.current_revision() - snapshot.revision > held:
                return False  # more changes to read than objects: a list costs less
            for kind, objects in snapshot.kinds.items():
                self._kinds[kind] = _KindCache(objects)
            self._saved = SavedStates(snapshot.followers, snapshot.kinds)
            gc.freeze()
        if self._detector is not None:
            for objects in snapshot.kinds.values():
                for obj in objects:
                    self._detector.cached(obj)
        self.revision = self._resumed_from = snapshot.revision
        return True

    def save(self, reader: Reader, path: Path) -> bool:
        """Save what the informer holds at `path`, for another process to `resume` from;
        not when it holds nothing, or when the log no longer holds the change at its
        revision, which identifies the store's history up to it. True if it did."""
        last = change_at(reader, self.revision) if self._kinds and self.revision else None
        if last is None:
            return False
        kinds = {kind: list(cache.objects.values()) for kind, cache in self._kinds.items()}
        followers = self._saved.unchanged()
        for kind, states in saved_states(kinds, self._followers).items():
            followers.setdefault(kind, {}).update(states)
        save(path, Snapshot(self.revision, last, kinds, followers))
        return True

    def worth_saving(self, reader: Reader) -> bool:
        """Whether the next process would read much less from a snapshot of this informer
        than from the one it resumed from: it has listed a kind, or read changes since that
        come to more than a thirty-second of its objects (saving takes about a tenth of the
        time listing does per object, and each process resumed from an older snapshot reads
        every change since again); or a follower had to walk the objects it resumed, for
        want of a state of its own in that snapshot, and the next process's would again; or
        the log was compacted past the snapshot it resumed from, which the next process
        could not use. The command that compacts saves anew, and the next compaction, to
        the revision of this one (runtime/housekeeping.py), leaves that snapshot usable."""
        held = sum(len(cache.objects) for cache in self._kinds.values())
        if not held:
            return False
        if self._read * SAVE_AFTER_SHARE > held or self._walked:
            return True
        return bool(self._resumed_from) and change_at(reader, self._resumed_from) is None

    def observe(self, after: int, changes: list[Change]) -> None:
        """Changes after `after` that someone else has read from the log: applied when they
        continue from the informer's revision, so that the next `sync` need not read them."""
        if not changes or changes[-1].revision <= self.revision:
            return
        if after == self.revision or not self._kinds:
            self._apply(changes)
            self.revision = changes[-1].revision

    def check(self) -> None:
        """With the mutation detector on: fail if an object handed out since the last check
        has been changed (`CacheMutated`)."""
        if self._detector is not None:
            self._detector.check()

    def follow(self, reader: Reader, kind: str, follower: Follower) -> None:
        """Keep `follower` told about every object of `kind` (see `Follower`), from now on
        and whenever the kind is listed again; listing the kind first if it is not cached."""
        followers = self._followers.setdefault(kind, [])
        self._cache(reader, kind)
        if follower not in followers:
            followers.append(follower)
            objects = self._saved.resume(kind, follower)
            if objects is None:
                objects = list(self._kinds[kind].objects.values())
                follower.relisted(objects)
                resumable = isinstance(follower, Resumable) and follower.saved_as
                self._walked = self._walked or bool(resumable and self._resumed_from)
            if self._detector is not None:
                self._detector.handed(objects)

    def copy_written(self, obj: Obj) -> Obj | None:
        """What the informer would keep of `obj`, just written (so as the change log holds
        it), when it caches the kind: reading the change back then need not decode it. None
        for a kind it does not cache, or one whose parts it does not share (a copy would
        cost what decoding does), or an object that is not plain JSON (`NotJson`)."""
        kind = obj.get("kind")
        if kind not in self._kinds or kind in UNTYPED_KINDS or is_custom(str(kind)):
            return None
        try:
            return self._parts.kept(obj)
        except NotJson:
            return None

    def written(self, copies: Iterable[tuple[int, Obj]]) -> None:
        """`copy_written`'s copies of one committed transaction's writes, by revision."""
        self._written.update(copies)

    @property
    def copies(self) -> Mapping[int, Obj]:
        """The copies of this process's writes whose changes have not been read yet."""
        return self._written

    def forget_copies(self, until: int) -> None:
        """The log has been read up to `until`: its copies are no longer wanted, nor any
        before (a reader that went past them)."""
        written = self._written
        while written:
            first = next(iter(written))
            if first > until:
                return
            del written[first]

    def _apply(self, changes: list[Change]) -> None:
        self._read += len(changes)
        for change in changes:
            kind = change.obj["kind"]
            cache = self._kinds.get(kind)
            if cache is None:
                continue
            key = change.key
            new: Obj | None = None
            if change.type == ChangeType.DELETED:
                old = cache.remove(key)
            else:
                new = change.obj if change.kept else self._kept(change.obj)
                old = cache.put(key, new)
                if self._detector is not None:
                    self._detector.cached(new)
            for follower in self._followers.get(kind, ()):
                follower.changed(old, new)
            self._saved.applied(kind, old, new)

    def _kept(self, obj: Obj) -> Obj:
        return self._parts.kept(obj, typed=not is_custom(obj["kind"]))

    def get(self, key: Key) -> Obj | None:
        """The object at `key` of a cached kind (see `caches`), or None."""
        obj = self._kinds[key.kind].objects.get(key)
        if obj is not None and self._detector is not None:
            self._detector.handed([obj])
        return obj

    def list(
        self,
        reader: Reader,
        kind: str,
        namespace: str | None,
        controller_uid: str | None,
        include_orphans: bool,
    ) -> list[Obj]:
        """As `Reader.list`, from memory; the first list of a kind reads all of it."""
        cache = self._cache(reader, kind)
        objects = cache.objects
        keys = cache.keys(controller_uid, include_orphans)
        if namespace is None or (keys and keys[0].namespace == keys[-1].namespace == namespace):
            found = list(map(objects.__getitem__, keys))  # sorted: all in the one namespace
        else:
            found = [objects[key] for key in keys if key.namespace == namespace]
        if self._detector is not None:
            self._detector.handed(found)
        return found

    def _cache(self, reader: Reader, kind: str) -> _KindCache:
        """The kind's cache, listed from the store the first time (its followers told)."""
        cache = self._kinds.get(kind)
        if cache is None:
            with collector_paused():
                cache = self._kinds[kind] = _KindCache(list(self._listed(reader, kind)))
                self._read += len(cache.objects)
                # They live as long as the process: out of the collector's sight, the next
                # collections need not walk them again, young then old (~0.3 s for 10,000 pods).
                gc.freeze()
            if self._detector is not None:
                for obj in cache.objects.values():
                    self._detector.cached(obj)
            for follower in self._followers.get(kind, ()):
                follower.relisted(list(cache.objects.values()))
        return cache

    def _listed(self, reader: Reader, kind: str) -> Iterator[Obj]:
        """Every object of a kind as the informer keeps it, read a page at a time as
        client-go's reflector lists (tools/pager/pager.go, 500 a page): only a page is ever
        held whole, decoded and with its managedFields."""
        after = None
        while True:
            page = reader.list_after(kind, None, after, LIST_PAGE)
            for obj in page:
                yield self._kept(obj)
            if len(page) < LIST_PAGE:
                return
            last = key_of(page[-1])
            after = (last.namespace, last.name)
