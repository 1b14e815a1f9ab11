"""A container's log, as `GET /api/v1/namespaces/N/pods/P/log` answers it.

The checks and messages are Kubernetes': the API server picks the container
(pkg/registry/core/pod/strategy.go ValidateContainer, LogLocation: an unscheduled pod has no
log yet), then the kubelet picks the run (pkg/kubelet/kubelet_pods.go
validateContainerLogStatus: the current run, the last one with `previous`, or why there is
none: `container "x" in pod "y" is waiting to start: ContainerCreating`). The lines come from
`log_lines`; options apply as the kubelet applies them (pkg/kubelet/kuberuntime/logs:
`tailLines`, `timestamps` as RFC 3339 with nanoseconds, `sinceSeconds`, `limitBytes`).

A container sees its environment as it was when it started: values taken from ConfigMaps
and Secrets are read as they stood at that moment (from the store's change log), so a
ConfigMap changed later shows only in containers started after the change, as on a real
node. Once the log is compacted past that moment, the current values stand in.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from controlplane.api import errors
from controlplane.api.errors import ApiError
from controlplane.clock import parse_rfc3339
from controlplane.kubelet import log_lines, messages
from controlplane.models.constants import Kind, Obj
from controlplane.models.meta import Change
from controlplane.models.simulation import Outcome, outcome_for


class LogReader(Protocol):
    """What reading a log needs of the API: objects, and the change log's history."""

    def get(self, kind: str, namespace: str, name: str) -> Obj: ...

    def changes_after(self, revision: int, limit: int | None = None) -> list[Change]: ...


@dataclass(frozen=True)
class LogOptions:
    """PodLogOptions (the query of `pods/log`)."""

    container: str = ""
    previous: bool = False
    timestamps: bool = False
    tail_lines: int | None = None
    since_seconds: int | None = None
    limit_bytes: int | None = None


@dataclass(frozen=True)
class LogRun:
    """The run whose log is read, and where it is in its life."""

    container: Obj  # the container's spec
    status: Obj  # its containerStatus
    container_id: str
    started_at: float
    finished_at: float | None
    running: bool  # still writing (what `follow` waits on)


def container_names(pod: Obj) -> list[str]:
    """podutil.VisitContainers: init containers, containers, then ephemeral ones."""
    spec = pod.get("spec") or {}
    return [
        str(c.get("name"))
        for field in ("initContainers", "containers", "ephemeralContainers")
        for c in spec.get(field) or []
    ]


def chosen_container(pod: Obj, container: str) -> str:
    """ValidateContainer: the named container, or the only one; else a 400."""
    name = pod["metadata"]["name"]
    names = container_names(pod)
    if not container:
        containers = (pod.get("spec") or {}).get("containers") or []
        if len(containers) == 1:
            return str(containers[0]["name"])
        if not containers:
            raise errors.bad_request(f"a container name must be specified for pod {name}")
        raise errors.bad_request(
            f"a container name must be specified for pod {name}, choose one of: [{' '.join(names)}]"
        )
    if container not in names:
        raise errors.bad_request(f"container {container} is not valid for pod {name}")
    return container


def _status_of(pod: Obj, container: str) -> Obj | None:
    status = pod.get("status") or {}
    for field in ("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"):
        for entry in status.get(field) or []:
            if entry.get("name") == container:
                return dict(entry)
    return None


def _spec_of(pod: Obj, container: str) -> Obj:
    spec = pod.get("spec") or {}
    for field in ("containers", "initContainers", "ephemeralContainers"):
        for entry in spec.get(field) or []:
            if entry.get("name") == container:
                return dict(entry)
    return {"name": container}


def _time(stamp: object) -> float:
    return parse_rfc3339(str(stamp)) if stamp else 0.0


