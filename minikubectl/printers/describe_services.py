"""`kubectl describe` pages for Services, Endpoints and EndpointSlices (staging/src/k8s.io/
kubectl/pkg/describe/describe.go: describeService with formatEndpointSlices,
describeEndpoints, describeEndpointSliceV1).

A Service's `Endpoints:` line is read from its EndpointSlices (label
`kubernetes.io/service-name`): the first three ready `ip:port`s and how many more.
"""

from __future__ import annotations

from typing import Any

from controlplane.models.constants import Obj
from controlplane.models.selectors import labels_to_string
from minikubectl.printers.writer import (
    PrefixWriter,
    events_section,
    gostr,
    labels_and_annotations,
    name_and_namespace,
    tabbed,
)

_MAX_LISTED = 3


def _header(w: PrefixWriter, obj: Obj) -> None:
    meta: dict[str, Any] = obj.get("metadata") or {}
    name_and_namespace(w, meta)
    labels_and_annotations(w, meta)


def _host_port(ip: str, port: Any) -> str:
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def format_endpoint_slices(slices: list[Obj], port_name: str | None) -> str:
    """formatEndpointSlices: ready endpoints of the port named `port_name` (None: a Service
    without ports), three at most, then `+ N more...`."""
    if not slices:
        return "<none>"
    listed: list[str] = []
    more = False
    count = 0
    for slice_ in slices:
        endpoints = [e for e in slice_.get("endpoints") or [] if isinstance(e, dict)]
        ports = slice_.get("ports") or []
        port_numbers: list[Any] = (
            [None]
            if not ports
            else [
                p.get("port")
                for p in ports
                if port_name is None or (p.get("name") or "") == port_name
            ]
        )
        for number in port_numbers:
            for endpoint in endpoints:
                if len(listed) == _MAX_LISTED:
                    more = True
                if (endpoint.get("conditions") or {}).get("ready") is False:
                    continue
                if not more:
                    address = str((endpoint.get("addresses") or [""])[0])
                    listed.append(address if number is None else _host_port(address, number))
                count += 1
    text = ",".join(listed)
    return f"{text} + {count - _MAX_LISTED} more..." if more else text


def describe_service(service: Obj, slices: list[Obj], events: list[Obj] | None, now: float) -> str:
    spec: dict[str, Any] = service.get("spec") or {}
    w = PrefixWriter()
    _header(w, service)
    w.write(0, f"Selector:\t{labels_to_string(spec.get('selector'))}\n")
    w.write(0, f"Type:\t{spec.get('type', '')}\n")
    w.field("IP Family Policy", spec.get("ipFamilyPolicy"))
    w.write(0, f"IP Families:\t{','.join(spec.get('ipFamilies') or []) or '<none>'}\n")
    w.write(0, f"IP:\t{spec.get('clusterIP', '')}\n")
    w.write(0, f"IPs:\t{','.join(spec.get('clusterIPs') or []) or '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    w.field("IP", spec.get("loadBalancerIP"))
    w.field("External Name", spec.get("externalName"))
    ingress = ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        shown = ", ".join(i.get("ip") or i.get("hostname") or "" for i in ingress)
        w.write(0, f"LoadBalancer Ingress:\t{shown}\n")
    ports = [p for p in spec.get("ports") or [] if isinstance(p, dict)]
    for port in ports:
        name = port.get("name") or "<unset>"
        protocol = port.get("protocol", "")
        w.write(0, f"Port:\t{name}\t{port.get('port', 0)}/{protocol}\n")
        w.write(0, f"TargetPort:\t{gostr(port.get('targetPort'))}/{protocol}\n")
        if port.get("nodePort"):
            w.write(0, f"NodePort:\t{name}\t{port['nodePort']}/{protocol}\n")
        w.write(0, f"Endpoints:\t{format_endpoint_slices(slices, port.get('name') or '')}\n")
    if not ports:
        w.write(0, f"Endpoints:\t{format_endpoint_slices(slices, None)}\n")
    w.write(0, f"Session Affinity:\t{spec.get('sessionAffinity', '')}\n")
    timeout = (((spec.get("sessionAffinityConfig") or {}).get("clientIP")) or {}).get(
        "timeoutSeconds"
    )
    if spec.get("sessionAffinity") == "ClientIP" and timeout is not None:
        w.write(0, f"Session Affinity Timeout:\t{timeout}\n")
    w.field("External Traffic Policy", spec.get("externalTrafficPolicy"))
    w.field("HealthCheck NodePort", spec.get("healthCheckNodePort"))
    if spec.get("loadBalancerSourceRanges"):
        w.write(0, f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}\n")
    w.field("Internal Traffic Policy", spec.get("internalTrafficPolicy"))
    w.field("Traffic Distribution", spec.get("trafficDistribution"))
    events_section(w, events, now)
    return tabbed(w)


def _ips(addresses: Any) -> str:
    return ",".join(str(a.get("ip", "")) for a in addresses or []) or "<none>"


def describe_endpoints(endpoints: Obj, events: list[Obj] | None, now: float) -> str:
    w = PrefixWriter()
    _header(w, endpoints)
    w.write(0, "Subsets:\n")
    for subset in endpoints.get("subsets") or []:
        w.write(1, f"Addresses:\t{_ips(subset.get('addresses'))}\n")
        w.write(1, f"NotReadyAddresses:\t{_ips(subset.get('notReadyAddresses'))}\n")
        if subset.get("ports"):
            w.write(1, "Ports:\n")
            w.write(2, "Name\tPort\tProtocol\n")
            w.write(2, "----\t----\t--------\n")
            for port in subset["ports"]:
                name = port.get("name") or "<unset>"
                w.write(2, f"{name}\t{port.get('port', 0)}\t{port.get('protocol', '')}\n")
        w.write(0, "\n")
    events_section(w, events, now)
    return tabbed(w)


def describe_endpoint_slice(endpoint_slice: Obj) -> str:
    """describeEndpointSliceV1; kubectl 1.37 looks up no events for a slice."""
    w = PrefixWriter()
    _header(w, endpoint_slice)
    w.write(0, f"AddressType:\t{endpoint_slice.get('addressType', '')}\n")
    ports = endpoint_slice.get("ports") or []
    if w.heading("Ports", ports, " <unset>"):
        w.write(1, "Name\tPort\tProtocol\n")
        w.write(1, "----\t----\t--------\n")
        for port in ports:
            number = port.get("port")
            shown = "<unset>" if number is None else str(number)
            w.write(1, f"{port.get('name') or '<unset>'}\t{shown}\t{port.get('protocol', '')}\n")
    endpoints = endpoint_slice.get("endpoints") or []
    if w.heading("Endpoints", endpoints, " <none>"):
        for endpoint in endpoints:
            addresses = ", ".join(endpoint.get("addresses") or []) or "<none>"
            w.write(1, f"- Addresses:\t{addresses}\n")
            w.write(2, "Conditions:\n")
            ready = (endpoint.get("conditions") or {}).get("ready")
            w.write(3, f"Ready:\t{'<unset>' if ready is None else gostr(ready)}\n")
            w.write(2, f"Hostname:\t{endpoint.get('hostname', '<unset>')}\n")
            ref = endpoint.get("targetRef")
            if ref:
                w.write(2, f"TargetRef:\t{ref.get('kind', '')}/{ref.get('name', '')}\n")
            w.write(2, f"NodeName:\t{endpoint.get('nodeName', '<unset>')}\n")
            w.write(2, f"Zone:\t{endpoint.get('zone', '<unset>')}\n")
    return tabbed(w)
