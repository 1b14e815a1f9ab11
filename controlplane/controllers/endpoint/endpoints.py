"""Endpoints controller: each Service with a selector gets an Endpoints of its name listing
the matching pods' addresses, Ready pods in `addresses`, the others in `notReadyAddresses`;
finished and terminating pods leave it. Deleting the Service deletes its Endpoints.

Ported from pkg/controller/endpoint/endpoints_controller.go (syncService, addEndpointSubset,
endpointPortFromServicePort) and pkg/api/v1/endpoints/util.go (RepackSubsets, SortSubsets:
the addresses that offer the same ports share one subset, sorted by IP). An Endpoints that
already says what it should is not written again.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from controlplane.controllers.endpoint.util import (
    LAST_CHANGE_TRIGGER_TIME,
    ServiceEndpointsController,
    endpoint_labels,
    find_port,
    hostname_of,
    ip_sort_key,
    last_change_trigger_time,
    selected_pods,
    selects_pods,
    should_pod_be_in_endpoints,
    target_ref,
)
from controlplane.models.constants import Kind, Obj
from controlplane.models.meta import Key
from controlplane.models.pods import is_pod_ready
from controlplane.runtime.actions import Action, Create, Delete, Update

_NO_PORT = -1  # RepackSubsets' sentinel for a headless Service without ports


def referenced_pods(endpoints: Obj) -> set[str]:
    """The names of the pods an Endpoints lists, ready or not."""
    return {
        str((address.get("targetRef") or {}).get("name", ""))
        for subset in endpoints.get("subsets") or []
        for field in ("addresses", "notReadyAddresses")
        for address in subset.get(field) or []
    }


def _address(pod: Obj, service: Obj) -> Obj:
    """podToEndpointAddressForService (IPv4 only: mkctl's cluster is single-stack)."""
    address: Obj = {"ip": pod["status"]["podIP"]}
    if hostname := hostname_of(pod, service):
        address["hostname"] = hostname
    address["nodeName"] = (pod.get("spec") or {}).get("nodeName", "")
    address["targetRef"] = target_ref(pod)
    return address


def _endpoint_port(service_port: dict[str, Any], number: int) -> Obj:
    port: Obj = {"port": number, "protocol": service_port.get("protocol") or "TCP"}
    if service_port.get("name"):
        port["name"] = service_port["name"]
    if service_port.get("appProtocol"):
        port["appProtocol"] = service_port["appProtocol"]
    return port


def desired_subsets(service: Obj, pods: Iterable[Obj]) -> list[Obj]:
    """syncService's loop over the pods, then RepackSubsets."""
    publish_not_ready = bool((service.get("spec") or {}).get("publishNotReadyAddresses"))
    ports = [p for p in (service.get("spec") or {}).get("ports") or [] if isinstance(p, dict)]
    # port (as a sorted tuple of its items) -> {ip: (address, ready)}
    by_port: dict[tuple[tuple[str, Any], ...], dict[str, tuple[Obj, bool]]] = {}
    for pod in pods:
        if not should_pod_be_in_endpoints(pod, publish_not_ready):
            continue
        address = _address(pod, service)
        ready = publish_not_ready or is_pod_ready(pod)
        if not ports:
            if (service.get("spec") or {}).get("clusterIP") == "None":
                by_port.setdefault((("port", _NO_PORT),), {})[address["ip"]] = (address, ready)
            continue
        for service_port in ports:
            number = find_port(pod, service_port)
            if number is None:
                continue
            key = tuple(sorted(_endpoint_port(service_port, number).items()))
            by_port.setdefault(key, {})[address["ip"]] = (address, ready)
    return _repack(by_port)


def _repack(by_port: dict[tuple[tuple[str, Any], ...], dict[str, tuple[Obj, bool]]]) -> list[Obj]:
    """RepackSubsets: ports offered by the same addresses share a subset."""
    groups: dict[tuple[tuple[str, bool], ...], list[Obj]] = {}
    members: dict[tuple[tuple[str, bool], ...], dict[str, tuple[Obj, bool]]] = {}
    for port_key, addresses in by_port.items():
        group = tuple(sorted((ip, ready) for ip, (_, ready) in addresses.items()))
        port = dict(port_key)
        groups.setdefault(group, [])
        if port["port"] != _NO_PORT:
            groups[group].append(port)
        members[group] = addresses
    subsets = []
    for group, group_ports in groups.items():
        subset: Obj = {}
        entries = sorted(members[group].values(), key=lambda e: ip_sort_key(e[0]["ip"]))
        ready = [address for address, is_ready in entries if is_ready]
        not_ready = [address for address, is_ready in entries if not is_ready]
        if ready:
            subset["addresses"] = ready
        if not_ready:
            subset["notReadyAddresses"] = not_ready
        if group_ports:
            subset["ports"] = sorted(group_ports, key=lambda p: (p.get("name", ""), p["port"]))
        subsets.append(subset)
    return sorted(subsets, key=lambda s: [p.get("name", "") for p in s.get("ports", [])])


class EndpointsController(ServiceEndpointsController):
    name = "endpoint"
    kind = Kind.ENDPOINTS
    referenced_pods = staticmethod(referenced_pods)

    def sync_service(self, key: Key) -> list[Action]:
        """syncService: the Endpoints this Service should have, written if it differs."""
        current = self.get_or_none(Key(Kind.ENDPOINTS, key.namespace, key.name))
        service = self.service(key)
        if service is None:
            if current is None:
                return []
            return [Delete(Kind.ENDPOINTS, key.namespace, key.name)]
        if not selects_pods(service):
            return []
        pods = selected_pods(self.api, service)
        subsets = desired_subsets(service, pods)
        labels = endpoint_labels(service)
        if current is not None and (
            (current.get("subsets") or []) == subsets
            and (current["metadata"].get("labels") or {}) == labels
        ):
            return []
        endpoints = copy.deepcopy(current) if current is not None else _new_endpoints(key)
        if subsets:
            endpoints["subsets"] = subsets
        else:
            endpoints.pop("subsets", None)
        meta = endpoints["metadata"]
        if labels:
            meta["labels"] = labels
        else:
            meta.pop("labels", None)
        annotations = meta.setdefault("annotations", {})
        annotations[LAST_CHANGE_TRIGGER_TIME] = last_change_trigger_time(service, pods)
        return [Update(endpoints) if current is not None else Create(endpoints)]


def _new_endpoints(key: Key) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": key.name, "namespace": key.namespace},
    }