def log_run(pod: Obj, container: str, previous: bool) -> LogRun:
    """validateContainerLogStatus: which run's log to read, or the kubelet's refusal."""
    pod_name = pod["metadata"]["name"]
    status = _status_of(pod, container)
    if status is None:
        raise errors.bad_request(f'container "{container}" in pod "{pod_name}" is not available')
    spec = _spec_of(pod, container)
    last = (status.get("lastState") or {}).get("terminated")
    state = status.get("state") or {}

    def ended(terminated: Obj) -> LogRun:
        return LogRun(
            spec,
            status,
            str(terminated.get("containerID") or ""),
            _time(terminated.get("startedAt")),
            _time(terminated.get("finishedAt")),
            False,
        )

    if previous:
        if not last or not last.get("containerID"):
            raise errors.bad_request(
                f'previous terminated container "{container}" in pod "{pod_name}" not found'
            )
        return ended(last)
    if "running" in state:
        started = _time(state["running"].get("startedAt"))
        return LogRun(spec, status, str(status.get("containerID") or ""), started, None, True)
    if "terminated" in state:
        terminated = state["terminated"]
        if terminated.get("containerID"):
            return ended(terminated)
        if last and last.get("containerID"):
            return ended(last)
        raise errors.bad_request(f'container "{container}" in pod "{pod_name}" is terminated')
    if last:
        if not last.get("containerID"):
            raise errors.bad_request(f'container "{container}" in pod "{pod_name}" is terminated')
        return ended(last)
    if "waiting" in state:
        reason = (state["waiting"] or {}).get("reason") or ""
        why = {
            messages.ERR_IMAGE_PULL: "image can't be pulled",
            messages.IMAGE_PULL_BACK_OFF: "trying and failing to pull image",
        }.get(reason, reason)
        raise errors.bad_request(
            f'container "{container}" in pod "{pod_name}" is waiting to start: {why}'
        )
    raise errors.bad_request(
        f'container "{container}" in pod "{pod_name}" is waiting to start - no logs yet'
    )


class ConfigAtStart:
    """ConfigMaps and Secrets as they stood when a container started (its status first
    carried `container_id`), read back from the change log."""

    def __init__(self, api: LogReader, pod: Obj, container: str, container_id: str) -> None:
        self.api, self.pod, self.container, self.container_id = api, pod, container, container_id
        self._history: list[Change] | None = None
        self._start_revision: int | None = None

    def _load(self) -> None:
        try:
            self._history = self.api.changes_after(0)
        except ApiError:  # compacted: the current objects stand in
            self._history = []
        uid = self.pod["metadata"].get("uid")
        for change in self._history:
            obj = change.obj
            if obj.get("kind") != Kind.POD or obj["metadata"].get("uid") != uid:
                continue
            status = _status_of(obj, self.container) or {}
            if status.get("containerID") == self.container_id or self._ran_before(status):
                self._start_revision = change.revision
                return

    def _ran_before(self, status: Obj) -> bool:
        last = (status.get("lastState") or {}).get("terminated") or {}
        return bool(self.container_id) and last.get("containerID") == self.container_id

    def get(self, kind: str, name: str) -> Obj | None:
        namespace = self.pod["metadata"].get("namespace", "")
        if self._history is None:
            self._load()
        if self._start_revision is not None:
            found: Obj | None = None
            for change in self._history or []:
                if change.revision >= self._start_revision:
                    break
                meta = change.obj.get("metadata") or {}
                if (change.obj.get("kind"), meta.get("namespace"), meta.get("name")) == (
                    kind,
                    namespace,
                    name,
                ):
                    found = None if change.type == "DELETED" else change.obj
            return found
        try:
            return self.api.get(kind, namespace, name)
        except ApiError:
            return None


def _values(obj: Obj | None) -> dict[str, str]:
    if obj is None:
        return {}
    if obj.get("kind") == "Secret":
        return {
            key: base64.b64decode(value).decode("utf-8", "replace")
            for key, value in (obj.get("data") or {}).items()
        }
    return {str(k): str(v) for k, v in (obj.get("data") or {}).items()}


_FIELD_REFS: dict[str, Callable[[Obj], object]] = {
    "metadata.name": lambda pod: pod["metadata"].get("name"),
    "metadata.namespace": lambda pod: pod["metadata"].get("namespace"),
    "metadata.uid": lambda pod: pod["metadata"].get("uid"),
    "spec.nodeName": lambda pod: (pod.get("spec") or {}).get("nodeName"),
    "spec.serviceAccountName": lambda pod: (pod.get("spec") or {}).get("serviceAccountName"),
    "status.podIP": lambda pod: (pod.get("status") or {}).get("podIP"),
    "status.hostIP": lambda pod: (pod.get("status") or {}).get("hostIP"),
}


def environment(pod: Obj, container: Obj, config: ConfigAtStart) -> dict[str, str]:
    """The container's environment (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables):
    `envFrom` sources in order, then `env`, later names winning; `HOSTNAME` is the pod's."""
    env = {"HOSTNAME": pod["metadata"]["name"]}
    for source in container.get("envFrom") or []:
        prefix = str(source.get("prefix") or "")
        for field, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
            if ref := source.get(field):
                for key, value in _values(config.get(kind, str(ref.get("name")))).items():
                    env[prefix + key] = value
    for var in container.get("env") or []:
        name = str(var.get("name"))
        source = var.get("valueFrom")
        if not source:
            env[name] = str(var.get("value") or "")
            continue
        for field, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
            if ref := source.get(field):
                values = _values(config.get(kind, str(ref.get("name"))))
                env[name] = values.get(str(ref.get("key")), "")
        if ref := source.get("fieldRef"):
            reader = _FIELD_REFS.get(str(ref.get("fieldPath")))
            env[name] = str((reader(pod) if reader else "") or "")
    return env


