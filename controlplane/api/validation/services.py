"""Service, Endpoints and EndpointSlice validation with Kubernetes' messages.

Ported from pkg/apis/core/validation/validation.go (ValidateService, validateServicePort,
ValidateServiceUpdate, ValidateEndpoints, validateEndpointSubsets) and
pkg/apis/discovery/validation/validation.go (ValidateEndpointSlice). A Service's name is a
DNS-1035 label (ValidateServiceName); a selector that matches no pod is valid. Node ports in
use and cluster IPs out of range are the allocator's to refuse (api/services/allocation).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from controlplane.api.errors import (
    NO_VALUE,
    FieldError,
    duplicate,
    forbidden,
    invalid_value,
    required,
    unsupported,
)
from controlplane.api.services.defaults import (
    CLUSTER_IP,
    EXTERNAL_NAME,
    HEADLESS,
    SERVICE_TYPES,
)
from controlplane.api.validation.common import (
    FIELD_IMMUTABLE,
    Errors,
    label_errors,
    meta_errors,
    name_is_dns_subdomain,
    obj_or_empty,
)
from controlplane.api.validation.pods import port_name_errors
from controlplane.models.constants import Obj
from controlplane.models.identifiers import dns1035_label_errors, dns1123_label_errors

PROTOCOLS = ["SCTP", "TCP", "UDP"]
_PORT_RANGE = "must be between 1 and 65535, inclusive"
_VALID_IP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"


def _service_name(name: str, prefix: bool) -> list[str]:
    """ValidateServiceName: NameIsDNS1035Label (a generateName prefix may end in '-')."""
    if prefix and len(name) > 1 and name.endswith("-"):
        name = name[:-2] + "a"
    return dns1035_label_errors(name)


def _is_ip(value: Any) -> bool:
    try:
        ipaddress.ip_address(str(value))
    except ValueError:
        return False
    return True


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [obj_or_empty(item) for item in value] if isinstance(value, list) else []


def port_number_errors(value: Any, path: str) -> Errors:
    """IsValidPortNum."""
    ok = isinstance(value, int) and 1 <= value <= 65535
    return [] if ok else [invalid_value(path, value or 0, _PORT_RANGE)]


def _port_num_or_name(value: Any, path: str) -> Errors:
    """ValidatePortNumOrName: a number in range, or an IANA_SVC_NAME."""
    if isinstance(value, str):
        return [invalid_value(path, value, m) for m in port_name_errors(value)]
    return port_number_errors(value, path)


def _protocol_errors(port: dict[str, Any], path: str) -> Errors:
    protocol = port.get("protocol") or ""
    if not protocol:
        return [required(f"{path}.protocol")]
    return [] if protocol in PROTOCOLS else [unsupported(f"{path}.protocol", protocol, PROTOCOLS)]


def _service_port_errors(
    port: dict[str, Any], require_name: bool, names: set[str], path: str
) -> Errors:
    """validateServicePort."""
    name = port.get("name") or ""
    errs: Errors = []
    if require_name and not name:
        errs.append(required(f"{path}.name"))
    elif name:
        errs += [invalid_value(f"{path}.name", name, m) for m in dns1123_label_errors(name)]
        if name in names:
            errs.append(duplicate(f"{path}.name", name))
        names.add(name)
    errs += port_number_errors(port.get("port"), f"{path}.port")
    errs += _protocol_errors(port, path)
    return errs + _port_num_or_name(port.get("targetPort"), f"{path}.targetPort")


def validate_service(obj: Obj, old: Obj | None) -> Errors:
    """ValidateServiceUpdate's checks on update, then ValidateService."""
    spec = obj_or_empty(obj.get("spec"))
    errs: Errors = [] if old is None else _update_errors(spec, obj_or_empty(old.get("spec")))
    errs += meta_errors(obj, _service_name, namespaced=True, update=old is not None)
    kind = spec.get("type") or ""
    ports = _dicts(spec.get("ports"))
    headless = spec.get("clusterIP") == HEADLESS
    if not ports and not headless and kind != EXTERNAL_NAME:
        errs.append(required("spec.ports"))
    if kind == EXTERNAL_NAME:
        errs += _external_name_errors(spec)
    names: set[str] = set()
    for i, port in enumerate(ports):
        errs += _service_port_errors(port, len(ports) > 1, names, f"spec.ports[{i}]")
        if kind == CLUSTER_IP and port.get("nodePort"):
            errs.append(
                forbidden(
                    f"spec.ports[{i}].nodePort",
                    "may not be used when `type` is 'ClusterIP'",
                )
            )
    errs += _duplicate_port_errors(ports)
    selector = spec.get("selector")
    if isinstance(selector, dict):
        errs += label_errors(selector, "spec.selector")
    affinity = spec.get("sessionAffinity") or ""
    if not affinity:
        errs.append(required("spec.sessionAffinity"))
    elif affinity not in ("ClientIP", "None"):
        errs.append(unsupported("spec.sessionAffinity", affinity, ["ClientIP", "None"]))
    if not kind:
        errs.append(required("spec.type"))
    elif kind not in SERVICE_TYPES:
        errs.append(unsupported("spec.type", kind, SERVICE_TYPES))
    cluster_ip = spec.get("clusterIP") or ""
    if cluster_ip and cluster_ip != HEADLESS and not _is_ip(cluster_ip):
        errs.append(invalid_value("spec.clusterIPs[0]", cluster_ip, _VALID_IP))
    for i, address in enumerate(spec.get("externalIPs") or []):
        if not _is_ip(address):
            errs.append(invalid_value(f"spec.externalIPs[{i}]", address, _VALID_IP))
    return errs


