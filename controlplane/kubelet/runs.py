"""Containers as the kubelet tracks them (`Run`), read from and written back to pod status.

The kubelet keeps nothing between passes: a new mkctl command is a new process. What it needs
to continue a pod's life is in the pod's status (container states, restart counts, start and
finish times) and in its own events about the pod (`Memory`): whether it announced a pull,
how many pulls failed and when the last one did, whether it sent Killing. Timestamps in status
are whole seconds, as Kubernetes stores them; within one pass times are exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from controlplane.clock import parse_rfc3339, rfc3339
from controlplane.kubelet import messages
from controlplane.kubelet.images import digest_of, full_image_reference, image_id
from controlplane.models.constants import KUBELET, Obj

_CONTAINER_PATH = re.compile(r"spec\.containers\{(?P<name>[^}]*)\}")


class RunState(StrEnum):
    """A container's state in the kubelet's terms; waiting states carry Kubernetes' reason."""

    CREATING = "ContainerCreating"
    ERR_IMAGE_PULL = messages.ERR_IMAGE_PULL
    IMAGE_PULL_BACK_OFF = messages.IMAGE_PULL_BACK_OFF
    ERR_IMAGE_NEVER_PULL = messages.ERR_IMAGE_NEVER_PULL
    INVALID_IMAGE_NAME = messages.INVALID_IMAGE_NAME
    CRASH_LOOP_BACK_OFF = "CrashLoopBackOff"
    STARTING = "Starting"  # running, its startup probe not passed yet (`started: false`)
    RUNNING = "Running"  # started, not ready (not yet, or never)
    READY = "Ready"
    EXITED = "Exited"  # terminated, until the kubelet next looks at it


@dataclass
class Exit:
    """One finished run of a container (`state.terminated` / `lastState.terminated`)."""

    exit_code: int
    reason: str
    started_at: float
    finished_at: float
    container_id: str

    def as_status(self) -> Obj:
        return {
            "containerID": self.container_id,
            "exitCode": self.exit_code,
            "finishedAt": rfc3339(self.finished_at),
            "reason": self.reason,
            "startedAt": rfc3339(self.started_at),
        }

    @classmethod
    def from_status(cls, terminated: Obj) -> Exit:
        return cls(
            int(terminated.get("exitCode") or 0),
            str(terminated.get("reason") or ""),
            _time(terminated.get("startedAt")),
            _time(terminated.get("finishedAt")),
            str(terminated.get("containerID") or ""),
        )


@dataclass(frozen=True)
class Memory:
    """What the kubelet's own events about one pod tell it."""

    pulling: frozenset[str] = frozenset()  # containers whose pull was announced
    pull_failures: dict[str, tuple[int, float]] = field(default_factory=dict)  # count, last
    probe_failed: frozenset[str] = frozenset()
    killed: bool = False

    @classmethod
    def from_events(cls, events: list[Obj]) -> Memory:
        pulling, probe_failed, failures, killed = set(), set(), {}, False
        for event in events:
            if (event.get("source") or {}).get("component") != KUBELET:
                continue
            path = (event.get("involvedObject") or {}).get("fieldPath") or ""
            match = _CONTAINER_PATH.fullmatch(path)
            container = match.group("name") if match else ""
            reason = event.get("reason")
            if reason == messages.PULLING:
                pulling.add(container)
            elif reason == messages.UNHEALTHY:
                probe_failed.add(container)
            elif reason == messages.KILLING and event.get("message") == messages.killing(container):
                killed = True  # the pod's deletion; a failed probe's kill says so instead
            elif event.get("message") == messages.error(messages.ERR_IMAGE_PULL):
                failures[container] = (
                    int(event.get("count") or 1),
                    _time(event.get("lastTimestamp")),
                )
        return cls(frozenset(pulling), failures, frozenset(probe_failed), killed)


