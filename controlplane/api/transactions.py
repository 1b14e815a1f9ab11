"""The transactions every verb runs in, and where its reads come from.

A write joins the current write transaction or opens one (`batch()` groups a multi-document
apply, or the writes a controller planned for one pass, so that they commit together or not
at all); a read uses the current transaction or snapshot, or a reader of its own. An informed
snapshot serves the controllers' lists from this process's informer (`api/informer.py`),
which starts from what the last process over the same store saved of its own, when it can
(`api/informer_snapshot.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

from controlplane.api.informer import Informer
from controlplane.api.informer_snapshot import snapshot_file
from controlplane.clock import Clock
from controlplane.ids import Ids
from controlplane.models.constants import Obj
from controlplane.store import Store
from controlplane.store.reader import Reader
from controlplane.store.store import Transaction


class Transactions:
    """The store, clock and ids a verb works with, and the transaction it shares."""

    def __init__(self, store: Store, clock: Clock, ids: Ids, field_manager: str = "mkctl") -> None:
        self.store = store
        self.clock = clock
        self.ids = ids
        self._txn: Transaction | None = None
        self._snapshot: Reader | None = None
        self._informer: Informer | None = None  # made by the first informed snapshot
        self._informer_file = snapshot_file(store.file)  # where it is saved for the next
        self._informed = False  # reads in this snapshot may come from the informer
        self._informer_synced = False  # the informer is at this snapshot's revision
        # Who writes when a verb is not told (managerOrUserAgent): the API's user names itself
        # when it builds the API (the CLI in process, as the daemon records its User-Agent);
        # the controllers' manager sets its own for each pass (`acting_as`).
        self.field_manager = field_manager

    def wait_for_change(self, revision: int, timeout: float) -> None:
        """Return once the store is no longer at `revision`, or after `timeout` seconds:
        woken by writes (this process's at once, other processes' through the database),
        never by polling it (controlplane/store/wakeups.py)."""
        self.store.wait_for_change(revision, timeout)

    def reset_store(self) -> None:
        """Empty the store (`cluster reset`) and forget what this process's informer holds
        of it. The new cluster's revisions start again from 1 and soon pass the informer's:
        it could no longer tell the emptied store from one that moved on, and would apply the
        new log's tail to the old objects. So would the next process, from the informer saved
        for it: that goes too (the next would find it not continued in the new log anyway).
        """
        self.store.reset()
        self._informer = None
        if self._informer_file is not None:
            with suppress(OSError):
                self._informer_file.unlink(missing_ok=True)

    def wake_waiters(self) -> None:
        """End every `wait_for_change` of this process early (a stop request)."""
        self.store.wake_waiters()

    @contextmanager
    def acting_as(self, field_manager: str) -> Iterator[None]:
        """Writes inside are recorded in managedFields under `field_manager`."""
        before, self.field_manager = self.field_manager, field_manager
        try:
            yield
        finally:
            self.field_manager = before

    @contextmanager
    def batch(self) -> Iterator[None]:
        with self._writing():
            yield

    @contextmanager
    def _writing(self) -> Iterator[Transaction]:
        """The current write transaction, or a new one that nested verbs will share."""
        if self._txn is not None:
            yield self._txn
            return
        informer = self._informer
        copies: list[tuple[int, Obj]] = []
        with self.store.transaction() as txn:
            if informer is not None:
                txn.on_write = lambda revision, obj: _copy(informer, copies, revision, obj)
            self._txn = txn
            try:
                yield txn
            finally:
                self._txn = None
        if copies:  # committed: the informer takes its copies instead of decoding the log
            informer.written(copies)  # type: ignore[union-attr]

    @contextmanager
    def snapshot(self, *, informed: bool = False) -> Iterator[None]:
        """Serve every read inside from one read transaction: one consistent view, cheaply.

        `informed` is for the controllers, which only read what they are handed: lists, and
        gets of a kind listed before, come from this process's informer (`api/informer.py`),
        brought to the snapshot's revision first. Objects from it must not be changed.
        """
        if self._txn is not None or self._snapshot is not None:
            yield
            return
        with self.store.reader() as reader:
            self._snapshot, self._informed, self._informer_synced = reader, informed, False
            try:
                yield
            finally:
                self._snapshot, self._informed = None, False
        if informed and self._informer is not None:
            self._informer.check()

    def _informer_now(self) -> tuple[Informer, Reader] | None:
        """The informer and the snapshot it is current with, when reads may come from it."""
        reader = self._snapshot
        if not self._informed or self._txn is not None or reader is None:
            return None
        if self._informer is None:
            self._informer = self._resumed_informer(reader)
        if not self._informer_synced:
            self._informer.sync(reader)
            self._informer_synced = True
        return self._informer, reader

    def _resumed_informer(self, reader: Reader) -> Informer:
        """A new informer, from the snapshot the last process saved if the store went on
        from it."""
        informer = Informer()
        if self._informer_file is not None:
            informer.resume(reader, self._informer_file)
        return informer

    def save_informer(self) -> None:
        """Leave what this process's informer holds for the next process over the store,
        when that spares the next much reading (`Informer.worth_saving`): embedded mode
        does at the end of each command that ran the controllers. A snapshot that cannot be
        written (a full disk, a read-only folder) is left unsaved: it only saves time."""
        informer, path = self._informer, self._informer_file
        if informer is None or path is None:
            return
        with self.store.reader() as reader, suppress(OSError):
            if informer.worth_saving(reader):
                informer.save(reader, path)

    @contextmanager
    def _reading(self) -> Iterator[Reader]:
        current = self._txn or self._snapshot
        if current is not None:
            yield current
            return
        with self.store.reader() as reader:
            yield reader


def _copy(informer: Informer, copies: list[tuple[int, Obj]], revision: int, obj: Obj) -> None:
    copy = informer.copy_written(obj)
    if copy is not None:
        copies.append((revision, copy))
