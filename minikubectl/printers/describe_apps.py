"""`kubectl describe` for the apps kinds: Deployments, ReplicaSets, StatefulSets, DaemonSets.

Line for line after kubectl's pkg/describe/describe.go (DeploymentDescriber,
ReplicaSetDescriber, describeStatefulSet, describeVolumeClaimTemplates, describeDaemonSet).
The five `Number of Nodes ...` lines of a DaemonSet use a plain space, not a tab, so they are
not aligned and they split the alignment blocks around them, exactly as on a real cluster.
"""

from __future__ import annotations

from typing import Any

from controlplane.api.tables.apps import selector_string
from controlplane.models import selectors
from controlplane.models.constants import Obj, PodPhase
from controlplane.models.revisions import templates_equal_ignoring_hash
from minikubectl.printers.age import rfc1123z
from minikubectl.printers.podtemplate import describe_pod_template
from minikubectl.printers.writer import (
    PrefixWriter,
    controlled_by,
    events_section,
    labels_and_annotations,
    labels_multiline,
    meta_of,
    named_page,
    sections,
    tabbed,
)


def _conditions(w: PrefixWriter, obj: Obj) -> None:
    """The `Type Status Reason` table of workloads; a space ends each type (kubectl's `%v \\t`)."""
    conditions = (obj.get("status") or {}).get("conditions") or []
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')}\t{c.get('reason', '')}\n")


def _replica_sets_line(sets: list[Obj]) -> str:
    """printReplicaSetsByLabels: `name (<status.replicas>/<spec.replicas> replicas created)`."""
    shown = [
        f"{meta_of(rs).get('name', '')} ({(rs.get('status') or {}).get('replicas') or 0}"
        f"/{(rs.get('spec') or {}).get('replicas', 1)} replicas created)"
        for rs in sets
    ]
    return ", ".join(shown) or "<none>"


def _split_replica_sets(dep: Obj, replica_sets: list[Obj]) -> tuple[list[Obj], Obj | None]:
    """kubectl's GetAllReplicaSets: sorted by creation (then name); the new RS is the oldest
    one whose template equals the Deployment's ignoring pod-template-hash; the rest are old."""
    ordered = sorted(
        replica_sets,
        key=lambda rs: (meta_of(rs).get("creationTimestamp") or "", meta_of(rs).get("name", "")),
    )
    template = (dep.get("spec") or {}).get("template")
    new = next(
        (
            rs
            for rs in ordered
            if templates_equal_ignoring_hash(rs["spec"].get("template"), template)
        ),
        None,
    )
    return [rs for rs in ordered if rs is not new], new


def describe_deployment(
    dep: Obj, replica_sets: list[Obj], events: list[Obj] | None, now: float
) -> str:
    """`kubectl describe deployment` (DeploymentDescriber); `replica_sets` are those it controls."""
    meta, spec, status = sections(dep)
    strategy = spec.get("strategy") or {}
    w = named_page(meta)
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'))}\n")
    labels_and_annotations(w, meta)
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    w.write(
        0,
        f"Replicas:\t{spec.get('replicas', 1)} desired | {status.get('updatedReplicas') or 0} "
        f"updated | {status.get('replicas') or 0} total | {status.get('availableReplicas') or 0} "
        f"available | {status.get('unavailableReplicas') or 0} unavailable\n",
    )
    w.write(0, f"StrategyType:\t{strategy.get('type', '')}\n")
    w.write(0, f"MinReadySeconds:\t{spec.get('minReadySeconds') or 0}\n")
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        w.write(
            0,
            f"RollingUpdateStrategy:\t{rolling.get('maxUnavailable', '25%')} max unavailable, "
            f"{rolling.get('maxSurge', '25%')} max surge\n",
        )
    describe_pod_template(w, spec.get("template"))
    _conditions(w, dep)
    old, new = _split_replica_sets(dep, replica_sets)
    if old or new is not None:
        w.write(0, f"OldReplicaSets:\t{_replica_sets_line(old)}\n")
        w.write(0, f"NewReplicaSet:\t{_replica_sets_line([new] if new else [])}\n")
    events_section(w, events, now)
    return tabbed(w)


def pod_phases(owner: Obj, pods: list[Obj]) -> str:
    """getPodStatusForController: owned pods counted by phase (Pending shows as Waiting)."""
    uid = meta_of(owner).get("uid")
    counts = dict.fromkeys(PodPhase, 0)
    for pod in pods:
        refs = meta_of(pod).get("ownerReferences") or []
        if not any(r.get("controller") and r.get("uid") == uid for r in refs):
            continue
        phase = (pod.get("status") or {}).get("phase")
        if phase in counts:
            counts[PodPhase(phase)] += 1
    return (
        f"{counts[PodPhase.RUNNING]} Running / {counts[PodPhase.PENDING]} Waiting / "
        f"{counts[PodPhase.SUCCEEDED]} Succeeded / {counts[PodPhase.FAILED]} Failed"
    )


def describe_replicaset(rs: Obj, pods: list[Obj], events: list[Obj] | None, now: float) -> str:
    """`kubectl describe replicaset` (ReplicaSetDescriber); `pods` may include others' pods."""
    meta, spec, status = sections(rs)
    w = named_page(meta)
    w.write(0, f"Selector:\t{selectors.to_string(spec.get('selector'))}\n")
    labels_and_annotations(w, meta)
    w.field("Controlled By", controlled_by(rs))
    w.write(
        0, f"Replicas:\t{status.get('replicas') or 0} current / {spec.get('replicas', 1)} desired\n"
    )
    w.write(0, f"Pods Status:\t{pod_phases(rs, pods)}\n")
    describe_pod_template(w, spec.get("template"))
    _conditions(w, rs)
    events_section(w, events, now)
    return tabbed(w)


def _volume_claims(w: PrefixWriter, templates: list[dict[str, Any]] | None) -> None:
    """describeVolumeClaimTemplates."""
    templates = templates or []
    if not w.heading("Volume Claims", templates):
        return
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
    meta, spec, status = sections(sts)
    strategy = spec.get("updateStrategy") or {}
    w = named_page(meta)
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'))}\n")
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    labels_and_annotations(w, meta)
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
    meta, spec, status = sections(ds)
    template = spec.get("template") or {}
    w = named_page(meta)
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    node_selector = (template.get("spec") or {}).get("nodeSelector")
    w.write(0, f"Node-Selector:\t{selectors.labels_to_string(node_selector)}\n")
    labels_and_annotations(w, meta)
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