@dataclass
class Run:
    """One container of a pod, as the stages move it along."""

    name: str
    image: str
    pull_policy: str
    state: RunState
    since: float  # when the current state's clock started (for back-off: the failure)
    pulling: bool = False
    pull_failures: int = 0
    restarts: int = 0
    started_at: float = 0.0
    container_id: str = ""
    exit: Exit | None = None  # state.terminated while EXITED
    last_exit: Exit | None = None  # lastState.terminated
    probe_failed: bool = False
    message: str = ""  # the waiting message
    stored: Obj | None = None  # the status as read; written back unchanged until it moves

    @property
    def ready(self) -> bool:
        return self.state is RunState.READY

    @property
    def running(self) -> bool:
        return self.state in RUNNING_STATES

    def move(self, state: RunState, since: float, message: str = "") -> None:
        self.state, self.since, self.message, self.stored = state, since, message, None

    def status(self) -> Obj:
        """The container's entry in `status.containerStatuses`."""
        if self.stored is not None:
            return self.stored
        has_run = bool(self.container_id)
        status: dict[str, Any] = {}
        if has_run:
            status["containerID"] = self.container_id
        status["image"] = full_image_reference(self.image) if has_run else self.image
        status["imageID"] = image_id(self.image) if has_run else ""
        status["lastState"] = {"terminated": self.last_exit.as_status()} if self.last_exit else {}
        status["name"] = self.name
        status["ready"] = self.ready
        status["restartCount"] = self.restarts
        status["started"] = self.running and self.state is not RunState.STARTING
        if self.running:
            status["state"] = {"running": {"startedAt": rfc3339(self.started_at)}}
        elif self.state is RunState.EXITED and self.exit is not None:
            status["state"] = {"terminated": self.exit.as_status()}
        else:
            waiting = {"reason": self.state.value}
            if self.message:
                waiting["message"] = self.message
            status["state"] = {"waiting": waiting}
        return status

    @classmethod
    def from_status(cls, status: Obj, spec: Obj, memory: Memory, creating_since: float) -> Run:
        """Read a stored container status back; times the status lacks come from memory."""
        name = spec["name"]
        run = cls(
            name=name,
            image=spec.get("image", ""),
            pull_policy=spec.get("imagePullPolicy", "IfNotPresent"),
            state=RunState.CREATING,
            since=creating_since,
            pulling=name in memory.pulling,
            restarts=int(status.get("restartCount") or 0),
            container_id=str(status.get("containerID") or ""),
            probe_failed=name in memory.probe_failed,
            stored=status,
        )
        last = (status.get("lastState") or {}).get("terminated")
        run.last_exit = Exit.from_status(last) if last else None
        state = status.get("state") or {}
        if "running" in state:
            run.state = RunState.READY if status.get("ready") else RunState.RUNNING
            run.state = run.state if status.get("started") else RunState.STARTING
            run.since = run.started_at = _time(state["running"].get("startedAt"))
        elif "terminated" in state:
            run.exit = Exit.from_status(state["terminated"])
            run.state, run.since = RunState.EXITED, run.exit.finished_at
            run.started_at = run.exit.started_at
        else:
            waiting = state.get("waiting") or {}
            reason = str(waiting.get("reason") or RunState.CREATING)
            run.state = RunState(reason) if reason in set(RunState) else RunState.CREATING
            run.message = str(waiting.get("message") or "")
            if run.state is RunState.CRASH_LOOP_BACK_OFF and run.last_exit is not None:
                run.since = run.last_exit.finished_at
            count, last_failure = memory.pull_failures.get(name, (1, creating_since))
            if run.state in (RunState.ERR_IMAGE_PULL, RunState.IMAGE_PULL_BACK_OFF):
                run.pull_failures, run.since = count, last_failure
        return run


RUNNING_STATES = (RunState.STARTING, RunState.RUNNING, RunState.READY)


def new_container_id(pod_uid: str, container: str, restarts: int) -> str:
    return "containerd://" + digest_of(f"{pod_uid}/{container}/{restarts}")


def _time(stamp: Any) -> float:
    return parse_rfc3339(stamp) if stamp else 0.0
