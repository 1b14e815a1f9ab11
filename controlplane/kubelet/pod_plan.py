"""What will happen to one pod's containers, and how long each stage takes.

A `Plan` combines the kubelet's `Timing` with the pod's failure-simulation annotations, its
images (controlplane/models/simulation.py, and the simulated registry: registry.py) and its
containers' probes (probes.py): the outcome of each container, and the delays of the pod's
stages. Annotated delays are taken as written; the others are the timing's, spread by the
pod's own jitter. A pull takes the timing's set-up time plus the image's size over its
download rate.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from controlplane.kubelet.probes import Schedule, probe_schedule
from controlplane.kubelet.registry import Registry
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
    """Seconds and outcomes by container name; the delays of probes count from the start."""

    outcomes: dict[str, Outcome]
    pull: dict[str, float]  # pulling the container's image
    start: float
    ready: dict[str, float]  # from started to the first readiness result
    crash: float
    sync: float
    stop: float
    timing: Timing
    pull_setup: float = 0.0  # a pull's time before it downloads anything
    sizes: dict[str, int] = field(default_factory=dict)  # of the container's image, in bytes
    startup: dict[str, float] = field(default_factory=dict)  # to the startup probe's result
    killed: dict[str, float] = field(default_factory=dict)  # to a failed liveness or startup
    unhealthy: dict[str, str] = field(default_factory=dict)  # the failing probe's message
    failures: dict[str, int] = field(default_factory=dict)  # failed probes before a kill
    complete: float = 0.0  # a container that runs to completion runs this long

    def outcome(self, container: str) -> Outcome:
        return self.outcomes.get(container, Outcome.OK)

    def pull_after(self, container: str, cached: bool = False) -> float:
        """A pull's time; one whose layers the node holds (imagePullPolicy Always) only
        resolves the reference."""
        return self.pull_setup if cached else self.pull.get(container, 0.0)

    def size_of(self, container: str) -> int:
        return self.sizes.get(container, 0)

    def ready_after(self, container: str) -> float:
        return self.ready.get(container, 0.0)

    def startup_after(self, container: str) -> float:
        return self.startup.get(container, 0.0)

    def becomes_ready(self, container: str) -> bool:
        """Its readiness passes (before a liveness failure, if one comes)."""
        outcome = self.outcome(container)
        if outcome is Outcome.LIVENESS_FAILURE and container in self.killed:
            return self.ready_after(container) < self.killed[container]
        return outcome in (Outcome.OK, Outcome.LIVENESS_FAILURE, Outcome.STARTUP_FAILURE)

    def backoff(self, failures: int) -> float:
        return self.timing.backoff(failures)


SHIPPED_REGISTRY = Registry()  # the catalogue in this package, without a user's additions


def jitter_factor(uid: str, jitter: float) -> float:
    """A factor in [1 - jitter, 1 + jitter], the same every time for one pod."""
    if jitter == 0:
        return 1.0
    unit = (zlib.crc32(uid.encode()) % 10_001) / 10_000  # 0.0 ... 1.0
    return 1.0 - jitter + 2 * jitter * unit


def plan_for(pod: Obj, timing: Timing, registry: Registry | None = None) -> Plan:
    annotations = annotations_of(pod)
    factor = jitter_factor(pod["metadata"].get("uid", ""), timing.jitter)
    containers = pod["spec"]["containers"]
    pod_ip = str(pod.get("status", {}).get("podIP") or "")
    images = registry or SHIPPED_REGISTRY

    def delay(base: float, key: str) -> float:
        override = delay_override(annotations, key)
        return override if override is not None else base * factor

    outcomes, sizes = {}, {}
    for c in containers:
        image = c.get("image", "")
        resolved = images.resolve(image)
        chosen = outcome_for(annotations, image)
        sizes[c["name"]] = resolved.size
        if chosen is None:
            chosen = Outcome.OK if resolved.found else Outcome.PULL_FAILURE
        outcomes[c["name"]] = chosen

    def pull(container: Obj) -> float:
        rate = timing.pull_rate
        download = sizes[container["name"]] / rate if rate else 0.0
        return delay(timing.pull + download, PULL_DELAY_ANNOTATION)

    def probes(container: Obj) -> Schedule:
        """Without a readiness probe (or with a ready-delay annotation, taken as written) a
        container is ready once started, after the timing's `ready`: 0 in embedded mode and
        the daemon, as the prober manager's UpdatePodStatus has it."""
        override = delay_override(annotations, READY_DELAY_ANNOTATION)
        return probe_schedule(
            container,
            outcomes[container["name"]],
            pod_ip,
            ready_delay=delay(timing.ready, READY_DELAY_ANNOTATION),
            probe_timed=override is None,
        )

    schedules = {c["name"]: probes(c) for c in containers}
    return Plan(
        outcomes=outcomes,
        pull={c["name"]: pull(c) for c in containers},
        pull_setup=delay(timing.pull, PULL_DELAY_ANNOTATION),
        start=delay(timing.start, START_DELAY_ANNOTATION),
        ready={name: s.ready for name, s in schedules.items()},
        crash=delay(timing.crash, CRASH_DELAY_ANNOTATION),
        sync=timing.sync * factor,
        stop=delay(timing.stop, STOP_DELAY_ANNOTATION),
        complete=delay(timing.complete, COMPLETE_DELAY_ANNOTATION),
        timing=timing,
        sizes=sizes,
        startup={n: s.started for n, s in schedules.items() if s.started is not None},
        killed={n: s.killed for n, s in schedules.items() if s.killed is not None},
        unhealthy={name: s.unhealthy for name, s in schedules.items()},
        failures={name: s.failures for name, s in schedules.items()},
    )
