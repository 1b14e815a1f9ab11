"""The API server's periodic work, run by whoever reconciles: compaction and the events' TTL.

kube-apiserver compacts etcd every five minutes (`--etcd-compaction-interval`, staging/src/
k8s.io/apiserver/pkg/storage/etcd3/compact.go), each time to the revision it saw at the
previous tick, and etcd deletes an Event once its lease (`--event-ttl`, one hour) runs out
(`api/events/expiry.py`). mkctl has no API server process of its own in embedded mode, so
the holder of the controller lease does both, on the API's clock: every embedded command
that reconciles, and the daemon as it runs. When each last ran is kept in the store, so a
short-lived command only runs what is due. The daemon's `--speed` shortens the events'
hour, as it shortens every other simulated wait; compaction keeps the store small and is
no simulated wait, so it keeps its five minutes of the clock.

The manager runs this right after it has read the change log, so its own cursor is never
behind what is compacted; watchers that are (a client's watch, another process's informer)
get 410 Expired and list again, as against a real cluster.
"""

from __future__ import annotations

import os

from controlplane.api.verbs import Api

COMPACTION_INTERVAL_SECONDS = 300.0  # kube-apiserver --etcd-compaction-interval=5m0s
# That flag, in seconds, for whoever runs mkctl's control plane (the daemon inherits it).
COMPACTION_INTERVAL_VARIABLE = "MKCTL_ETCD_COMPACTION_INTERVAL"
EVENT_TTL_SECONDS = 3600.0  # kube-apiserver --event-ttl=1h0m0s
# How often expired Events are looked for at most: the apiserver's etcd lease manager reuses
# one lease for the keys written within a minute (lease_manager.go leaseReuseDurationSeconds),
# so an Event there also outlives its TTL by up to a minute. A sweep is not due before the
# oldest Event left can have expired, so a cluster whose events are young sweeps not at all.
EVENT_SWEEP_SECONDS = 60.0
COMPACTION = "compact_rev_key"
EVENT_SWEEP = "event-ttl-sweep"


class Housekeeping:
    def __init__(self, api: Api, speed: float = 1.0) -> None:
        self.api = api
        configured = os.environ.get(COMPACTION_INTERVAL_VARIABLE)
        self.compaction_interval = float(configured or COMPACTION_INTERVAL_SECONDS)
        self.event_ttl = EVENT_TTL_SECONDS / speed
        self.sweep_interval = EVENT_SWEEP_SECONDS / speed
        self._due: dict[str, float] = {}  # task -> when it next runs; read from the store once

    def run_if_due(self) -> None:
        now = self.api.clock.now()
        if self._is_due(COMPACTION, now, self.compaction_interval):
            self._due[COMPACTION] = now + self.compaction_interval
            self.api.compact_to_mark(COMPACTION, self._due[COMPACTION])
        if self._is_due(EVENT_SWEEP, now):
            earliest = self.api.expire_events(self.event_ttl)
            self._due[EVENT_SWEEP] = max(now + self.sweep_interval, earliest)
            self.api.mark(EVENT_SWEEP, self._due[EVENT_SWEEP])

    def _is_due(self, task: str, now: float, interval: float | None = None) -> bool:
        """Whether `task` is due; the first time, as stored, or within `interval` (a
        process given a shorter interval than the last one's does not wait for the old)."""
        if task not in self._due:
            due = self.api.next_due(task) or now
            self._due[task] = due if interval is None else min(due, now + interval)
        return self._due[task] <= now
