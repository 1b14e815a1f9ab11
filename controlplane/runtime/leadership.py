"""The manager's hold on the controller lease: becoming the leader and loading the progress
the last one saved, renewing each RetryPeriod, stepping down, saving progress (fenced like a
pass), releasing at exit, and the settled-cluster check of embedded commands.

Kept apart from the queue and the executor (`manager.py`), which inherit it: `Leadership`
owns the election (`leader_election.LeaderElector`) and works on the queue state the
manager keeps.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api
from controlplane.models.constants import Kind
from controlplane.models.meta import Key
from controlplane.runtime.leader_election import LeaderElector, LeaderLost
from controlplane.runtime.lease import (
    CLI,
    LEASE_NAME,
    LeaderElectionConfig,
    daemon_reconciles,
    role_of,
)

log = logging.getLogger(__name__)

# How often a command waiting for another command's lease looks again: commands hold it
# for a moment only, so a candidate polls faster than the daemons' RetryPeriod.
COMMAND_RETRY_SECONDS = 0.05
# Changes past the saved cursor that a settled-cluster check reads to see they are all the
# controller lease's own.
LEASE_CHANGES_IGNORED = 16


class LeaseBusy(LeaderLost):
    """Another process held the controller lease for longer than we were willing to wait."""


class Leadership:
    # The manager's queue state, which taking and losing the lease resets.
    _queues: dict[str, dict[Key, None]]
    _delayed: dict[tuple[str, Key], float]
    _retries: dict[tuple[str, Key], int]
    _cursor: int
    _saved: Any

    def __init__(
        self,
        api: Api,
        holder: str,
        election: LeaderElectionConfig | None,
        sleep: Callable[[float], None],
    ) -> None:
        self.api = api
        self.holder = holder
        self._sleep = sleep
        self.election = election or LeaderElectionConfig()
        self.elector = LeaderElector(api, holder, self.election)
        self._last_try = 0.0

    def _acquire(
        self, wait_seconds: float, should_stop: Callable[[], bool] = lambda: False
    ) -> None:
        """Become the leader (LeaseBusy past `wait_seconds`), then load the progress the last
        leader saved."""
        deadline = self.api.clock.now() + wait_seconds
        retry = COMMAND_RETRY_SECONDS if role_of(self.holder) == CLI else self.election.retry_period
        while not self.elector.try_acquire_or_renew():
            if self.api.clock.now() > deadline or should_stop():
                raise LeaseBusy("another mkctl process is still reconciling the cluster")
            self._sleep(retry)
        self._last_try = self.api.clock.now()
        self._forget_work()
        progress = self.api.lease(LEASE_NAME)
        if progress is None:
            return
        self._cursor = progress.cursor
        for name, kind, namespace, key_name, due in progress.pending:
            if name in self._queues:
                self._delayed[(name, Key(kind, namespace, key_name))] = due

    def _forget_work(self) -> None:
        """Drop what this process owed: a leader that lost the lease owes nothing, and one
        that takes it owes what the progress row says."""
        for queue in self._queues.values():
            queue.clear()
        self._delayed.clear()
        self._retries.clear()
        self._cursor, self._saved = 0, None

    def daemon_holds_lease(self) -> bool:
        """A live daemon reconciles: CLI commands then only read and write, like kubectl."""
        return daemon_reconciles(self.api, self.holder)

    def _save_progress(self) -> None:
        """Store the cursor and the keys still to do beside the lease, for whoever runs next,
        fenced like a pass: a deposed leader's progress is not saved.

        Queued keys are saved as due now, so progress can be saved between any two passes:
        a process killed later resumes from here, never from further back than the last save.
        """
        pending: list[Any] = [[n, *key, 0.0] for n, queue in self._queues.items() for key in queue]
        pending += [[n, *key, due] for (n, key), due in self._delayed.items()]
        with self.api.batch():
            self.elector.fence()
            self.api.save_progress(LEASE_NAME, self.holder, self._cursor, pending)

    def _release(self) -> None:
        """Save the progress and give the lease up, in one transaction; a lease lost
        meanwhile is left alone."""
        try:
            with self.api.batch():
                self._save_progress()
                self.elector.release()
        except LeaderLost:
            return

    def _renew_if_due(self) -> None:
        """Renew each RetryPeriod (the leader's renew loop): LeaseBusy when another process
        holds the lease, or when renewing has failed for longer than RenewDeadline."""
        now = self.api.clock.now()
        if now - self._last_try < self.election.retry_period:
            return
        self._last_try = now
        try:
            renewed = self.elector.try_acquire_or_renew()
        except Exception as exc:
            renewed_at = self.elector.renewed_at or 0.0
            if now - renewed_at <= self.election.renew_deadline:
                log.warning("failed to renew the controller lease: %s; retrying", exc)
                return
            raise LeaseBusy(f"failed to renew lease {LEASE_NAME}: {exc}") from exc
        if not renewed:
            raise LeaseBusy("lost the controller lease")
        self._save_progress_if_changed()

    def _nothing_to_do(self) -> bool:
        """No change since the saved cursor but the controller lease's own (taken, renewed,
        released: no controller watches Leases), and no saved key due: a settled cluster."""
        progress = self.api.lease(LEASE_NAME)
        if progress is None:
            return False
        try:
            changes = self.api.changes_after(progress.cursor, LEASE_CHANGES_IGNORED)
        except ApiError:  # compacted: relisting is work
            return False
        if len(changes) == LEASE_CHANGES_IGNORED or any(
            change.obj.get("kind") != Kind.LEASE for change in changes
        ):
            return False
        now = self.api.clock.now()
        return all(entry[-1] > now for entry in progress.pending)

    def _renewal_overdue(self) -> bool:
        """After a failed pass: has the leader gone RenewDeadline without renewing? Then it
        steps down, as client-go's renew loop gives up, forgetting its work."""
        renewed_at = self.elector.renewed_at
        now = self.api.clock.now()
        if renewed_at is not None and now - renewed_at <= self.election.renew_deadline:
            return False
        log.warning("failed to renew lease %s in time: stopping the controllers", LEASE_NAME)
        self._forget_work()
        self.elector.renewed_at = None
        return True

    def _release_or_log(self) -> None:
        """Release the lease at exit; a store still failing then only costs the next holder
        the lease's expiry (or less: a dead holder's lease is taken over at once)."""
        try:
            self._release()
        except Exception as exc:
            log.warning("could not release the controller lease: %s", exc)

    def _save_progress_if_changed(self) -> None:
        state = (self._cursor, sorted(self._delayed.items()))
        if state != self._saved:
            self._save_progress()
            self._saved = state
