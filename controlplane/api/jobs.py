"""What the API server adds to a new Job: its generated selector and pod labels.

After pkg/registry/batch/job/strategy.go (PrepareForCreate, generateSelectorIfNeeded,
generateSelector). Unless `spec.manualSelector` is true, the pod template gets
`batch.kubernetes.io/job-name` and `job-name` (the Job's name) and
`batch.kubernetes.io/controller-uid` and `controller-uid` (its uid), where not already set, and
the selector matches on `batch.kubernetes.io/controller-uid`: unique to this Job, so no other
controller's pods can match. Validation then checks the labels are as generated.

A Job written without labels shares its template's label map in Go (SetDefaults_Job assigns
the map itself), so the generated labels show on the Job too, as `kubectl get job -o yaml`
shows them on a real cluster.
"""

from __future__ import annotations

from controlplane.models.constants import (
    CONTROLLER_UID_LABEL,
    JOB_NAME_LABEL,
    LEGACY_CONTROLLER_UID_LABEL,
    LEGACY_JOB_NAME_LABEL,
    Obj,
)


def generate_selector(job: Obj, uid: str) -> None:
    """generateSelectorIfNeeded, in place, on a defaulted Job."""
    spec = job.get("spec")
    if not isinstance(spec, dict) or spec.get("manualSelector") is True:
        return
    template = spec.get("template")
    if not isinstance(template, dict):
        return
    meta = job.get("metadata") or {}
    template_meta = template.setdefault("metadata", {})
    if not isinstance(template_meta, dict):
        return
    labels = template_meta.get("labels")
    shared = bool(labels) and meta.get("labels") == labels
    if not isinstance(labels, dict):
        labels = template_meta["labels"] = {}
    name = str(meta.get("name") or "")
    for key in (LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL):
        labels.setdefault(key, name)
    for key in (LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL):
        labels.setdefault(key, uid)
    selector = spec.get("selector")
    if not isinstance(selector, dict):
        selector = spec["selector"] = {}
    match_labels = selector.get("matchLabels")
    if not isinstance(match_labels, dict):
        match_labels = selector["matchLabels"] = {}
    match_labels.setdefault(CONTROLLER_UID_LABEL, uid)
    if shared:
        meta["labels"] = dict(labels)
