"""What both endpoint controllers share: which Services a change concerns, which pods belong
in a Service's endpoints, and the port each pod serves.

Ported from pkg/controller/util/endpointslice (ShouldPodBeInEndpoints, ShouldSetHostname),
pkg/api/v1/pod/util.go (FindPort) and the controllers' pod handlers
(pkg/controller/endpoint/endpoints_controller.go, GetPodServiceMemberships: the Services whose
selector matches a pod's labels, before or after a change).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from controlplane.clock import parse_rfc3339, rfc3339
from controlplane.controllers.base import ControllerBase, ReadApi
from controlplane.models import selectors
from controlplane.models.constants import ChangeType, Kind, Obj, PodPhase
from controlplane.models.meta import Change, Key, key_of, labels_of, name_of
from controlplane.models.pods import ready_condition
from controlplane.runtime.actions import Action

ReferencedPods = Callable[[Obj], set[str]]
# staging/src/k8s.io/api/core/v1/well_known_labels.go, annotation_key_constants.go
HEADLESS_LABEL = "service.kubernetes.io/headless"
LAST_CHANGE_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time"


def selects_pods(service: Obj) -> bool:
    """syncService: ExternalName Services and Services without a selector get no endpoints
    from the controllers (their endpoints are written by someone else)."""
    spec = service.get("spec") or {}
    return spec.get("type") != "ExternalName" and spec.get("selector") is not None


def _selected(service: Obj, pod: Obj) -> bool:
    selector = (service.get("spec") or {}).get("selector")
    if not selector or not selects_pods(service):
        return False
    return selectors.matches({"matchLabels": selector}, labels_of(pod))


def service_keys_for(
    api: ReadApi, change: Change, kind: str, referenced: ReferencedPods
) -> list[Key]:
    """The Services one change concerns: the Service itself, the Service whose object of
    `kind` (Endpoints, EndpointSlice) was deleted, or, for a pod, every Service in its
    namespace that selects it now or whose `kind` objects still list it (its labels may have
    changed)."""
    obj = change.obj
    namespace = (obj.get("metadata") or {}).get("namespace", "")
    if obj["kind"] == Kind.SERVICE:
        return [key_of(obj)]
    if obj["kind"] == kind:  # the controllers watch their own objects go, nothing else
        if change.type != ChangeType.DELETED:
            return []
        return [Key(Kind.SERVICE, namespace, service_name_of(obj))]
    if obj["kind"] != Kind.POD:
        return []
    # GetPodServiceMemberships: only Services with a selector take part; the pod's old
    # labels are what this controller's objects still list it under.
    services = [s for s in api.list(Kind.SERVICE, namespace) if selects_pods(s)]
    found = [key_of(s) for s in services if _selected(s, obj)]
    if len(found) < len(services):
        pod_name = name_of(obj)
        listing: dict[str, set[str]] = {}
        for written in api.list(kind, namespace):
            listing.setdefault(service_name_of(written), set()).update(referenced(written))
        found += [
            key_of(s)
            for s in services
            if not _selected(s, obj) and pod_name in listing.get(name_of(s), ())
        ]
    return found


def service_name_of(obj: Obj) -> str:
    """The Service an Endpoints (same name) or an EndpointSlice (its label) belongs to."""
    if obj.get("kind") == Kind.ENDPOINT_SLICE:
        return labels_of(obj).get("kubernetes.io/service-name", "")
    return name_of(obj)


def selected_pods(api: ReadApi, service: Obj) -> list[Obj]:
    """The pods of the Service's namespace its selector matches, by name."""
    namespace = service["metadata"]["namespace"]
    return [pod for pod in api.list(Kind.POD, namespace) if _selected(service, pod)]


def should_pod_be_in_endpoints(pod: Obj, include_terminating: bool) -> bool:
    """ShouldPodBeInEndpoints: not finished, has an IP, and (unless asked) not terminating."""
    status = pod.get("status") or {}
    if status.get("phase") in (PodPhase.SUCCEEDED, PodPhase.FAILED):
        return False
    if not status.get("podIP") and not status.get("podIPs"):
        return False
    return include_terminating or not pod["metadata"].get("deletionTimestamp")


def find_port(pod: Obj, service_port: dict[str, Any]) -> int | None:
    """FindPort: a numeric targetPort as is; a named one, the container port of that name."""
    target = service_port.get("targetPort")
    if isinstance(target, int):
        return target
    protocol = service_port.get("protocol") or "TCP"
    for container in (pod.get("spec") or {}).get("containers") or []:
        for port in container.get("ports") or []:
            if port.get("name") == target and (port.get("protocol") or "TCP") == protocol:
                return int(port["containerPort"])
    return None


def target_ref(pod: Obj) -> Obj:
    meta = pod["metadata"]
    return {"kind": "Pod", "namespace": meta["namespace"], "name": meta["name"], "uid": meta["uid"]}


def hostname_of(pod: Obj, service: Obj) -> str:
    """ShouldSetHostname: a pod's hostname counts when its subdomain is the Service."""
    spec = pod.get("spec") or {}
    if spec.get("hostname") and spec.get("subdomain") == name_of(service):
        return str(spec["hostname"])
    return ""


def is_headless(service: Obj) -> bool:
    """!helper.IsServiceIPSet."""
    cluster_ip = (service.get("spec") or {}).get("clusterIP")
    return cluster_ip in (None, "", "None")


def endpoint_labels(service: Obj, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The Service's labels, `service.kubernetes.io/headless` on a headless one's."""
    found = {**labels_of(service), **(extra or {})}
    if is_headless(service):
        found[HEADLESS_LABEL] = ""
    return found


def last_change_trigger_time(service: Obj, pods: Iterable[Obj]) -> str:
    """After trigger_time_tracker.go: the newest of the Service's creation and its pods'
    readiness changes (else creations), as RFC 3339."""
    times = [parse_rfc3339(service["metadata"]["creationTimestamp"])]
    for pod in pods:
        condition = ready_condition(pod) or {}
        stamp = condition.get("lastTransitionTime") or pod["metadata"].get("creationTimestamp")
        if stamp:
            times.append(parse_rfc3339(stamp))
    return rfc3339(max(times))


def ip_sort_key(ip: str) -> tuple[int, ...]:
    """LessEndpointAddress compares IPv4 addresses as bytes."""
    return tuple(int(part) for part in ip.split(".")) if ip.count(".") == 3 else (0,)


class ServiceEndpointsController(ControllerBase):
    """The shape of both endpoints controllers: a Service is synced when it changes, when a
    pod it may select changes, and when what this controller writes for it (`kind`) is
    deleted; each Service once per pass."""

    kind: str  # Endpoints or EndpointSlice

    @staticmethod
    def referenced_pods(written: Obj, /) -> set[str]:
        """The names of the pods one written object lists."""
        raise NotImplementedError

    def sync_service(self, key: Key) -> list[Action]:
        raise NotImplementedError

    def keys_for(self, change: Change) -> Iterable[Key]:
        return service_keys_for(self.api, change, self.kind, self.referenced_pods)

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        actions: list[Action] = []
        for key in dict.fromkeys(keys):
            actions += self.sync_service(key)
        return actions

    def service(self, key: Key) -> Obj | None:
        return self.get_or_none(Key(Kind.SERVICE, key.namespace, key.name))
