"""`kubectl get` tables: the columns of each kind, and the table printer that lays them out.

Two halves, as in Kubernetes. The server-side printers (pkg/printers/internalversion) turn one
object into *all* its cells, wide ones included, next to column definitions that carry a
priority (0 default, 1 wide-only). The client (cli-runtime's table printer) drops priority
columns unless `-o wide`, adds NAMESPACE first for `-A`, `-L` label columns and LABELS last,
prefixes the name column with `<kind>.<group>/` when several kinds are printed, and hands
tab-separated lines to the tabwriter (minwidth 6, padding 3). Keeping the halves apart keeps
each kind's rules a short table below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from controlplane.api.registry import kind_info
from controlplane.models.constants import ConditionStatus, Obj
from minikubectl.printers.age import age
from minikubectl.printers.columns_apps import (
    containers_and_images,
    controllerrevision_row,
    daemonset_row,
    statefulset_row,
)
from minikubectl.printers.podstatus import pod_cells
from minikubectl.printers.tabwriter import get_table

NODE_ROLE_PREFIX = "node-role.kubernetes.io/"
NODE_ROLE_LABEL = "kubernetes.io/role"


@dataclass(frozen=True, slots=True)
class Column:
    """A server column definition: `name` as the server spells it (upper-cased when printed)."""

    name: str
    priority: int = 0
    is_name: bool = False  # Format "name": the cell that gets the kind prefix


Row = Callable[[Obj, float], list[str]]

_NAME = Column("Name", is_name=True)


def _meta(obj: Obj) -> dict[str, Any]:
    meta: dict[str, Any] = obj.get("metadata") or {}
    return meta


def _created(obj: Obj, now: float) -> str:
    return age(_meta(obj).get("creationTimestamp"), now)


def selector_string(selector: dict[str, Any] | None) -> str:
    """labels.Selector.String(): the selector without the `<none>` placeholder."""
    from controlplane.models import selectors

    try:
        return str(selectors.from_label_selector(selector))
    except selectors.SelectorError:
        return "<invalid>"


def selector_text(selector: dict[str, Any] | None) -> str:
    """The SELECTOR column (`<none>` when empty); selectors are imported for it alone."""
    from controlplane.models import selectors

    return selectors.to_string(selector)


# --- Server side: one function per kind, returning every cell (wide ones included) ---


def _pod_row(pod: Obj, now: float) -> list[str]:
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
    return [
        _meta(pod).get("name", ""),
        ready,
        reason,
        restarts,
        _created(pod, now),
        ip,
        spec.get("nodeName") or "<none>",
        status.get("nominatedNodeName") or "<none>",
        readiness,
    ]


def _replicaset_row(rs: Obj, now: float) -> list[str]:
    spec = rs.get("spec") or {}
    status = rs.get("status") or {}
    names, images = containers_and_images(spec.get("template") or {})
    return [
        _meta(rs).get("name", ""),
        str(spec.get("replicas", 1)),
        str(status.get("replicas") or 0),
        str(status.get("readyReplicas") or 0),
        _created(rs, now),
        names,
        images,
        selector_text(spec.get("selector")),
    ]


def _deployment_row(dep: Obj, now: float) -> list[str]:
    spec = dep.get("spec") or {}
    status = dep.get("status") or {}
    names, images = containers_and_images(spec.get("template") or {})
    return [
        _meta(dep).get("name", ""),
        f"{status.get('readyReplicas') or 0}/{spec.get('replicas', 1)}",
        str(status.get("updatedReplicas") or 0),
        str(status.get("availableReplicas") or 0),
        _created(dep, now),
        names,
        images,
        selector_string(spec.get("selector")),
    ]


def node_roles(node: Obj) -> list[str]:
    """findNodeRoles: `node-role.kubernetes.io/<role>` suffixes and `kubernetes.io/role`, sorted."""
    roles: set[str] = set()
    for key, value in (_meta(node).get("labels") or {}).items():
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


def _node_row(node: Obj, now: float) -> list[str]:
    info = (node.get("status") or {}).get("nodeInfo") or {}
    return [
        _meta(node).get("name", ""),
        node_status(node),
        ",".join(node_roles(node)) or "<none>",
        _created(node, now),
        info.get("kubeletVersion", ""),
        _node_address(node, "InternalIP"),
        _node_address(node, "ExternalIP"),
        info.get("osImage") or "<unknown>",
        info.get("kernelVersion") or "<unknown>",
        info.get("containerRuntimeVersion") or "<unknown>",
    ]


def _namespace_row(ns: Obj, now: float) -> list[str]:
    return [
        _meta(ns).get("name", ""),
        (ns.get("status") or {}).get("phase", ""),
        _created(ns, now),
    ]


def event_source(event: Obj) -> str:
    """formatEventSource: `component` or `component, host` (falling back to reporting fields)."""
    source = event.get("source") or {}
    component = source.get("component") or event.get("reportingComponent") or ""
    host = source.get("host") or event.get("reportingInstance") or ""
    return f"{component}, {host}" if host else component


def _event_row(event: Obj, now: float) -> list[str]:
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
    message = str(event.get("message", "")).strip()
    return [
        last_seen,
        event.get("type", ""),
        event.get("reason", ""),
        target,
        involved.get("fieldPath", ""),
        event_source(event),
        message,
        first_seen,
        str(count),
        _meta(event).get("name", ""),
    ]


_WIDE = 1
KINDS: dict[str, tuple[tuple[Column, ...], Row]] = {
    "Pod": (
        (
            _NAME,
            Column("Ready"),
            Column("Status"),
            Column("Restarts"),
            Column("Age"),
            Column("IP", _WIDE),
            Column("Node", _WIDE),
            Column("Nominated Node", _WIDE),
            Column("Readiness Gates", _WIDE),
        ),
        _pod_row,
    ),
    "ReplicaSet": (
        (
            _NAME,
            Column("Desired"),
            Column("Current"),
            Column("Ready"),
            Column("Age"),
            Column("Containers", _WIDE),
            Column("Images", _WIDE),
            Column("Selector", _WIDE),
        ),
        _replicaset_row,
    ),
    "Deployment": (
        (
            _NAME,
            Column("Ready"),
            Column("Up-to-date"),
            Column("Available"),
            Column("Age"),
            Column("Containers", _WIDE),
            Column("Images", _WIDE),
            Column("Selector", _WIDE),
        ),
        _deployment_row,
    ),
    "StatefulSet": (
        (
            _NAME,
            Column("Ready"),
            Column("Age"),
            Column("Containers", _WIDE),
            Column("Images", _WIDE),
        ),
        statefulset_row,
    ),
    "DaemonSet": (
        (
            _NAME,
            Column("Desired"),
            Column("Current"),
            Column("Ready"),
            Column("Up-to-date"),
            Column("Available"),
            Column("Node Selector"),
            Column("Age"),
            Column("Containers", _WIDE),
            Column("Images", _WIDE),
            Column("Selector", _WIDE),
        ),
        daemonset_row,
    ),
    "ControllerRevision": (
        (_NAME, Column("Controller"), Column("Revision"), Column("Age")),
        controllerrevision_row,
    ),
    "Node": (
        (
            _NAME,
            Column("Status"),
            Column("Roles"),
            Column("Age"),
            Column("Version"),
            Column("Internal-IP", _WIDE),
            Column("External-IP", _WIDE),
            Column("OS-Image", _WIDE),
            Column("Kernel-Version", _WIDE),
            Column("Container-Runtime", _WIDE),
        ),
        _node_row,
    ),
    "Namespace": ((_NAME, Column("Status"), Column("Age")), _namespace_row),
    "Event": (
        (
            Column("Last Seen"),
            Column("Type"),
            Column("Reason"),
            Column("Object"),
            Column("Subobject", _WIDE),
            Column("Source", _WIDE),
            Column("Message"),
            Column("First Seen", _WIDE),
            Column("Count", _WIDE),
            Column("Name", _WIDE, is_name=True),
        ),
        _event_row,
    ),
}


# --- Client side: cli-runtime's table printer ---


_SPECIAL = re.compile("[\f\n\r\x1b]")
_BREAK = re.compile("[\f\n\r]")


def _escape(cell: str) -> str:
    """printTable's cell rules: cut at the first line break (adding `...`), escape ESC."""
    if not _SPECIAL.search(cell):
        return cell
    cut = _BREAK.search(cell)
    if cut:
        cell = cell[: cut.start()] + "..."
    return cell.replace("\x1b", "^[")


