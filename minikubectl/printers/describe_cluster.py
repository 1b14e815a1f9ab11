"""`kubectl describe` pages for cluster-level objects: Nodes, Namespaces, and (through kubectl's
generic describer) Events.

Kept apart from the workload describers because the node page carries its own arithmetic: the
pods' summed requests and limits as a share of the node's allocatable resources, truncated to
whole percents exactly as kubectl's `int64(float64(...) * 100)` does.
"""

from __future__ import annotations

import re
from typing import Any

from controlplane.api.tables.core import node_roles
from controlplane.models import quantity
from controlplane.models.constants import Obj, PodPhase
from minikubectl.printers.age import age, rfc1123z
from minikubectl.printers.writer import (
    PrefixWriter,
    events_section,
    gostr,
    labels_and_annotations,
    meta_of,
    named_page,
    sections,
    tabbed,
    taints_multiline,
)

_STANDARD_RESOURCES = frozenset({"cpu", "memory", "ephemeral-storage"})


def _lease(w: PrefixWriter, node: Obj, lease: Obj | None) -> None:
    """describeNodeLease. Without a Lease object, the node's own heartbeat stands in for it:
    the kubelet holds its lease under the node's name and renews it with every heartbeat."""
    if lease is not None:
        spec = lease.get("spec") or {}
        holder = spec.get("holderIdentity") or "<unset>"
        acquire = rfc1123z(spec["acquireTime"]) if spec.get("acquireTime") else "<unset>"
        renew = rfc1123z(spec["renewTime"]) if spec.get("renewTime") else "<unset>"
    else:
        holder, acquire, renew = meta_of(node).get("name", "<unset>"), "<unset>", "<unset>"
        for cond in (node.get("status") or {}).get("conditions") or []:
            if cond.get("type") == "Ready" and cond.get("lastHeartbeatTime"):
                renew = rfc1123z(cond["lastHeartbeatTime"])
    w.write(0, "Lease:\n")
    w.write(1, f"HolderIdentity:\t{holder}\n")
    w.write(1, f"AcquireTime:\t{acquire}\n")
    w.write(1, f"RenewTime:\t{renew}\n")


def _percent(part: int, whole: int) -> int:
    """int64(float64(part) / float64(whole) * 100), guarded against an empty node."""
    return int(float(part) / float(whole) * 100) if whole else 0


