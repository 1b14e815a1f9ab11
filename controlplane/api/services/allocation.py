"""Cluster IPs and node ports, allocated as kube-apiserver's Service storage does.

Ported from pkg/registry/core/service/storage/alloc.go (initIPFamilyFields, allocateCreate,
allocateUpdate, patchAllocatedValues) over the allocators of pkg/registry/core/service/
ipallocator and portallocator. mkctl's cluster is single-stack IPv4 with kube-apiserver's
default ranges: `--service-cluster-ip-range=10.96.0.0/12` and
`--service-node-port-range=30000-32767`. The first address, 10.96.0.1, is the `kubernetes`
Service's in `default`.

Nothing is kept apart from the Services themselves: what is allocated is what the stored
Services hold, so deleting a Service frees its IP and ports. A dynamic pick is drawn (from
the injected ids) in the upper band of the range first, as the allocators' offset rule keeps
the lower band for addresses users choose (ipallocator.calculateRangeOffset,
portallocator.calculateRangeOffset).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from controlplane.api import errors
from controlplane.api.errors import FieldError, invalid_value
from controlplane.api.registry import kind_info
from controlplane.api.services.defaults import (
    EXTERNAL_NAME,
    HEADLESS,
    LOAD_BALANCER,
    NODE_PORT,
)
from controlplane.ids import Ids
from controlplane.models.constants import Kind, Obj
from controlplane.store.reader import Reader

SERVICE_CIDR = ipaddress.IPv4Network("10.96.0.0/12")
KUBERNETES_SERVICE_IP = "10.96.0.1"
NODE_PORT_RANGE = (30000, 32767)


def _range_offset(size: int, minimum: int, step: int, maximum: int) -> int:
    """calculateRangeOffset: the size of the lower band dynamic picks avoid at first."""
    return min(max(minimum, size // step), maximum)


def _draw(ids: Ids, size: int) -> int:
    return int(ids.uid().replace("-", ""), 16) % size


def _pick(taken: set[int], low: int, high: int, offset: int, ids: Ids) -> int | None:
    """A free number in [low, high]: from a random start in the upper band, then the lower."""
    for start, end in ((low + offset, high), (low, low + offset - 1)):
        size = end - start + 1
        if size <= 0:
            continue
        first = _draw(ids, size)
        for step in range(size):
            candidate = start + (first + step) % size
            if candidate not in taken:
                return candidate
    return None


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def _others(reader: Reader, obj: Obj) -> Iterable[Obj]:
    meta = obj.get("metadata") or {}
    for service in reader.list(Kind.SERVICE):
        other = service.get("metadata") or {}
        if (other.get("namespace"), other.get("name")) != (meta.get("namespace"), meta.get("name")):
            yield service


def _needs_cluster_ip(spec: dict[str, Any]) -> bool:
    return spec.get("type") != EXTERNAL_NAME


def _needs_node_ports(spec: dict[str, Any]) -> bool:
    if spec.get("type") == NODE_PORT:
        return True
    return spec.get("type") == LOAD_BALANCER and spec.get("allocateLoadBalancerNodePorts") is True


def keep_allocated(obj: Obj, old: Obj) -> None:
    """patchAllocatedValues: an update that leaves out what was allocated keeps it."""
    if obj.get("kind") != Kind.SERVICE:
        return
    spec, old_spec = _spec(obj), _spec(old)
    if not _needs_cluster_ip(spec) and _needs_cluster_ip(old_spec):
        # dropTypeDependentFields: a Service turned ExternalName loses what was allocated
        dropped = (
            "clusterIP",
            "clusterIPs",
            "ipFamilies",
            "ipFamilyPolicy",
            "internalTrafficPolicy",
        )
        for field in dropped:
            if spec.get(field) == old_spec.get(field):
                spec.pop(field, None)
    if _needs_cluster_ip(spec) and _needs_cluster_ip(old_spec):
        if not spec.get("clusterIP") and old_spec.get("clusterIP"):
            spec["clusterIP"] = old_spec["clusterIP"]
        if not spec.get("clusterIPs") and old_spec.get("clusterIPs"):
            spec["clusterIPs"] = list(old_spec["clusterIPs"])
        for field in ("ipFamilies", "ipFamilyPolicy"):
            if not spec.get(field) and old_spec.get(field):
                spec[field] = old_spec[field]
    if _needs_node_ports(spec) and _needs_node_ports(old_spec):
        old_ports = {
            (p.get("port"), p.get("protocol")): p.get("nodePort")
            for p in old_spec.get("ports") or []
            if isinstance(p, dict)
        }
        for port in spec.get("ports") or []:
            if isinstance(port, dict) and not port.get("nodePort"):
                found = old_ports.get((port.get("port"), port.get("protocol")))
                if found:
                    port["nodePort"] = found


def allocate(reader: Reader, obj: Obj, old: Obj | None, ids: Ids) -> None:
    """Fill in a Service's cluster IPs, IP families and node ports; 422 when one asked for
    is taken or out of range. Other kinds pass untouched."""
    if obj.get("kind") != Kind.SERVICE:
        return
    spec = _spec(obj)
    if not _needs_cluster_ip(spec):
        for field in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"):
            spec.pop(field, None)
    others = list(_others(reader, obj))
    fresh = old is None or not _needs_cluster_ip(_spec(old))
    problems = _allocate_cluster_ip(spec, others, ids) if fresh else []
    if _needs_cluster_ip(spec):
        _init_ip_families(spec)
    problems += _allocate_node_ports(spec, others, ids)
    if problems:
        name = (obj.get("metadata") or {}).get("name", "")
        raise errors.invalid(kind_info(Kind.SERVICE), name, problems)


def _init_ip_families(spec: dict[str, Any]) -> None:
    """initIPFamilyFields on a single-stack IPv4 cluster: a headless Service without a
    selector asks for both families; every other one is SingleStack IPv4."""
    if spec.get("clusterIP") == HEADLESS and not spec.get("selector"):
        spec.setdefault("ipFamilyPolicy", "RequireDualStack")
        if not spec.get("ipFamilies"):
            spec["ipFamilies"] = ["IPv4", "IPv6"]
        return
    spec.setdefault("ipFamilyPolicy", "SingleStack")
    if not spec.get("ipFamilies"):
        spec["ipFamilies"] = ["IPv4"]


def _ip_number(value: Any) -> int | None:
    try:
        return int(ipaddress.IPv4Address(str(value)))
    except ValueError:
        return None


def _allocate_cluster_ip(spec: dict[str, Any], others: list[Obj], ids: Ids) -> list[FieldError]:
    """allocClusterIPs: the asked-for address if free and in range, else a random one."""
    if not _needs_cluster_ip(spec):
        return []
    wanted = spec.get("clusterIP") or ((spec.get("clusterIPs") or [None])[0])
    if wanted == HEADLESS:
        spec["clusterIP"], spec["clusterIPs"] = HEADLESS, [HEADLESS]
        return []
    taken = {
        number
        for other in others
        if (number := _ip_number(_spec(other).get("clusterIP"))) is not None
    }
    network = int(SERVICE_CIDR.network_address)
    if wanted:
        number = _ip_number(wanted)
        reason = None
        if number is None or ipaddress.IPv4Address(number) not in SERVICE_CIDR:
            reason = (
                f"the provided IP ({wanted}) is not in the valid range. "
                f"The range of valid IPs is {SERVICE_CIDR}"
            )
        elif number in taken:
            reason = "provided IP is already allocated"
        if reason:
            return [
                invalid_value(
                    "spec.clusterIPs", [wanted], f"failed to allocate IP {wanted}: {reason}"
                )
            ]
    else:
        # The network and broadcast addresses are never handed out.
        size = SERVICE_CIDR.num_addresses - 2
        offset = _range_offset(size, 16, 16, 256)
        found = _pick({n - network - 1 for n in taken}, 0, size - 1, offset, ids)
        if found is None:
            return [invalid_value("spec.clusterIPs", [], "failed to allocate IP: range is full")]
        wanted = str(ipaddress.IPv4Address(network + 1 + found))
    spec["clusterIP"], spec["clusterIPs"] = wanted, [wanted]
    return []


def _allocate_node_ports(spec: dict[str, Any], others: list[Obj], ids: Ids) -> list[FieldError]:
    """initNodePorts / updateNodePorts: each port's asked-for node port, or a free one."""
    if not _needs_node_ports(spec):
        return []
    low, high = NODE_PORT_RANGE
    taken: set[int] = {
        int(port["nodePort"])
        for other in others
        for port in _spec(other).get("ports") or []
        if isinstance(port, dict) and isinstance(port.get("nodePort"), int)
    }
    problems: list[FieldError] = []
    ports = [p for p in spec.get("ports") or [] if isinstance(p, dict)]
    for i, port in enumerate(ports):
        asked = port.get("nodePort")
        if not asked:
            continue
        path = f"spec.ports[{i}].nodePort"
        if not isinstance(asked, int) or not low <= asked <= high:
            detail = (
                f"provided port is not in the valid range. The range of valid ports is {low}-{high}"
            )
            problems.append(invalid_value(path, asked, detail))
        elif asked in taken:
            problems.append(invalid_value(path, asked, "provided port is already allocated"))
        else:
            taken.add(asked)
    for port in ports:
        if not port.get("nodePort"):
            offset = _range_offset(high - low + 1, 16, 32, 128)
            found = _pick(taken, low, high, offset, ids)
            if found is not None:
                port["nodePort"] = found
                taken.add(found)
    return problems
