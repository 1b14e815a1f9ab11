"""What will happen to one pod's containers, and how long each stage takes.

A `Plan` combines the kubelet's `Timing` with the pod's failure-simulation annotations and its
images (controlplane/models/simulation.py): the outcome of each container, and the delays of
the pod's stages. Annotated delays are taken as written; the others are the timing's, spread by
the pod's own jitter.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

from controlplane.kubelet.timing import Timing
from controlplane.models.constants import Obj
from controlplane.models.meta import annotations_of
from controlplane.models.simulation import (
    COMPLETE_DELAY_ANNOTATION,
    CRASH_DELAY_ANNOTATION,
    PULL_DELAY_ANNOTATION,
    READY_DELAY_ANNOTATION,
    START_DELAY_ANNOTATION,
    STOP_DELAY_ANNOTATION,
    Outcome,
    delay_override,
    outcome_for,
)


@dataclass(frozen=True)
class Plan:
    outcomes: dict[str, Outcome]  # by container name
    pull: float
    start: float
    ready: dict[str, float]  # by container name: from started to the first readiness result
    crash: float
    sync: float
    stop: float
    timing: Timing
    complete: float = 0.0

    def outcome(self, container: str) -> Outcome:
        return self.outcomes.get(container, Outcome.OK)

    def ready_after(self, container: str) -> float:
        return self.ready.get(container, 0.0)

    def backoff(self, failures: int) -> float:
        return self.timing.backoff(failures)


def jitter_factor(uid: str, jitter: float) -> float:
    """A factor in [1 - jitter, 1 + jitter], the same every time for one pod."""
    if jitter == 0:
        return 1.0
    unit = (zlib.crc32(uid.encode()) % 10_001) / 10_000  # 0.0 ... 1.0
    return 1.0 - jitter + 2 * jitter * unit


def first_probe_after(probe: Obj) -> float:
    """When a readiness probe first passes, counted from the container's start.

    The kubelet's probe worker (pkg/kubelet/prober/worker.go) ticks every `periodSeconds`
    (default 10) from when it is created, before the container runs, and skips ticks before
    `initialDelaySeconds` (default 0); a passing result needs `successThreshold` passes in a
    row (1 for readiness by default). Worked example: initialDelaySeconds 5, periodSeconds
    10: the ticks at 10 s, 20 s... are past the delay, so Ready at 10 s; with the defaults,
    also 10 s, which is why a probed pod shows 0/1 Running for a while.
    """
    period = max(float(probe.get("periodSeconds") or 10), 1.0)
    initial = max(float(probe.get("initialDelaySeconds") or 0), 0.0)
    first_tick = max(math.ceil(initial / period), 1) * period
    return first_tick + (max(int(probe.get("successThreshold") or 1), 1) - 1) * period


def plan_for(pod: Obj, timing: Timing) -> Plan:
    annotations = annotations_of(pod)
    factor = jitter_factor(pod["metadata"].get("uid", ""), timing.jitter)

    def delay(base: float, key: str) -> float:
        override = delay_override(annotations, key)
        return override if override is not None else base * factor

    def ready_delay(container: Obj) -> float:
        """A probe's timing is the pod's own, as written (like the back-off, not scaled);
        without one the container is ready as soon as it runs (the prober manager's
        UpdatePodStatus), after the timing's `ready`: 0 in embedded mode and the daemon."""
        probe = container.get("readinessProbe")
        if probe and delay_override(annotations, READY_DELAY_ANNOTATION) is None:
            return first_probe_after(probe)
        return delay(timing.ready, READY_DELAY_ANNOTATION)

    return Plan(
        outcomes={
            c["name"]: outcome_for(annotations, c.get("image", ""))
            for c in pod["spec"]["containers"]
        },
        pull=delay(timing.pull, PULL_DELAY_ANNOTATION),
        start=delay(timing.start, START_DELAY_ANNOTATION),
        ready={c["name"]: ready_delay(c) for c in pod["spec"]["containers"]},
        crash=delay(timing.crash, CRASH_DELAY_ANNOTATION),
        sync=timing.sync * factor,
        stop=delay(timing.stop, STOP_DELAY_ANNOTATION),
        complete=delay(timing.complete, COMPLETE_DELAY_ANNOTATION),
        timing=timing,
    )