def _node_resources(w: PrefixWriter, node: Obj, pods: list[Obj], now: float) -> None:
    """describeNodeResource: per-pod requests/limits, then the totals."""
    status = node.get("status") or {}
    allocatable = {
        name: quantity.parse(v)
        for name, v in (status.get("allocatable") or status.get("capacity") or {}).items()
    }
    cpu = allocatable.get("cpu", quantity.ZERO).milli_value()
    memory = allocatable.get("memory", quantity.ZERO).int_value()
    w.write(0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    requests: dict[str, quantity.Quantity] = {}
    limits: dict[str, quantity.Quantity] = {}
    zero = quantity.ZERO
    for pod in pods:
        pod_req, pod_lim = quantity.pod_requests_and_limits(pod)
        for acc, values in ((requests, pod_req), (limits, pod_lim)):
            for name, q in values.items():
                acc[name] = acc.get(name, zero) + q
        cpu_req, cpu_lim = pod_req.get("cpu", zero), pod_lim.get("cpu", zero)
        mem_req, mem_lim = pod_req.get("memory", zero), pod_lim.get("memory", zero)
        w.write(
            1,
            f"{meta_of(pod).get('namespace', '')}\t{meta_of(pod).get('name', '')}\t\t"
            f"{cpu_req} ({_percent(cpu_req.milli_value(), cpu)}%)\t"
            f"{cpu_lim} ({_percent(cpu_lim.milli_value(), cpu)}%)\t"
            f"{mem_req} ({_percent(mem_req.int_value(), memory)}%)\t"
            f"{mem_lim} ({_percent(mem_lim.int_value(), memory)}%)\t"
            f"{age(meta_of(pod).get('creationTimestamp'), now)}\n",
        )
    w.write(
        0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n"
    )
    w.write(1, "Resource\tRequests\tLimits\n")
    w.write(1, "--------\t--------\t------\n")
    hugepages = sorted(n for n in allocatable if n.startswith("hugepages-"))
    for name in ["cpu", "memory", "ephemeral-storage", *hugepages]:
        req, lim = requests.get(name, quantity.ZERO), limits.get(name, quantity.ZERO)
        if name == "cpu":
            whole, part_req, part_lim = cpu, req.milli_value(), lim.milli_value()
        else:
            whole = allocatable.get(name, quantity.ZERO).int_value()
            part_req, part_lim = req.int_value(), lim.int_value()
        w.write(
            1,
            f"{name}\t{req} ({_percent(part_req, whole)}%)\t{lim} ({_percent(part_lim, whole)}%)\n",
        )
    extended = sorted(
        n
        for n in allocatable
        if not n.startswith("hugepages-") and n not in _STANDARD_RESOURCES and n != "pods"
    )
    for name in extended:
        req, lim = requests.get(name, quantity.ZERO), limits.get(name, quantity.ZERO)
        w.write(1, f"{name}\t{req}\t{lim}\n")


def describe_node(
    node: Obj, pods: list[Obj], events: list[Obj] | None, now: float, lease: Obj | None = None
) -> str:
    """`kubectl describe node`; `pods` may be all pods, only those bound here and not finished
    are shown."""
    meta, spec, status = sections(node)
    w = PrefixWriter()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Roles:\t{','.join(node_roles(node)) or '<none>'}\n")
    labels_and_annotations(w, meta)
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'))}\n")
    taints_multiline(w, "Taints", spec.get("taints"))
    w.write(0, f"Unschedulable:\t{gostr(bool(spec.get('unschedulable')))}\n")
    _lease(w, node, lease)
    conditions = status.get("conditions") or []
    if conditions:
        w.write(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        )
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            heartbeat = rfc1123z(c.get("lastHeartbeatTime"))
            transition = rfc1123z(c.get("lastTransitionTime"))
            w.write(
                1,
                f"{c.get('type', '')} \t{c.get('status', '')} \t{heartbeat} \t{transition} \t"
                f"{c.get('reason', '')} \t{c.get('message', '')}\n",
            )
    w.write(0, "Addresses:\n")
    for address in status.get("addresses") or []:
        w.write(1, f"{address.get('type', '')}:\t{address.get('address', '')}\n")
    for field, title in (("capacity", "Capacity"), ("allocatable", "Allocatable")):
        values = status.get(field) or {}
        if values:
            w.write(0, f"{title}:\n")
            for name in sorted(values):
                w.write(0, f"  {name}:\t{quantity.canonical_text(values[name])}\n")
    info = status.get("nodeInfo") or {}
    w.write(0, "System Info:\n")
    for key, title in (
        ("machineID", "Machine ID"),
        ("systemUUID", "System UUID"),
        ("bootID", "Boot ID"),
        ("kernelVersion", "Kernel Version"),
        ("osImage", "OS Image"),
        ("operatingSystem", "Operating System"),
        ("architecture", "Architecture"),
        ("containerRuntimeVersion", "Container Runtime Version"),
        ("kubeletVersion", "Kubelet Version"),
    ):
        w.write(0, f"  {title}:\t{info.get(key, '')}\n")
    w.field("PodCIDR", spec.get("podCIDR"))
    if spec.get("podCIDRs"):
        w.write(0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    w.field("ProviderID", spec.get("providerID"))
    here = sorted(
        (
            p
            for p in pods
            if (p.get("spec") or {}).get("nodeName") == meta.get("name")
            and (p.get("status") or {}).get("phase") not in (PodPhase.SUCCEEDED, PodPhase.FAILED)
        ),
        key=lambda p: (meta_of(p).get("namespace", ""), meta_of(p).get("name", "")),
    )
    _node_resources(w, node, here, now)
    events_section(w, events, now)
    return tabbed(w)


def describe_namespace(ns: Obj) -> str:
    """`kubectl describe namespace` (no ResourceQuotas or LimitRanges exist in mkctl)."""
    meta, status = meta_of(ns), ns.get("status") or {}
    w = PrefixWriter()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    labels_and_annotations(w, meta)
    w.write(0, f"Status:\t{status.get('phase', '')}\n")
    conditions = status.get("conditions") or []
    if conditions:
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(
                1,
                f"{c.get('type', '')}\t{c.get('status', '')}\t"
                f"{rfc1123z(c.get('lastTransitionTime'))}\t{c.get('reason', '')}\t"
                f"{c.get('message', '')}\n",
            )
    w.write(0, "\n")
    w.write(0, "No resource quota.\n")
    w.write(0, "\n")
    w.write(0, "No LimitRange resource.\n")
    return tabbed(w)


# --- the generic describer (kubectl has no Event describer) ---

_ACRONYMS = frozenset({"API", "URL", "UID", "OSB", "GUID"})
_GENERIC_SKIP = frozenset(
    {
        ".metadata.managedFields",
        ".metadata.name",
        ".metadata.namespace",
        ".metadata.labels",
        ".metadata.annotations",
    }
)


def _camel_split(text: str) -> list[str]:
    """fatih/camelcase.Split: `apiVersion` -> `api`, `Version`; `PDFLoader` -> `PDF`, `Loader`."""
    runs: list[list[str]] = []
    last = 0
    for ch in text:
        cls = 1 if ch.islower() else 2 if ch.isupper() else 3 if ch.isdigit() else 4
        if cls == last:
            runs[-1].append(ch)
        else:
            runs.append([ch])
        last = cls
    for i in range(len(runs) - 1):
        if runs[i] and runs[i][0].isupper() and runs[i + 1][0].islower():
            runs[i + 1].insert(0, runs[i].pop())
    return ["".join(run) for run in runs if run]


def smart_label(field: str) -> str:
    """smartLabelFor: `involvedObject` -> `Involved Object`, `uid` -> `UID`."""
    if re.search(r"[^A-Za-z\-]", field):
        return field
    parts = []
    for part in _camel_split(field):
        if part == "_":
            continue
        parts.append(part.upper() if part.upper() in _ACRONYMS else part[:1].upper() + part[1:])
    return " ".join(parts)


def _unstructured(w: PrefixWriter, level: int, content: dict[str, Any], path: str) -> None:
    """printUnstructuredContent: fields sorted, maps and lists nested, scalars `Label:\\tvalue`."""
    for field in sorted(content):
        value, here = content[field], f"{path}.{field}"
        if here in _GENERIC_SKIP:
            continue
        if isinstance(value, dict):
            w.write(level, f"{smart_label(field)}:\n")
            _unstructured(w, level + 1, value, here)
        elif isinstance(value, list):
            w.write(level, f"{smart_label(field)}:\n")
            for item in value:
                if isinstance(item, dict):
                    _unstructured(w, level + 1, item, here)
                else:
                    w.write(level + 1, f"{gostr(item)}\n")
        else:
            shown = "<nil>" if value is None else gostr(value)
            w.write(level, f"{smart_label(field)}:\t{shown}\n")


def describe_event(event: Obj, now: float) -> str:
    """`kubectl describe event NAME`: kubectl's generic describer over the object's fields."""
    meta = meta_of(event)
    w = named_page(meta)
    labels_and_annotations(w, meta)
    _unstructured(w, 0, event, "")
    events_section(w, [], now)
    return tabbed(w)
