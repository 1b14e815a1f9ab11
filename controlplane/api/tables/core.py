"""The Tables of the core kinds: Pods, Nodes, Namespaces and Events.

Ported from pkg/printers/internalversion/printers.go (AddHandlers' column definitions; printPod,
printNode, printNamespace, printEvent). Each row function returns every cell, wide ones
included, as the server always generates them.
"""

from __future__ import annotations

from controlplane.api.tables.columns import (
    AGE,
    META_NAME,
    NAME,
    WIDE,
    Cell,
    ColumnDefinition,
    name_and_age,
)
from controlplane.api.tables.podstatus import pod_cells
from controlplane.models.constants import ConditionStatus, Obj, PodPhase
from controlplane.models.durations import age

NODE_ROLE_PREFIX = "node-role.kubernetes.io/"
NODE_ROLE_LABEL = "kubernetes.io/role"


POD_COLUMNS = (
    NAME,
    ColumnDefinition("Ready", "The aggregate readiness state of this pod for accepting traffic."),
    ColumnDefinition("Status", "The aggregate status of the containers in this pod."),
    ColumnDefinition(
        "Restarts",
        "The number of times the containers in this pod have been restarted and when the last "
        "container in this pod has restarted.",
    ),
    AGE,
    ColumnDefinition(
        "IP",
        "podIP address allocated to the pod. Routable at least within the cluster. Empty if not "
        "yet allocated.",
        priority=WIDE,
    ),
    ColumnDefinition(
        "Node",
        "NodeName indicates in which node this pod is scheduled. If empty, this pod is a "
        "candidate for scheduling by the scheduler defined in schedulerName. Once this field is "
        "set, the kubelet for this node becomes responsible for the lifecycle of this pod. This "
        "field should not be used to express a desire for the pod to be scheduled on a specific "
        "node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename",
        priority=WIDE,
    ),
    ColumnDefinition(
        "Nominated Node",
        "nominatedNodeName is set only when this pod preempts other pods on the node, but it "
        "cannot be scheduled right away as preemption victims receive their graceful termination "
        "periods. This field does not guarantee that the pod will be scheduled on this node. "
        "Scheduler may decide to place the pod elsewhere if other nodes become available sooner. "
        "Scheduler may also decide to give the resources on this node to a higher priority pod "
        "that is created after preemption. As a result, this field may be different than "
        "PodSpec.nodeName when the pod is scheduled.",
        priority=WIDE,
    ),
    ColumnDefinition(
        "Readiness Gates",
        "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready "
        "when all its containers are ready AND all conditions specified in the readiness gates "
        'have status equal to "True" More info: '
        "https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates",
        priority=WIDE,
    ),
)


def pod_cells_wide(pod: Obj, now: float) -> list[Cell]:
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    ready, reason, restarts = pod_cells(pod, now)
    ips = status.get("podIPs") or []
    ip = (ips[0].get("ip") if ips else "") or "<none>"
    gates = spec.get("readinessGates") or []
    readiness = "<none>"
    if gates:
        conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or []}
        true = sum(1 for g in gates if conditions.get(g.get("conditionType")) == "True")
        readiness = f"{true}/{len(gates)}"
    name, created = name_and_age(pod, now)
    return [
        name,
        ready,
        reason,
        restarts,
        created,
        ip,
        spec.get("nodeName") or "<none>",
        status.get("nominatedNodeName") or "<none>",
        readiness,
    ]


_POD_COMPLETED: dict[str, str] = {
    PodPhase.SUCCEEDED: "The pod has completed successfully.",
    PodPhase.FAILED: "The pod failed.",
}


def pod_row_conditions(pod: Obj) -> list[dict[str, str]]:
    """podSuccessConditions / podFailedConditions: a terminal pod's row is `Completed`."""
    phase = (pod.get("status") or {}).get("phase") or ""
    message = _POD_COMPLETED.get(phase)
    if message is None:
        return []
    return [{"type": "Completed", "status": "True", "reason": phase, "message": message}]


_NODE_ADDRESSES = (  # NodeStatus.addresses, described under both address columns
    "List of addresses reachable to the node. Queried from cloud provider, if available. More "
    "info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is "
    "declared as mergeable, but the merge key is not sufficiently unique, which can cause data "
    "corruption when it is merged. Callers should instead use a full-replacement patch. See "
    "https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change "
    "during the lifetime of a Node. However, there are some exceptions where this may not be "
    "possible, such as Pods that inherit a Node's address in its own status or consumers of the "
    "downward API (status.hostIP)."
)
NODE_COLUMNS = (
    NAME,
    ColumnDefinition("Status", "The status of the node"),
    ColumnDefinition("Roles", "The roles of the node"),
    AGE,
    ColumnDefinition("Version", "Kubelet Version reported by the node."),
    ColumnDefinition("Internal-IP", _NODE_ADDRESSES, priority=WIDE),
    ColumnDefinition("External-IP", _NODE_ADDRESSES, priority=WIDE),
    ColumnDefinition(
        "OS-Image",
        "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).",
        priority=WIDE,
    ),
    ColumnDefinition(
        "Kernel-Version",
        "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
        priority=WIDE,
    ),
    ColumnDefinition(
        "Container-Runtime",
        "ContainerRuntime Version reported by the node through runtime remote API "
        "(e.g. containerd://1.4.2).",
        priority=WIDE,
    ),
)


