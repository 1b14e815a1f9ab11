"""How long the fake kubelet's stages take.

Embedded mode uses `Timing.instant()`: every stage takes no time, so `mkctl apply` returns with
pods Running, and only Kubernetes' own waits remain (the back-off before a crashed container
restarts or a failed pull is retried), which advance on the next command. The daemon uses
`Timing.realistic(speed)`: about a second from binding to Ready for an image already on the
node, and a pull as long as the image is large (a second, plus its size at 25 MB/s), divided
by `speed`. A container without a readiness
probe is Ready the moment it runs, as in Kubernetes; a probe's own timing is the pod's
(plan.first_probe_after).

Kubernetes' back-off is not scaled by `speed`: it is behaviour a lesson explains (10 s, doubling,
at most 5 minutes: the kubelet's initialCrashLoopBackOff, MaxContainerBackOff,
imageBackOffPeriod and MaxImageBackOff in pkg/kubelet/kubelet.go), not a delay of the
simulation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

# The kubelet's defaults: 10 s doubling to 300 s, for crash loops and for image pulls.
BACKOFF_INITIAL_SECONDS = 10.0
BACKOFF_MAX_SECONDS = 300.0
# A small cluster's pulls from a public registry: about a second to resolve the reference,
# then some 25 MB/s (nginx:1.14.2, 44 MB: 2.8 s; busybox: 1.1 s; python:3.12, 410 MB: 17 s).
PULL_SETUP_SECONDS = 1.0
PULL_BYTES_PER_SECOND = 25_000_000.0


@dataclass(frozen=True)
class Timing:
    """Seconds each stage takes (see the stage table in stages.py and docs/failure-simulation.md).

    `jitter` spreads each pod's delays by up to that fraction either way, steadily per pod, so
    that pods started together do not all turn Ready in the same instant.
    """

    pull: float = 0.0  # setting up a pull (resolving, authenticating), success or failure
    pull_rate: float = 0.0  # bytes per second downloaded once the pull is set up; 0: instant
    start: float = 0.0  # creating and starting a container whose image is on the node
    ready: float = 0.0  # from started to ready, for a container without a readiness probe
    crash: float = 0.0  # how long a crash-looping container runs before it exits
    sync: float = 0.0  # from a failure to the kubelet's next look (ErrImagePull, Error shown)
    stop: float = 0.0  # from the delete to the pod object's removal, at most the grace period
    complete: float = 0.0  # how long a container that runs to completion (a Job's) runs
    jitter: float = 0.0
    backoff_initial: float = BACKOFF_INITIAL_SECONDS
    backoff_max: float = BACKOFF_MAX_SECONDS

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"invalid kubelet timing {f.name}={value!r}: must be a number")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"invalid kubelet timing {f.name}={value}: must be 0 or more")
        if self.jitter >= 1:
            raise ValueError(f"invalid kubelet timing jitter={self.jitter}: must be below 1")
        if self.backoff_initial <= 0 or self.backoff_max < self.backoff_initial:
            raise ValueError(
                f"invalid kubelet back-off {self.backoff_initial}s to {self.backoff_max}s: "
                "the first must be above 0 and the cap at least the first"
            )

    @classmethod
    def instant(cls) -> Timing:
        """Embedded mode: stages take no time; Kubernetes' back-off still applies."""
        return cls()

    @classmethod
    def realistic(cls, speed: float = 1.0) -> Timing:
        """The daemon: delays that feel like a small real cluster, divided by `speed`."""
        if isinstance(speed, bool) or not isinstance(speed, int | float) or not speed > 0:
            raise ValueError(
                f"invalid kubelet speed {speed!r}: must be a number greater than 0 "
                "(1 is real time, 2 twice as fast, 0.5 half as fast)"
            )
        if not math.isfinite(speed):
            raise ValueError(f"invalid kubelet speed {speed!r}: must be a finite number")
        return cls(
            pull=PULL_SETUP_SECONDS / speed,
            pull_rate=PULL_BYTES_PER_SECOND * speed,
            start=1.0 / speed,
            ready=0.0,  # no probe: ready as soon as it runs; a probe's own timing otherwise
            crash=3.0 / speed,
            sync=1.0 / speed,
            stop=1.0 / speed,
            complete=5.0 / speed,
            jitter=0.25,
        )

    def backoff(self, failures: int) -> float:
        """The wait after the `failures`-th failure in a row: 10, 20, 40, ..., 300, 300.

        Worked example: the third crash backs off 10 * 2**2 = 40 seconds; the sixth would be
        320, capped at 300 (flowcontrol.Backoff.Next doubles up to the maximum).
        """
        if failures <= 0:
            return 0.0
        doublings = min(failures - 1, 64)
        return min(self.backoff_initial * 2.0**doublings, self.backoff_max)
