"""The manager: a deduplicating work queue fed by the change log, and the executor.

Each pass takes every queued key of one controller, lets it plan, and applies the planned
writes in one transaction. The writes land in the change log, which feeds the next keys:
a command that changes one object reconciles its owners and dependents, not the cluster.

A pass that fails for any reason (a full disk, a store locked past its busy timeout) puts
its keys back in the queue, so the progress saved afterwards still owes them: no work is
ever dropped. The daemon's loop then backs off and tries again, and never exits on a store
that is busy or failing; an embedded command's run stops and reports the failure.

Only the holder of the controller lease (the Lease kube-system/kube-controller-manager,
see `leader_election`) reconciles, so two processes never fight over the same objects, and
each pass's transaction checks that it still holds it (`LeaderElector.fence`): a leader
deposed meanwhile writes nothing and stops. The store's progress row, beside the Lease,
keeps the change-log cursor and the delayed keys (a pod that becomes available after
minReadySeconds), so that the next leader, or in embedded mode the next mkctl command,
continues where the last one stopped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from controlplane import failpoints
from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api, StoreError
from controlplane.models.constants import Kind
from controlplane.models.meta import Change, Key
from controlplane.runtime import heap
from controlplane.runtime.actions import (
    Action,
    Bind,
    Create,
    Delete,
    FinalizeNamespace,
    RecordEvent,
    RequeueAfter,
    Update,
    UpdateStatus,
)
from controlplane.runtime.controller import Controller
from controlplane.runtime.leader_election import LeaderLost
from controlplane.runtime.leadership import Leadership
from controlplane.runtime.lease import CLI, LeaderElectionConfig, holder_identity
from controlplane.runtime.relist import relist
from controlplane.runtime.writes import create, delete

log = logging.getLogger(__name__)

MAX_RETRIES = 5
FIRST_BACKOFF_SECONDS = 0.1
MAX_BACKOFF_SECONDS = 5.0
CHANGES_PER_READ = 10_000
RENEWAL_MARGIN_SECONDS = 0.01
# The managers that controllers' writes are recorded under in managedFields: client-go's
# default is its binary's name (the User-Agent prefix), so upstream shows these three.
CONTROLLER_MANAGER = "kube-controller-manager"
FIELD_MANAGERS = {"kubelet": "kubelet", "scheduler": "kube-scheduler"}
# Kinds whose additions and updates no controller reads (their deletions, and objects with
# finalizers, the garbage collector and the namespace controller do): the change log need
# not decode them for the controllers (`Reader.changes_after`).
UNREAD_KINDS = frozenset({Kind.EVENT})


class NotSettled(RuntimeError):
    """The controllers kept finding work past the pass limit: a controller is not converging."""


class Manager(Leadership):
    def __init__(
        self,
        api: Api,
        controllers: Sequence[Controller],
        *,
        holder: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        election: LeaderElectionConfig | None = None,
        housekeeping: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(api, holder or holder_identity(CLI), election, sleep)
        self._housekeeping = housekeeping  # periodic work due to the lease holder
        self.controllers = list(controllers)
        self._queues: dict[str, dict[Key, None]] = {c.name: {} for c in self.controllers}
        self._delayed: dict[tuple[str, Key], float] = {}
        self._retries: dict[tuple[str, Key], int] = {}
        self._cursor = 0
        self._turn = 0
        self._saved: Any = None

    # --- the queue ----------------------------------------------------------------------

    def enqueue(self, controller: str, key: Key) -> None:
        self._queues[controller][key] = None

    def _read_changes(self) -> None:
        with self.api.snapshot(informed=True):
            self._read_changes_in_snapshot()

    def _read_changes_in_snapshot(self) -> None:
        while True:
            try:
                changes = self.api.changes_after(self._cursor, CHANGES_PER_READ, UNREAD_KINDS)
            except ApiError as exc:
                if exc.reason != "Expired":
                    raise
                log.info("%s; listing every object again", exc.message)
                self._cursor, changes = relist(self.api)
                self._offer(changes)
                return
            self._offer(changes)
            if len(changes) < CHANGES_PER_READ:
                if changes:
                    self._cursor = changes[-1].revision
                return
            self._cursor = changes[-1].revision

    def _offer(self, changes: list[Change]) -> None:
        for change in changes:
            if change.partial:
                continue
            for controller in self.controllers:
                for key in controller.keys_for(change):
                    self.enqueue(controller.name, key)

    def _promote_due(self) -> None:
        now = self.api.clock.now()
        for (name, key), due in list(self._delayed.items()):
            if due <= now:
                del self._delayed[(name, key)]
                self.enqueue(name, key)

    def _next_batch(self) -> tuple[Controller, list[Key]] | None:
        """The queued keys of the next controller with work, taking turns after the last
        one to run, as upstream's controllers each run on their own. Restarting from the
        first let the ReplicaSet controller sync its 10,000 pods again after each step of
        one replacement pod (created, bound, started) instead of once after all of them."""
        count = len(self.controllers)
        for step in range(count):
            index = (self._turn + step) % count
            controller = self.controllers[index]
            queue = self._queues[controller.name]
            if queue:
                keys = list(queue)
                queue.clear()
                self._turn = index + 1
                return controller, keys
        return None

    # --- running ------------------------------------------------------------------------

    def run_until_settled(
        self,
        max_passes: int = 100_000,
        lease_wait: float = 60.0,
        after_pass: Callable[[], None] | None = None,
    ) -> int:
        """Reconcile until no controller has work that is due now; returns passes run.
        `after_pass` is called after each pass (a progress display reads the cluster there).

        Work due later (a delayed requeue) is kept in the lease for the next run. When the
        lease shows nothing new since the last run, nothing is written at all: a read-only
        command, or one whose write failed, leaves the store byte for byte as it was.
        """
        if self._nothing_to_do():
            return 0
        self._acquire(lease_wait)
        try:
            passes = 0
            while True:
                self._read_changes()
                self._housekeeping()
                self._promote_due()
                batch = self._next_batch()
                if batch is None:
                    return passes
                passes += 1
                if passes > max_passes:
                    raise NotSettled(f"still reconciling after {max_passes} passes")
                self._run(*batch)
                heap.after_pass()
                if after_pass is not None:
                    after_pass()
                self._renew_if_due()
        finally:
            self._release()

    def run_forever(self, should_stop: Callable[[], bool]) -> None:
        """The daemon's loop: reconcile as work arrives, on the real clock, until told to stop.

        A settled loop sleeps until the store's next write wakes it (its own API server's at
        once, another process's through the database: controlplane/store/wakeups.py), the
        next delayed key is due, or the lease needs renewing; `wake` ends the wait early.

        Progress (cursor, queued and delayed keys) is saved whenever the queue runs dry and
        with each lease renewal, so a restart after a crash re-reads little; re-reading is
        safe, since reconciles are idempotent. A failure (the store full, locked by another
        process, read-only) is logged and retried with a growing back-off; a lease lost
        meanwhile (it expired while the store was locked) is waited for again.
        """
        backoff = FIRST_BACKOFF_SECONDS
        held = False
        try:
            while not should_stop():
                try:
                    if not held:
                        self._acquire(float("inf"), should_stop)
                        held = True
                    self._reconcile_once()
                    backoff = FIRST_BACKOFF_SECONDS
                except LeaderLost as exc:
                    if held:
                        log.warning("%s: stopping the controllers until it is ours again", exc)
                        self._forget_work()
                    held = False
                except Exception as exc:
                    log.warning(
                        "reconciling failed: %s; retrying in %.1f s",
                        exc,
                        backoff,
                        exc_info=not isinstance(exc, StoreError),
                    )
                    if held and self._renewal_overdue():
                        held = False
                    self._pause(backoff, should_stop)
                    backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
        finally:
            if held:
                self._release_or_log()

    def _reconcile_once(self) -> None:
        self._read_changes()
        self._housekeeping()
        self._promote_due()
        batch = self._next_batch()
        if batch is not None:
            self._run(*batch)
            heap.after_pass()
        else:
            self._save_progress_if_changed()
            self._idle(self._idle_for(self._until_renewal()))
        self._renew_if_due()

    def _idle(self, seconds: float) -> None:
        """Wait for work: on the real clock, until a write moves the store past the cursor;
        a manager given another `sleep` (a test's fake clock) sleeps on it instead."""
        if self._sleep is time.sleep:
            self.api.wait_for_change(self._cursor, seconds)
        else:
            self._sleep(seconds)

    def wake(self) -> None:
        """End an idle wait now (the daemon's stop request, from its signal handler)."""
        self.api.wake_waiters()

    def _until_renewal(self) -> float:
        """Seconds until `_renew_if_due` renews the lease, each RetryPeriod (just past, so
        that it does)."""
        due = self._last_try + self.election.retry_period + RENEWAL_MARGIN_SECONDS
        return max(0.0, due - self.api.clock.now())

    def _pause(self, seconds: float, should_stop: Callable[[], bool]) -> None:
        """Sleep for `seconds`, in short steps so that a stop request is not kept waiting."""
        deadline = self.api.clock.now() + seconds
        while not should_stop() and self.api.clock.now() < deadline:
            self._sleep(min(0.1, seconds))

    def _idle_for(self, longest: float) -> float:
        if not self._delayed:
            return longest
        return max(0.0, min(longest, min(self._delayed.values()) - self.api.clock.now()))

    def _run(self, controller: Controller, keys: list[Key]) -> None:
        """One pass over `keys`; on any failure but an API error they go back in the queue."""
        try:
            with self.api.snapshot(informed=True):
                actions = controller.reconcile(keys)
            failpoints.hit(f"{controller.name}.before-write")
            self._execute(controller, actions)
            for key in keys:
                self._retries.pop((controller.name, key), None)
        except ApiError as exc:
            if len(keys) == 1:
                self._retry_later(controller, keys[0], exc)
                return
            try:
                for key in keys:  # find the key that fails, let the others through
                    self._run(controller, [key])
            except BaseException:
                self._requeue(controller, keys)
                raise
        except BaseException:
            self._requeue(controller, keys)
            raise

    def _requeue(self, controller: Controller, keys: list[Key]) -> None:
        """Owe `keys` again: a pass that did not commit did nothing (reconciles are
        idempotent, so the keys of a split batch that went through run once more)."""
        for key in keys:
            self.enqueue(controller.name, key)

    def _retry_later(self, controller: Controller, key: Key, exc: ApiError) -> None:
        tries = self._retries.get((controller.name, key), 0) + 1
        if tries > MAX_RETRIES:
            log.warning("%s: giving up on %s after %d tries: %s", controller.name, key, tries, exc)
            self._retries.pop((controller.name, key), None)
            return
        self._retries[(controller.name, key)] = tries
        self.enqueue(controller.name, key)

    def _execute(self, controller: Controller, actions: list[Action]) -> None:
        """Apply one pass's writes through the API, in one transaction."""
        api = self.api
        with api.batch(), api.acting_as(FIELD_MANAGERS.get(controller.name, CONTROLLER_MANAGER)):
            self.elector.fence()
            for action in actions:
                match action:
                    case Create() | RecordEvent():
                        create(api, action)
                    case Update(obj):
                        api.update(obj)
                    case UpdateStatus(obj):
                        api.update_status(obj)
                    case Delete():
                        delete(api, action)
                    case FinalizeNamespace(name, token):
                        api.finalize_namespace(name, token)
                    case Bind(namespace, name, node):
                        api.bind(namespace, name, node)
                    case RequeueAfter(key, seconds):
                        due = api.clock.now() + seconds
                        slot = (controller.name, key)
                        self._delayed[slot] = min(due, self._delayed.get(slot, due))
            failpoints.hit(f"{controller.name}.before-commit")
        failpoints.hit(f"{controller.name}.after-commit")
