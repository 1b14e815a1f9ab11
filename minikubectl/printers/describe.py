"""`kubectl describe` pages: Pods here, and every other page the command prints, gathered.

Each function mirrors its kubectl describer line for line (pkg/describe/describe.go): same
labels, same order, same optional lines, written as tab-separated text and aligned once at the
end, so the alignment quirks users know (`OldReplicaSets:` aligned with the Conditions rows,
the trailing space after each pod condition status) come out identical. Everything a page shows
is passed in; the caller fetches related objects and events (see `writer.events_for`).
The workload pages are in `describe_apps`, the cluster-level ones in `describe_cluster`,
ConfigMaps and Secrets in `describe_config`. Several pages are separated by two empty lines
(`"\\n\\n".join(pages)`).
"""

from __future__ import annotations

from typing import Any

from controlplane.models import quantity
from controlplane.models.constants import Obj, PodPhase
from minikubectl.printers.age import age, rfc1123z
from minikubectl.printers.describe_apps import (
    describe_daemonset,
    describe_deployment,
    describe_replicaset,
    describe_statefulset,
)
from minikubectl.printers.describe_cluster import describe_event, describe_namespace, describe_node
from minikubectl.printers.podtemplate import (
    describe_containers,
    describe_volumes,
    pod_template_lines,
    revision_detail,
)
from minikubectl.printers.writer import (
    controlled_by,
    events_for,
    events_section,
    labels_and_annotations,
    labels_multiline,
    named_page,
    sections,
    tabbed,
    tolerations_multiline,
)

__all__ = [
    "describe_daemonset",
    "describe_deployment",
    "describe_event",
    "describe_namespace",
    "describe_node",
    "describe_pod",
    "describe_replicaset",
    "describe_statefulset",
    "events_for",
    "pod_template_lines",
    "revision_detail",
]


def _field_resolver(pod: Obj) -> Any:
    """EnvValueRetriever: the value of a downward-API fieldRef for this pod."""
    meta, spec, status = sections(pod)
    simple = {
        "metadata.name": meta.get("name"),
        "metadata.namespace": meta.get("namespace"),
        "metadata.uid": meta.get("uid"),
        "spec.nodeName": spec.get("nodeName"),
        "spec.serviceAccountName": spec.get("serviceAccountName"),
        "status.hostIP": status.get("hostIP"),
        "status.podIP": status.get("podIP"),
    }

    def resolve(ref: dict[str, Any]) -> str:
        path = str(ref.get("fieldPath", ""))
        for field in ("labels", "annotations"):
            prefix = f"metadata.{field}['"
            if path.startswith(prefix) and path.endswith("']"):
                return str((meta.get(field) or {}).get(path[len(prefix) : -2], ""))
        return str(simple.get(path) or "")

    return resolve


def qos_class(pod: Obj) -> str:
    """status.qosClass, else ComputePodQOS: BestEffort, Guaranteed or Burstable."""
    given = (pod.get("status") or {}).get("qosClass")
    if given:
        return str(given)
    spec = pod.get("spec") or {}
    requests: dict[str, quantity.Quantity] = {}
    limits: dict[str, quantity.Quantity] = {}
    guaranteed = True
    for container in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        res = container.get("resources") or {}
        for field, acc in (("requests", requests), ("limits", limits)):
            found = set()
            for name, text in (res.get(field) or {}).items():
                q = quantity.parse(text)
                if name in ("cpu", "memory") and q.value > 0:
                    found.add(name)
                    acc[name] = acc.get(name, quantity.ZERO) + q
            if field == "limits" and found != {"cpu", "memory"}:
                guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    matching = all(n in limits and limits[n].value == q.value for n, q in requests.items())
    if guaranteed and matching and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


def describe_pod(pod: Obj, events: list[Obj] | None, now: float, node: Obj | None = None) -> str:
    """`kubectl describe pod` (describePod). `node` is accepted for callers that have it;
    kubectl itself shows only `nodeName/hostIP`."""
    del node
    meta, spec, status = sections(pod)
    w = named_page(meta)
    if spec.get("priority") is not None:
        w.write(0, f"Priority:\t{spec['priority']}\n")
    w.field("Priority Class Name", spec.get("priorityClassName"))
    w.field("Runtime Class Name", spec.get("runtimeClassName"))
    w.field("Service Account", spec.get("serviceAccountName"))
    node_name = spec.get("nodeName")
    w.write(
        0, f"Node:\t{node_name}/{status.get('hostIP', '')}\n" if node_name else "Node:\t<none>\n"
    )
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{rfc1123z(status['startTime'])}\n")
    labels_and_annotations(w, meta)
    phase = status.get("phase", "")
    if meta.get("deletionTimestamp") and phase not in (PodPhase.FAILED, PodPhase.SUCCEEDED):
        w.write(0, f"Status:\tTerminating (lasts {age(meta['deletionTimestamp'], now)})\n")
        w.write(0, f"Termination Grace Period:\t{meta.get('deletionGracePeriodSeconds', 30)}s\n")
    else:
        w.write(0, f"Status:\t{phase}\n")
    w.field("Reason", status.get("reason"))
    w.field("Message", status.get("message"))
    w.write(0, f"IP:\t{status.get('podIP', '')}\n")
    ips = status.get("podIPs") or []
    w.write(0, "IPs:\n" if ips else "IPs:\t<none>\n")
    for ip in ips:
        w.write(1, f"IP:\t{ip.get('ip', '')}\n")
    w.field("Controlled By", controlled_by(pod))
    w.field("NominatedNodeName", status.get("nominatedNodeName"))
    resolve = _field_resolver(pod)
    if spec.get("initContainers"):
        describe_containers(
            w,
            "Init Containers",
            spec["initContainers"],
            status.get("initContainerStatuses"),
            "",
            resolve,
        )
    describe_containers(
        w, "Containers", spec.get("containers") or [], status.get("containerStatuses"), "", resolve
    )
    conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
    if spec.get("readinessGates"):
        w.write(0, "Readiness Gates:\n  Type\tStatus\n")
        for gate in spec["readinessGates"]:
            ctype = gate.get("conditionType", "")
            w.write(1, f"{ctype} \t{conditions.get(ctype) or '<none>'} \n")
    if status.get("conditions"):
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for c in status["conditions"]:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')} \n")
    describe_volumes(w, spec.get("volumes"), "")
    w.write(0, f"QoS Class:\t{qos_class(pod)}\n")
    labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"))
    tolerations_multiline(w, "Tolerations", spec.get("tolerations"))
    events_section(w, events, now)
    return tabbed(w)
