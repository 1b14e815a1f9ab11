"""When a container's probes pass or fail, and what the kubelet says when one fails.

mkctl runs no probe: a probe passes unless the pod's failure convention fails it
(controlplane/models/simulation.py: `never-ready`, `liveness-failure`, `startup-failure`).
What is simulated is the timing of the kubelet's probe workers (pkg/kubelet/prober/worker.go
run and doProbe), counted from the container's start:

- a worker ticks every `periodSeconds` (default 10); a tick before `initialDelaySeconds`
  (default 0) is skipped;
- a result counts once it repeats `successThreshold` (default 1) or `failureThreshold`
  (default 3) times in a row;
- until the startup probe has passed (`started`), the readiness and liveness workers skip
  their ticks; a container without a startup probe is started at once;
- a failed liveness or startup result kills the container, which restarts with the
  kubelet's back-off (pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions:
  `Container nginx failed liveness probe, will be restarted`).

Worked example: a liveness probe with initialDelaySeconds 5, periodSeconds 5 and the
default failureThreshold 3 that fails from the start fails at 5, 10 and 15 s: the container
is killed 15 s after it started.

A failing probe answers at once (an HTTP error status, a refused connection, a failed
command), so `timeoutSeconds` does not delay the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from controlplane.models.constants import Obj
from controlplane.models.simulation import Outcome


class ProbeType(StrEnum):
    """The kubelet's probe types, as its events name them (pkg/kubelet/prober/prober.go)."""

    STARTUP = "Startup"
    READINESS = "Readiness"
    LIVENESS = "Liveness"


PROBE_FIELDS = {
    ProbeType.STARTUP: "startupProbe",
    ProbeType.READINESS: "readinessProbe",
    ProbeType.LIVENESS: "livenessProbe",
}


@dataclass(frozen=True)
class ProbeTiming:
    """One probe's schedule, with the API's defaults (pkg/apis/core/v1/defaults.go
    SetDefaults_Probe)."""

    initial_delay: float = 0.0
    period: float = 10.0
    success_threshold: int = 1
    failure_threshold: int = 3

    @classmethod
    def of(cls, probe: Obj) -> ProbeTiming:
        return cls(
            initial_delay=max(float(probe.get("initialDelaySeconds") or 0), 0.0),
            period=max(float(probe.get("periodSeconds") or 10), 1.0),
            success_threshold=max(int(probe.get("successThreshold") or 1), 1),
            failure_threshold=max(int(probe.get("failureThreshold") or 3), 1),
        )

    def first_tick(self, after: float | None = None) -> float:
        """The first tick past the initial delay, and later than `after` when given (the
        moment the container started, for the probes a startup probe holds back)."""
        tick = max(math.ceil(self.initial_delay / self.period), 1) * self.period
        if after is not None and tick <= after:
            tick = (math.floor(after / self.period) + 1) * self.period
        return tick

    def passes_at(self, after: float | None = None) -> float:
        return self.first_tick(after) + (self.success_threshold - 1) * self.period

    def fails_at(self, after: float | None = None) -> float:
        return self.first_tick(after) + (self.failure_threshold - 1) * self.period


def probe_of(container: Obj, kind: ProbeType) -> Obj | None:
    probe = container.get(PROBE_FIELDS[kind])
    return probe if isinstance(probe, dict) else None


@dataclass(frozen=True)
class Schedule:
    """A container's probe results, in seconds from its start."""

    started: float | None  # the startup probe's result (passed, or failed); None: no probe
    ready: float  # the first readiness result (passed, or failed for never-ready)
    killed: float | None  # a failed liveness or startup result; None: never
    unhealthy: str  # the Unhealthy event's message, for the probe that fails
    failures: int = 1  # failed probes before a kill: an Unhealthy event each


def probe_schedule(
    container: Obj, outcome: Outcome, pod_ip: str, *, ready_delay: float, probe_timed: bool
) -> Schedule:
    """When `container`'s probes answer, given the outcome the pod's conventions chose.

    `ready_delay` is the readiness time without a probe; `probe_timed` False makes it
    count even with one (an annotated ready-delay, taken as written)."""
    if not any(field in container for field in PROBE_FIELDS.values()):
        return Schedule(None, ready_delay, None, UNPROBED_READINESS_FAILED)
    startup, readiness, liveness = (probe_of(container, kind) for kind in ProbeType)  # in order
    started: float | None = None
    killed: float | None = None
    failing, failures = ProbeType.READINESS, 1
    if startup is not None:
        startup_timing = ProbeTiming.of(startup)
        if outcome is Outcome.STARTUP_FAILURE:
            started = killed = startup_timing.fails_at()
            failing, failures = ProbeType.STARTUP, startup_timing.failure_threshold
        else:
            started = startup_timing.passes_at()
    if readiness is not None and probe_timed:
        readiness_timing = ProbeTiming.of(readiness)
        never = outcome is Outcome.NEVER_READY
        ready = (readiness_timing.first_tick if never else readiness_timing.passes_at)(started)
    else:
        ready = (started or 0.0) + ready_delay
    if liveness is not None and outcome is Outcome.LIVENESS_FAILURE:
        liveness_timing = ProbeTiming.of(liveness)
        killed = liveness_timing.fails_at(started)
        failing, failures = ProbeType.LIVENESS, liveness_timing.failure_threshold
    return Schedule(started, ready, killed, probe_failed(container, failing, pod_ip), failures)


def probe_failed(container: Obj, kind: ProbeType, pod_ip: str) -> str:
    """The Unhealthy event: `Liveness probe failed: HTTP probe failed with statuscode: 500`
    (pkg/kubelet/prober/prober.go runProbeWithRetries' caller, probe)."""
    return f"{kind} probe failed: {failure_output(container, kind, pod_ip)}"


def failure_output(container: Obj, kind: ProbeType, pod_ip: str) -> str:
    """What a failed probe reports, by its handler (pkg/probe/http, tcp, exec, grpc).

    An HTTP probe gets an error status (500 from a liveness endpoint, 503 from a readiness
    one, as a busy or broken server answers); a TCP probe a refused connection; an exec
    probe its command's output (the `cat` of a missing file in Kubernetes' own example).
    """
    probe = probe_of(container, kind) or {"httpGet": {}}
    if "tcpSocket" in probe:
        port = _port_number(container, probe["tcpSocket"].get("port"))
        return f"dial tcp {pod_ip}:{port}: connect: connection refused"
    if "grpc" in probe:
        port = probe["grpc"].get("port")
        return f'timeout: failed to connect service "{pod_ip}:{port}" within 1s'
    if "exec" in probe:
        command = (probe["exec"] or {}).get("command") or []
        if len(command) == 2 and command[0] == "cat":
            return f"cat: can't open '{command[1]}': No such file or directory"
        return ""
    status = 503 if kind is ProbeType.READINESS else 500
    return f"HTTP probe failed with statuscode: {status}"


def _port_number(container: Obj, port: object) -> object:
    """A named port is the container's port of that name."""
    for declared in container.get("ports") or []:
        if isinstance(port, str) and declared.get("name") == port:
            return declared.get("containerPort")
    return port


# What never-ready reports for a container without a readiness probe: a web server's.
UNPROBED_READINESS_FAILED = probe_failed({}, ProbeType.READINESS, "")
