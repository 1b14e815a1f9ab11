"""What will happen to one pod's containers, and how long each stage takes.

A `Plan` combines the kubelet's `Timing` with the pod's failure-simulation annotations and its
images (controlplane/models/simulation.py): the outcome of each container, and the delays of
the pod's stages. Annotated delays are taken as written; the others are the timing's, spread by
the pod's own jitter.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from controlplane.kubelet.timing import Timing
from controlplane.models.constants import Obj
from controlplane.models.meta import annotations_of
from controlplane.models.simulation import (
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
    ready: float
    crash: float
    sync: float
    stop: float
    timing: Timing

    def outcome(self, container: str) -> Outcome:
        return self.outcomes.get(container, Outcome.OK)

    def backoff(self, failures: int) -> float:
        return self.timing.backoff(failures)


def jitter_factor(uid: str, jitter: float) -> float:
    """A factor in [1 - jitter, 1 + jitter], the same every time for one pod."""
    if jitter == 0:
        return 1.0
    unit = (zlib.crc32(uid.encode()) % 10_001) / 10_000  # 0.0 ... 1.0
    return 1.0 - jitter + 2 * jitter * unit


def plan_for(pod: Obj, timing: Timing) -> Plan:
    annotations = annotations_of(pod)
    factor = jitter_factor(pod["metadata"].get("uid", ""), timing.jitter)

    def delay(base: float, key: str) -> float:
        override = delay_override(annotations, key)
        return override if override is not None else base * factor

    return Plan(
        outcomes={
            c["name"]: outcome_for(annotations, c.get("image", ""))
            for c in pod["spec"]["containers"]
        },
        pull=delay(timing.pull, PULL_DELAY_ANNOTATION),
        start=delay(timing.start, START_DELAY_ANNOTATION),
        ready=delay(timing.ready, READY_DELAY_ANNOTATION),
        crash=delay(timing.crash, CRASH_DELAY_ANNOTATION),
        sync=timing.sync * factor,
        stop=delay(timing.stop, STOP_DELAY_ANNOTATION),
        timing=timing,
    )
