"""`kubectl describe statefulset` and `kubectl describe daemonset`.

Line for line after kubectl's pkg/describe/describe.go (describeStatefulSet,
describeVolumeClaimTemplates, describeDaemonSet). The five `Number of Nodes ...` lines of a
DaemonSet use a plain space, not a tab, so they are not aligned and they split the alignment
blocks around them, exactly as on a real cluster.
"""

from __future__ import annotations

from typing import Any

from controlplane.api.tables.apps import selector_string
from controlplane.models import selectors
from controlplane.models.constants import Obj
from minikubectl.printers.age import rfc1123z
from minikubectl.printers.describe import pod_phases
from minikubectl.printers.podtemplate import describe_pod_template
from minikubectl.printers.writer import (
    PrefixWriter,
    annotations_multiline,
    events_section,
    labels_multiline,
    tabbed,
)


def _meta(obj: Obj) -> dict[str, Any]:
    meta: dict[str, Any] = obj.get("metadata") or {}
    return meta


def _volume_claims(w: PrefixWriter, templates: list[dict[str, Any]] | None) -> None:
    """describeVolumeClaimTemplates."""
    if not templates:
        w.write(0, "Volume Claims:\t<none>\n")
        return
    w.write(0, "Volume Claims:\n")
    for claim in templates:
        meta, spec = claim.get("metadata") or {}, claim.get("spec") or {}
        w.write(1, f"Name:\t{meta.get('name', '')}\n")
        w.write(1, f"StorageClass:\t{spec.get('storageClassName', '')}\n")
        labels_multiline(w, "  Labels", meta.get("labels"))
        labels_multiline(w, "  Annotations", meta.get("annotations"))
        capacity = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
        w.write(1, f"Capacity:\t{capacity or '<default>'}\n")
        w.write(1, f"Access Modes:\t[{' '.join(spec.get('accessModes') or [])}]\n")


def describe_statefulset(sts: Obj, pods: list[Obj], events: list[Obj] | None, now: float) -> str:
    """`kubectl describe statefulset`; `pods` may include others' pods (counted by owner)."""
    meta, spec, status = _meta(sts), sts.get("spec") or {}, sts.get("status") or {}
    strategy = spec.get("updateStrategy") or {}
    w = PrefixWriter()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'))}\n")
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    total = status.get("replicas") or 0
    w.write(0, f"Replicas:\t{spec.get('replicas', 1)} desired | {total} total\n")
    w.write(0, f"Update Strategy:\t{strategy.get('type', '')}\n")
    rolling = strategy.get("rollingUpdate")
    if rolling is not None and rolling.get("partition") is not None:
        w.write(1, f"Partition:\t{rolling['partition']}\n")
        if rolling.get("maxUnavailable") is not None:
            w.write(1, f"MaxUnavailable:\t{rolling['maxUnavailable']}\n")
    w.write(0, f"Pods Status:\t{pod_phases(sts, pods)}\n")
    describe_pod_template(w, spec.get("template"))
    _volume_claims(w, spec.get("volumeClaimTemplates"))
    events_section(w, events, now)
    return tabbed(w)


def describe_daemonset(ds: Obj, pods: list[Obj], events: list[Obj] | None, now: float) -> str:
    """`kubectl describe daemonset`; `pods` may include others' pods (counted by owner)."""
    meta, spec, status = _meta(ds), ds.get("spec") or {}, ds.get("status") or {}
    template = spec.get("template") or {}
    w = PrefixWriter()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    node_selector = (template.get("spec") or {}).get("nodeSelector")
    w.write(0, f"Node-Selector:\t{selectors.labels_to_string(node_selector)}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    for title, field in (
        ("Desired Number of Nodes Scheduled", "desiredNumberScheduled"),
        ("Current Number of Nodes Scheduled", "currentNumberScheduled"),
        ("Number of Nodes Scheduled with Up-to-date Pods", "updatedNumberScheduled"),
        ("Number of Nodes Scheduled with Available Pods", "numberAvailable"),
        ("Number of Nodes Misscheduled", "numberMisscheduled"),
    ):
        w.write(0, f"{title}: {status.get(field) or 0}\n")
    w.write(0, f"Pods Status:\t{pod_phases(ds, pods)}\n")
    describe_pod_template(w, template)
    events_section(w, events, now)
    return tabbed(w)