def node_roles(node: Obj) -> list[str]:
    """findNodeRoles: `node-role.kubernetes.io/<role>` suffixes and `kubernetes.io/role`, sorted."""
    roles: set[str] = set()
    for key, value in ((node.get("metadata") or {}).get("labels") or {}).items():
        if key.startswith(NODE_ROLE_PREFIX):
            role = key[len(NODE_ROLE_PREFIX) :]
            if role:
                roles.add(role)
        elif key == NODE_ROLE_LABEL and value:
            roles.add(value)
    return sorted(roles)


def node_status(node: Obj) -> str:
    """`Ready`, `NotReady` or `Unknown`, plus `,SchedulingDisabled` when cordoned."""
    status: list[str] = []
    for cond in (node.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            status = ["Ready" if cond.get("status") == ConditionStatus.TRUE else "NotReady"]
    if not status:
        status = ["Unknown"]
    if (node.get("spec") or {}).get("unschedulable"):
        status.append("SchedulingDisabled")
    return ",".join(status)


def _node_address(node: Obj, kind: str) -> str:
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == kind:
            return str(address.get("address", ""))
    return "<none>"


def node_cells(node: Obj, now: float) -> list[Cell]:
    info = (node.get("status") or {}).get("nodeInfo") or {}
    name, created = name_and_age(node, now)
    return [
        name,
        node_status(node),
        ",".join(node_roles(node)) or "<none>",
        created,
        info.get("kubeletVersion", ""),
        _node_address(node, "InternalIP"),
        _node_address(node, "ExternalIP"),
        info.get("osImage") or "<unknown>",
        info.get("kernelVersion") or "<unknown>",
        info.get("containerRuntimeVersion") or "<unknown>",
    ]


NAMESPACE_COLUMNS = (NAME, ColumnDefinition("Status", "The status of the namespace"), AGE)


def namespace_cells(ns: Obj, now: float) -> list[Cell]:
    name, created = name_and_age(ns, now)
    return [name, (ns.get("status") or {}).get("phase", ""), created]


EVENT_COLUMNS = (
    ColumnDefinition(
        "Last Seen", "The time at which the most recent occurrence of this event was recorded."
    ),
    ColumnDefinition(
        "Type", "Type of this event (Normal, Warning), new types could be added in the future"
    ),
    ColumnDefinition(
        "Reason",
        "This should be a short, machine understandable string that gives the reason for the "
        "transition into the object's current status.",
    ),
    ColumnDefinition("Object", "The object that this event is about."),
    ColumnDefinition(
        "Subobject",
        "If referring to a piece of an object instead of an entire object, this string should "
        "contain a valid JSON/Go field access statement, such as "
        "desiredState.manifest.containers[2]. For example, if the object reference is to a "
        "container within a pod, this would take on a value like: "
        '"spec.containers{name}" (where "name" refers to the name of the container that '
        'triggered the event) or if no container name is specified "spec.containers[2]" '
        "(container with index 2 in this pod). This syntax is chosen only to have some "
        "well-defined way of referencing a part of an object.",
        priority=WIDE,
    ),
    ColumnDefinition(
        "Source",
        "The component reporting this event. Should be a short machine understandable string.",
        priority=WIDE,
    ),
    ColumnDefinition("Message", "A human-readable description of the status of this operation."),
    ColumnDefinition(
        "First Seen",
        "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)",
        priority=WIDE,
    ),
    ColumnDefinition("Count", "The number of times this event has occurred.", priority=WIDE),
    ColumnDefinition("Name", META_NAME, format="name", priority=WIDE),
)


def event_source(event: Obj) -> str:
    """formatEventSource: `component` or `component, host` (falling back to reporting fields)."""
    source = event.get("source") or {}
    component = source.get("component") or event.get("reportingComponent") or ""
    host = source.get("host") or event.get("reportingInstance") or ""
    return f"{component}, {host}" if host else component


def event_cells(event: Obj, now: float) -> list[Cell]:
    first = event.get("firstTimestamp")
    first_seen = age(first, now) if first else age(event.get("eventTime"), now)
    last = event.get("lastTimestamp")
    last_seen = age(last, now) if last else first_seen
    count = event.get("count") or 1
    series = event.get("series")
    if series:
        last_seen = age(series.get("lastObservedTime"), now)
        count = series.get("count") or 0
    involved = event.get("involvedObject") or {}
    target = str(involved.get("kind", "")).lower()
    if involved.get("name"):
        target += "/" + involved["name"]
    return [
        last_seen,
        event.get("type", ""),
        event.get("reason", ""),
        target,
        involved.get("fieldPath", ""),
        event_source(event),
        str(event.get("message", "")).strip(),
        first_seen,
        count,
        (event.get("metadata") or {}).get("name", ""),
    ]