def rfc3339_nano(at: float) -> str:
    """Go's time.RFC3339Nano in UTC: nanoseconds with trailing zeros dropped."""
    import time

    micros = round(at * 1e6)  # a float of seconds since 1970 holds microseconds, no finer
    whole, nanos = divmod(micros, 1_000_000)
    nanos *= 1000
    fraction = f".{nanos:09d}".rstrip("0").rstrip(".")
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + fraction + "Z"


def lines_of(api: LogReader, pod: Obj, run: LogRun, until: float) -> list[log_lines.Line]:
    """Every line `run` has written by `until`."""
    container = run.container
    config = ConfigAtStart(api, pod, str(container.get("name")), run.container_id)
    argv = [str(a) for a in (container.get("command") or []) + (container.get("args") or [])]
    annotations = pod["metadata"].get("annotations") or {}
    image = str(container.get("image") or "")
    crashed = outcome_for(annotations, image) is Outcome.CRASHLOOP
    simulated = log_lines.ContainerRun(
        image, argv, environment(pod, container, config), run.started_at, crashed
    )
    return log_lines.run_lines(simulated, until, run.finished_at)


def render(lines: Iterable[log_lines.Line], options: LogOptions, now: float) -> str:
    """The lines as the kubelet sends them, after `sinceSeconds`, `tailLines`,
    `timestamps` and `limitBytes`."""
    kept = list(lines)
    if options.since_seconds is not None:
        kept = [line for line in kept if line.at >= now - options.since_seconds]
    if options.tail_lines is not None:
        kept = kept[-options.tail_lines :] if options.tail_lines > 0 else []
    text = "".join(
        (f"{rfc3339_nano(line.at)} " if options.timestamps else "") + line.text + "\n"
        for line in kept
    )
    if options.limit_bytes is not None:
        text = text.encode()[: options.limit_bytes].decode("utf-8", "ignore")
    return text


def pod_log(api: LogReader, namespace: str, name: str, options: LogOptions, now: float) -> str:
    """The whole answer of `GET pods/log` (without `follow`)."""
    pod = api.get(Kind.POD, namespace, name)
    container = chosen_container(pod, options.container)
    if not (pod.get("spec") or {}).get("nodeName"):
        return ""  # LogLocation: no node yet, so no log yet
    run = log_run(pod, container, options.previous)
    return render(lines_of(api, pod, run, now), options, now)


class LogStream:
    """`follow=true`: the log so far, then the lines written since, until the run ends (the
    container exits or restarts, or the pod goes away)."""

    def __init__(self, api: LogReader, namespace: str, name: str, options: LogOptions) -> None:
        self.api, self.namespace, self.name, self.options = api, namespace, name, options
        self.container = ""
        self.run: LogRun | None = None
        self.written = 0

    def start(self, now: float) -> str:
        pod = self.api.get(Kind.POD, self.namespace, self.name)
        self.container = chosen_container(pod, self.options.container)
        if not (pod.get("spec") or {}).get("nodeName"):
            return ""
        self.run = log_run(pod, self.container, self.options.previous)
        lines = lines_of(self.api, pod, self.run, now)
        self.written = len(lines)
        return render(lines, self.options, now)

    def next(self, now: float) -> tuple[str, bool]:
        """The lines written since the last call, and whether more may come."""
        if self.run is None or not self.run.running:
            return "", False
        try:
            pod = self.api.get(Kind.POD, self.namespace, self.name)
        except ApiError:
            return "", False
        status = _status_of(pod, self.container) or {}
        state = status.get("state") or {}
        still = "running" in state and status.get("containerID") == self.run.container_id
        until = now
        if not still:  # it ended: its last lines, up to when it finished
            last = (status.get("lastState") or {}).get("terminated") or {}
            ended = state.get("terminated") or last
            finished = _time(ended.get("finishedAt")) if ended else now
            self.run = LogRun(
                self.run.container,
                status,
                self.run.container_id,
                self.run.started_at,
                finished,
                False,
            )
            until = finished
        lines = lines_of(self.api, pod, self.run, until)
        fresh, self.written = lines[self.written :], len(lines)
        timestamps_only = LogOptions(timestamps=self.options.timestamps)
        return render(fresh, timestamps_only, now), still
