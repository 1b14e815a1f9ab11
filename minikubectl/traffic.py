"""Simulated requests to a Service, answered as kube-proxy would route them: to one of the
Service's ready endpoints at that moment, read from its EndpointSlices (ready condition
true), taken in turn. A Service with no ready endpoint refuses the connection, as kube-proxy's
REJECT rule for a Service without endpoints makes it (pkg/proxy/iptables/proxier.go:
"has no endpoints" -> REJECT, which a client sees as `connection refused`).

Nothing here talks to the cluster: `answer` is a pure function of the Service, its slices and
the answering pod, so the tally a learner watches during a rollout can be tested exactly.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from controlplane.models.constants import Obj

FAILED = "failed"


@dataclass(frozen=True)
class Endpoint:
    """One ready `ip:port` of the Service, and the pod behind it."""

    ip: str
    port: int
    pod: str


@dataclass(frozen=True)
class Answer:
    """What one request got: the pod and image that answered, or why it failed."""

    number: int
    pod: str = ""
    image: str = ""
    endpoint: str = ""
    failure: str = ""

    @property
    def version(self) -> str:
        return FAILED if self.failure else self.image


def service_address(service: Obj) -> str:
    """`10.96.4.5:80`, where a client connects: the cluster IP and the first port."""
    spec = service.get("spec") or {}
    ports = spec.get("ports") or [{}]
    return f"{spec.get('clusterIP') or name_of(service)}:{ports[0].get('port', 0)}"


def name_of(obj: Obj) -> str:
    return str((obj.get("metadata") or {}).get("name", ""))


def ready_endpoints(service: Obj, slices: list[Obj]) -> list[Endpoint]:
    """The endpoints that serve the Service's first port and are ready, by address."""
    ports = (service.get("spec") or {}).get("ports") or []
    wanted = (ports[0].get("name") or "") if ports else None
    found = []
    for slice_ in slices:
        numbers = [
            int(p["port"])
            for p in slice_.get("ports") or []
            if p.get("port") is not None and (p.get("name") or "") == wanted
        ]
        if not numbers:
            continue
        for endpoint in slice_.get("endpoints") or []:
            if (endpoint.get("conditions") or {}).get("ready") is False:
                continue
            pod = str((endpoint.get("targetRef") or {}).get("name", ""))
            for address in endpoint.get("addresses") or []:
                found.append(Endpoint(str(address), numbers[0], pod))
    return sorted(found, key=lambda e: (_ip_key(e.ip), e.port))


def _ip_key(ip: str) -> tuple[int, ...]:
    return tuple(int(part) for part in ip.split(".")) if ip.count(".") == 3 else (0,)


def image_of(pod: Obj | None, port: int) -> str:
    """The image of the container that serves `port` (it declares it), else the first one."""
    containers: list[dict[str, Any]] = ((pod or {}).get("spec") or {}).get("containers") or []
    for container in containers:
        if any(p.get("containerPort") == port for p in container.get("ports") or []):
            return str(container.get("image", ""))
    return str(containers[0].get("image", "")) if containers else ""


def refused(number: int, service: Obj) -> Answer:
    """What a client of a Service without a ready endpoint sees."""
    return Answer(
        number,
        failure=f"dial tcp {service_address(service)}: connect: connection refused",
    )


@dataclass
class RoundRobin:
    """Each request goes to the next ready endpoint, whatever the set is by then."""

    turn: int = 0

    def pick(self, endpoints: list[Endpoint]) -> Endpoint | None:
        if not endpoints:
            return None
        chosen = endpoints[self.turn % len(endpoints)]
        self.turn += 1
        return chosen


def answer(number: int, service: Obj, endpoint: Endpoint | None, pod: Obj | None) -> Answer:
    """Request `number`, sent to `endpoint` (None: no ready endpoint) served by `pod` (None:
    gone since the slice was read, so the connection is refused too)."""
    if endpoint is None or pod is None:
        return refused(number, service)
    return Answer(
        number, endpoint.pod, image_of(pod, endpoint.port), f"{endpoint.ip}:{endpoint.port}"
    )


@dataclass
class Tally:
    """Answers per image, in the order images first answered, and failures."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, answer: Answer) -> None:
        self.counts[answer.version] += 1

    @property
    def failed(self) -> int:
        return self.counts[FAILED]

    def line(self) -> str:
        """`nginx:1.25=17 nginx:1.26=3 failed=0`."""
        shown = [f"{image}={n}" for image, n in self.counts.items() if image != FAILED]
        return " ".join([*shown, f"{FAILED}={self.failed}"])

    def summary(self) -> list[tuple[str, int]]:
        return [*((i, n) for i, n in self.counts.items() if i != FAILED), (FAILED, self.failed)]


def request_line(answer: Answer, tally: Tally) -> str:
    """One request as the command prints it, with the running tally."""
    if answer.failure:
        what = f"ERR  {answer.failure}"
    else:
        what = f"200  {answer.pod} ({answer.image}) at {answer.endpoint}"
    return f"#{answer.number:<5} {what}  | {tally.line()}"