def _label_header(key: str) -> str:
    """`-L app.kubernetes.io/name` makes a column titled `NAME`."""
    return key.split("/")[-1].upper()


def table_lines(
    kind: str,
    objects: Sequence[Obj],
    now: float,
    *,
    wide: bool = False,
    name_prefix: bool = False,
    all_namespaces: bool = False,
    show_labels: bool = False,
    label_columns: Sequence[str] = (),
    no_headers: bool = False,
) -> list[str]:
    """The tab-separated lines of a table, before alignment (for callers that stream rows)."""
    if kind not in KINDS:
        raise ValueError(f"no table columns defined for kind {kind!r}")
    columns, row_of = KINDS[kind]
    keep = [i for i, c in enumerate(columns) if wide or c.priority == 0]
    info = kind_info(kind)
    with_namespace = all_namespaces and info.namespaced
    lines: list[str] = []
    if not objects:
        return lines
    if not no_headers:
        headers = [columns[i].name.upper() for i in keep]
        if with_namespace:
            headers.insert(0, "NAMESPACE")
        headers += [_label_header(key) for key in label_columns]
        if show_labels:
            headers.append("LABELS")
        lines.append("\t".join(headers))
    for obj in objects:
        cells = row_of(obj, now)
        for i, column in enumerate(columns):
            if column.is_name and name_prefix:
                cells[i] = f"{info.kind_group}/{cells[i]}"
        shown = [_escape(cells[i]) for i in keep]
        labels = _meta(obj).get("labels") or {}
        if with_namespace:
            shown.insert(0, _escape(_meta(obj).get("namespace", "")))
        shown += [_escape(labels.get(key, "")) for key in label_columns]
        if show_labels:
            from controlplane.models.selectors import labels_to_string

            shown.append(_escape(labels_to_string(labels)))
        lines.append("\t".join(shown))
    return lines


def render_table(
    kind: str,
    objects: Sequence[Obj],
    now: float,
    *,
    wide: bool = False,
    name_prefix: bool = False,
    all_namespaces: bool = False,
    show_labels: bool = False,
    label_columns: Sequence[str] = (),
    no_headers: bool = False,
) -> str:
    """One kind's `kubectl get` table, each line ending in a newline; `""` when no objects.

    Several kinds print as separate tables joined by one empty line (`"\\n".join(tables)`),
    with `name_prefix=True` on all of them when more than one kind returned objects.
    """
    lines = table_lines(
        kind,
        objects,
        now,
        wide=wide,
        name_prefix=name_prefix,
        all_namespaces=all_namespaces,
        show_labels=show_labels,
        label_columns=label_columns,
        no_headers=no_headers,
    )
    if not lines:
        return ""
    return get_table("".join(line + "\n" for line in lines))
