"""The informer's state saved beside the store, for the next process to resume from.

Each embedded mkctl command is a new process, and its informer (`api/informer.py`) would
list and decode every object a controller reads before the first sync: with 10,000 pods,
four times what the rest of a one-pod command costs. client-go's reflector, once it has
listed, only watches on from the last resourceVersion it saw, and lists again only when
the watch answers 410 Gone (k8s.io/client-go/tools/cache/reflector.go: `ListAndWatch`,
`relistResourceVersion`). mkctl's processes are short, so the reflector's memory is kept on
disk: at the end of a command the informer's objects are saved with the revision they are
at, and the next command's informer starts from them and applies the change log since, as
a watch from that revision would deliver it.

A snapshot is used only when the store's log still holds, unchanged, the change at the
snapshot's revision: a log compacted past it (the reflector's 410), a store emptied by
`cluster reset` (its revisions start again, with other uids and times), or another store
in the file all fail that test, and the informer lists every kind again. Every watch and
controller still sees every change: the log since the snapshot is applied whole, and the
objects are the very ones the informer kept (`api/transform.py`), already without
managedFields.

Beside the objects are the states of the followers that keep sums or indexes over them
(`api/informer_followers.py`: the scheduler's per-node sums, the ReplicaSet controller's pod
facts), derived from those very objects at the same revision: the next process's followers
start from them and are told the changes since, as they would be in one long process,
instead of walking every object once more.

The file is `marshal`'s, which keeps an object met twice as one object: the parts the
informer shares between objects stay shared once loaded, and loading 10,000 pods takes a
twentieth of decoding and sharing their JSON. Objects are written a thousand at a time, so
that saving never holds the whole file in memory. It is private to its owner, as every
file in `MKCTL_HOME` is, and is read only by the same Python and `FORMAT`; anything else
in it (a torn or foreign file) is ignored.
"""

from __future__ import annotations

import marshal
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from controlplane.home import open_private
from controlplane.models.constants import Obj
from controlplane.models.meta import Change
from controlplane.store import Compacted
from controlplane.store.reader import Reader

# Raised with what the informer keeps of an object (api/transform.py), with this layout, or
# with the shape of a follower's saved state.
FORMAT = 2
SUFFIX = ".informer"
CHUNK = 1000
LENGTH_BYTES = 8
MAGIC = b"mkctl informer\n"
_UNREADABLE = (OSError, EOFError, ValueError, TypeError, KeyError, IndexError)


@dataclass
class Snapshot:
    """Every cached kind's objects at `revision`, and the change the log holds at it; and
    the saved states of the kinds' followers, by kind and by the name they are saved as,
    each naming objects by their place in its kind's list."""

    revision: int
    last: Change
    kinds: dict[str, list[Obj]]
    followers: dict[str, dict[str, Any]] = field(default_factory=dict)

    def continues_in(self, reader: Reader) -> bool:
        """Whether the store `reader` sees went on from this snapshot: its log still holds
        the very change at the snapshot's revision."""
        if reader.current_revision() < self.revision:
            return False
        return change_at(reader, self.revision) == self.last


def change_at(reader: Reader, revision: int) -> Change | None:
    """The change the log holds at `revision`; None once compacted away (or never made)."""
    try:
        found = reader.changes_after(revision - 1, limit=1)
    except Compacted:
        return None
    return found[0] if found and found[0].revision == revision else None


def snapshot_file(store_file: str | None) -> Path | None:
    """Where the informer of the store in `store_file` is saved: beside it, `cluster.db`'s
    as `cluster.informer`; None for a store in no file of its own (memory, a server)."""
    if store_file is None:
        return None
    store = Path(store_file)
    if store.suffix == SUFFIX:
        return None
    return store.with_name(store.stem + SUFFIX)


def save(path: Path, snapshot: Snapshot) -> None:
    """Replace `path` with `snapshot`, atomically: a reader finds the old file or the new."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        with os.fdopen(open_private(partial, os.O_WRONLY | os.O_TRUNC), "wb") as out:
            _write(out, snapshot)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def _write(out: BinaryIO, snapshot: Snapshot) -> None:
    last = snapshot.last
    counts = [(str(kind), len(objects)) for kind, objects in snapshot.kinds.items()]
    out.write(MAGIC)
    _put(out, (FORMAT, tuple(sys.version_info[:2]), snapshot.revision, tuple(last), counts))
    for objects in snapshot.kinds.values():
        for start in range(0, len(objects), CHUNK):
            _put(out, objects[start : start + CHUNK])
    _put(out, {str(kind): named for kind, named in snapshot.followers.items()})


def _put(out: BinaryIO, value: Any) -> None:
    """One value, its length first: `marshal.load` reads a file in calls to its
    `readinto` for each string, fifteen times slower than `marshal.loads` of the bytes."""
    data = marshal.dumps(value)
    out.write(len(data).to_bytes(LENGTH_BYTES, "little"))
    out.write(data)


def _get(source: BinaryIO, end: int) -> Any:
    size = int.from_bytes(source.read(LENGTH_BYTES), "little")
    if source.tell() + size > end:
        raise EOFError("the snapshot ends early")
    return marshal.loads(source.read(size))


def load(path: Path) -> Snapshot | None:
    """The snapshot saved at `path`, or None if there is none this mkctl can read."""
    try:
        with path.open("rb") as source:
            if source.read(len(MAGIC)) != MAGIC:
                return None
            return _read(source, os.fstat(source.fileno()).st_size)
    except _UNREADABLE:
        return None


def _read(source: BinaryIO, end: int) -> Snapshot | None:
    header: Any = _get(source, end)
    version, python, revision, last, counts = header
    if version != FORMAT or python != tuple(sys.version_info[:2]):
        return None
    kinds: dict[str, list[Obj]] = {}
    for kind, count in counts:
        objects = kinds[kind] = []
        while len(objects) < count:
            objects += _get(source, end)
        if len(objects) != count:
            return None
    followers: dict[str, dict[str, Any]] = _get(source, end)
    return Snapshot(revision, Change(*last), kinds, followers)