def _duplicate_port_errors(ports: list[dict[str, Any]]) -> Errors:
    """ValidateService's checks for a (protocol, nodePort) or (protocol, port) pair used
    twice. The second reports the internal core.ServicePort key as Go's %#v prints it (a
    field error's fallback for values with no String method)."""
    errs: Errors = []
    node_ports: set[tuple[str, Any]] = set()
    for i, port in enumerate(ports):
        node_port = port.get("nodePort")
        if node_port:
            key = (str(port.get("protocol") or ""), node_port)
            if key in node_ports:
                errs.append(duplicate(f"spec.ports[{i}].nodePort", node_port))
            node_ports.add(key)
    seen: set[tuple[str, Any]] = set()
    for i, port in enumerate(ports):
        key = (str(port.get("protocol") or ""), port.get("port"))
        if key in seen:
            shown = (
                f'core.ServicePort{{Name:"", Protocol:"{key[0]}", AppProtocol:(*string)(nil), '
                f'Port:{key[1]}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:""}}, '
                "NodePort:0}"
            )
            errs.append(FieldError(f"spec.ports[{i}]", "Duplicate value", NO_VALUE, shown))
        seen.add(key)
    return errs


def _external_name_errors(spec: dict[str, Any]) -> Errors:
    errs: Errors = []
    # the strategy sets clusterIPs from clusterIP, so either counts
    if spec.get("clusterIP") or spec.get("clusterIPs"):
        errs.append(forbidden("spec.clusterIPs", "may not be set for ExternalName services"))
    external = spec.get("externalName") or ""
    if not external:
        errs.append(required("spec.externalName"))
    else:
        errs += [
            invalid_value("spec.externalName", external, m)
            for m in name_is_dns_subdomain(external.rstrip("."), False)
        ]
    return errs


def _update_errors(spec: dict[str, Any], old_spec: dict[str, Any]) -> Errors:
    """ValidateServiceUpdate: a cluster IP, once allocated, stays."""
    old_ip = old_spec.get("clusterIP") or ""
    if old_ip and spec.get("type") != EXTERNAL_NAME and spec.get("clusterIP") != old_ip:
        return [
            invalid_value(
                "spec.clusterIPs[0]", spec.get("clusterIP") or "", "may not change once set"
            )
        ]
    return []


def validate_endpoints(obj: Obj, old: Obj | None) -> Errors:
    """ValidateEndpoints: addresses are IPs, ports numbers in range with a protocol."""
    errs = meta_errors(obj, name_is_dns_subdomain, namespaced=True, update=old is not None)
    for i, subset in enumerate(_dicts(obj.get("subsets"))):
        path = f"subsets[{i}]"
        for field in ("addresses", "notReadyAddresses"):
            for j, address in enumerate(_dicts(subset.get(field))):
                if not _is_ip(address.get("ip")):
                    errs.append(
                        invalid_value(f"{path}.{field}[{j}].ip", address.get("ip") or "", _VALID_IP)
                    )
        ports = _dicts(subset.get("ports"))
        for j, port in enumerate(ports):
            at = f"{path}.ports[{j}]"
            if len(ports) > 1 and not port.get("name"):
                errs.append(required(f"{at}.name"))
            errs += port_number_errors(port.get("port"), f"{at}.port")
            errs += _protocol_errors(port, at)
    return errs


_ADDRESS_TYPES = ["FQDN", "IPv4", "IPv6"]


def validate_endpoint_slice(obj: Obj, old: Obj | None) -> Errors:
    """ValidateEndpointSlice: an address type, and endpoints with addresses of that type."""
    errs = meta_errors(obj, name_is_dns_subdomain, namespaced=True, update=old is not None)
    address_type = obj.get("addressType") or ""
    if not address_type:
        errs.append(required("addressType"))
    elif address_type not in _ADDRESS_TYPES:
        errs.append(unsupported("addressType", address_type, _ADDRESS_TYPES))
    elif old is not None and address_type != old.get("addressType"):
        errs.append(invalid_value("addressType", address_type, FIELD_IMMUTABLE))
    for i, endpoint in enumerate(_dicts(obj.get("endpoints"))):
        addresses = endpoint.get("addresses") or []
        if not addresses:
            errs.append(required(f"endpoints[{i}].addresses", "must contain at least 1 address"))
        for j, address in enumerate(addresses):
            if address_type.startswith("IP") and not _is_ip(address):
                errs.append(invalid_value(f"endpoints[{i}].addresses[{j}]", address, _VALID_IP))
    for i, port in enumerate(_dicts(obj.get("ports"))):
        if port.get("port") is not None:
            errs += port_number_errors(port.get("port"), f"ports[{i}].port")
    return errs
