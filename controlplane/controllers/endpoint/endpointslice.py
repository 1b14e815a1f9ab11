"""EndpointSlice controller: each Service with a selector gets EndpointSlices
(`<service>-<5 random characters>`, labelled `kubernetes.io/service-name` and managed by
`endpointslice-controller.k8s.io`, owned by the Service) listing its matching pods with their
conditions: `ready` (Ready and not terminating), `serving` (Ready) and `terminating`.
Unlike Endpoints, a terminating pod stays in its slice, as not ready.

Ported from pkg/controller/endpointslice (reconciler.go reconcile, utils.go podToEndpoint,
newEndpointSlice, getEndpointPorts; placeholder slices for Services with no endpoints).
mkctl keeps one slice per set of ports: upstream splits at 100 endpoints a slice, which
mkctl's clusters do not reach.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from controlplane.controllers.endpoint import util
from controlplane.models.constants import (
    ENDPOINTSLICE_CONTROLLER,
    MANAGED_BY_LABEL,
    SERVICE_NAME_LABEL,
    Kind,
    Obj,
)
from controlplane.models.meta import Key, labels_of, name_of, new_controller_ref
from controlplane.models.pods import is_pod_ready
from controlplane.runtime.actions import Action, Create, Delete, Update

ZONE_LABEL = "topology.kubernetes.io/zone"
Ports = tuple[tuple[tuple[str, Any], ...], ...]


def referenced_pods(endpoint_slice: Obj) -> set[str]:
    return {
        str((endpoint.get("targetRef") or {}).get("name", ""))
        for endpoint in endpoint_slice.get("endpoints") or []
    }


def _endpoint(pod: Obj, service: Obj, zones: dict[str, str]) -> Obj:
    """podToEndpoint."""
    publish_not_ready = bool((service.get("spec") or {}).get("publishNotReadyAddresses"))
    serving = is_pod_ready(pod)
    terminating = bool(pod["metadata"].get("deletionTimestamp"))
    ready = publish_not_ready or (serving and not terminating)
    endpoint: Obj = {
        "addresses": [pod["status"]["podIP"]],
        "conditions": {"ready": ready, "serving": serving, "terminating": terminating},
    }
    if hostname := util.hostname_of(pod, service):
        endpoint["hostname"] = hostname
    node = (pod.get("spec") or {}).get("nodeName")
    if node:
        endpoint["nodeName"] = node
    endpoint["targetRef"] = util.target_ref(pod)
    if zone := zones.get(node or ""):
        endpoint["zone"] = zone
    return endpoint


def _ports(pod: Obj, service: Obj) -> Ports:
    """getEndpointPorts: each Service port the pod serves, its name always set."""
    found = []
    for service_port in (service.get("spec") or {}).get("ports") or []:
        number = util.find_port(pod, service_port)
        if number is None:
            continue
        port: Obj = {"name": service_port.get("name") or "", "port": number}
        port["protocol"] = service_port.get("protocol") or "TCP"
        if service_port.get("appProtocol"):
            port["appProtocol"] = service_port["appProtocol"]
        found.append(tuple(port.items()))
    return tuple(found)


def desired_endpoints(
    service: Obj, pods: Iterable[Obj], zones: dict[str, str]
) -> dict[Ports, list[Obj]]:
    """The endpoints of each set of ports, sorted by address."""
    groups: dict[Ports, list[Obj]] = {}
    for pod in pods:
        if util.should_pod_be_in_endpoints(pod, include_terminating=True):
            endpoint = _endpoint(pod, service, zones)
            groups.setdefault(_ports(pod, service), []).append(endpoint)
    for endpoints in groups.values():
        endpoints.sort(key=lambda e: util.ip_sort_key(e["addresses"][0]))
    return groups


def _slice_ports(slice_: Obj) -> Ports:
    return tuple(tuple(port.items()) for port in slice_.get("ports") or [])


class EndpointSliceController(util.ServiceEndpointsController):
    name = "endpointslice"
    kind = Kind.ENDPOINT_SLICE
    referenced_pods = staticmethod(referenced_pods)

    def _managed_slices(self, key: Key) -> list[Obj]:
        return [
            s
            for s in self.api.list(Kind.ENDPOINT_SLICE, key.namespace)
            if labels_of(s).get(SERVICE_NAME_LABEL) == key.name
            and labels_of(s).get(MANAGED_BY_LABEL) == ENDPOINTSLICE_CONTROLLER
        ]

    def _zones(self) -> dict[str, str]:
        return {
            name_of(node): labels_of(node)[ZONE_LABEL]
            for node in self.api.list(Kind.NODE)
            if labels_of(node).get(ZONE_LABEL)
        }

    def sync_service(self, key: Key) -> list[Action]:
        """Reconcile: update slices whose ports still exist, create the missing, delete the
        rest; a Service with no endpoints keeps one empty placeholder slice."""
        existing = self._managed_slices(key)
        service = self.service(key)
        if service is None or not util.selects_pods(service):
            # Owned slices of a deleted Service are the garbage collector's.
            return [] if service is None else self._delete(existing)
        pods = util.selected_pods(self.api, service)
        groups = desired_endpoints(service, pods, self._zones()) or {(): []}
        labels = util.endpoint_labels(
            service, {SERVICE_NAME_LABEL: key.name, MANAGED_BY_LABEL: ENDPOINTSLICE_CONTROLLER}
        )
        trigger = util.last_change_trigger_time(service, pods)
        actions: list[Action] = []
        unused = list(existing)
        for ports, endpoints in groups.items():
            current = next((s for s in unused if _slice_ports(s) == ports), None)
            if current is None and unused and not any(_slice_ports(s) in groups for s in unused):
                current = unused[0]
            if current is not None:
                unused.remove(current)
            actions += _write(service, current, ports, endpoints, labels, trigger)
        return actions + self._delete(unused)

    @staticmethod
    def _delete(slices: list[Obj]) -> list[Action]:
        return [
            Delete(
                Kind.ENDPOINT_SLICE,
                s["metadata"]["namespace"],
                name_of(s),
                uid=s["metadata"]["uid"],
            )
            for s in slices
        ]


def _write(
    service: Obj,
    current: Obj | None,
    ports: Ports,
    endpoints: list[Obj],
    labels: dict[str, str],
    trigger: str,
) -> list[Action]:
    port_list = [dict(port) for port in ports]
    if (
        current is not None
        and (current.get("endpoints") or []) == endpoints
        and (current.get("ports") or []) == port_list
        and labels_of(current) == labels
    ):
        return []
    slice_ = copy.deepcopy(current) if current is not None else _new_slice(service)
    slice_["metadata"]["labels"] = labels
    slice_["metadata"].setdefault("annotations", {})[util.LAST_CHANGE_TRIGGER_TIME] = trigger
    # `endpoints` has no omitempty in discovery/v1 types.go: an empty slice says null.
    slice_["endpoints"] = endpoints or None
    if port_list:
        slice_["ports"] = port_list
    else:
        slice_.pop("ports", None)
    return [Update(slice_) if current is not None else Create(slice_)]


def _new_slice(service: Obj) -> Obj:
    """newEndpointSlice: named by the API server from `<service>-`, owned by the Service."""
    meta = service["metadata"]
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "generateName": f"{meta['name']}-",
            "namespace": meta["namespace"],
            "ownerReferences": [new_controller_ref(service)],
        },
        "addressType": "IPv4",
    }
