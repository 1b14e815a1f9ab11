"""A StatefulSet's PersistentVolumeClaims: one per volumeClaimTemplate and ordinal
(pkg/controller/statefulset/stateful_set_utils.go getPersistentVolumeClaims,
getPersistentVolumeClaimName, updateStorage, and the retention policy's owner references:
isClaimOwnerUpToDate, updateClaimOwnerRefForSetAndPod, hasStaleOwnerRef).

The claims outlive the pods: `www-web-0` is made before pod `web-0`, named in its volumes,
and found again by every later `web-0`. What removes them is the garbage collector, through
the owner references the retention policy asks for:

  whenScaled  whenDeleted   the claim of a pod in range    of a pod scaled away
  Retain      Retain        none                           none
  Retain      Delete        controller ref to the set      controller ref to the set
  Delete      Retain        none                           controller ref to the pod
  Delete      Delete        controller ref to the set      controller ref to the pod

So with whenScaled Delete, scaling 3 -> 1 deletes web-2 and web-1 and then their claims; with
whenDeleted Delete, deleting the set deletes every claim.
"""

from __future__ import annotations

import copy
from typing import Any

from controlplane.models.constants import Kind, Obj
from controlplane.models.meta import name_of, namespace_of, new_controller_ref, uid_of
from controlplane.models.storage import claim_name

RETAIN, DELETE = "Retain", "Delete"


def templates_of(sts: Obj) -> list[Obj]:
    return [t for t in sts["spec"].get("volumeClaimTemplates") or [] if isinstance(t, dict)]


def claims_for(sts: Obj, ordinal: int) -> list[Obj]:
    """getPersistentVolumeClaims: each template as a claim of this ordinal, in the set's
    namespace, labelled with the set's selector's matchLabels."""
    match_labels = (sts["spec"].get("selector") or {}).get("matchLabels") or {}
    claims = []
    for template in templates_of(sts):
        claim = copy.deepcopy(template)
        claim["apiVersion"], claim["kind"] = "v1", Kind.PERSISTENT_VOLUME_CLAIM.value
        meta = claim.setdefault("metadata", {})
        meta["name"] = claim_name(str(meta.get("name") or ""), name_of(sts), ordinal)
        meta["namespace"] = namespace_of(sts)
        meta["labels"] = {**(meta.get("labels") or {}), **match_labels}
        claim.pop("status", None)
        claims.append(claim)
    return claims


def update_storage(sts: Obj, pod: Obj, ordinal: int) -> None:
    """updateStorage, in place: a volume per template naming its claim, then the template's
    other volumes (a template volume of the same name is replaced)."""
    claimed = {
        str(t.get("metadata", {}).get("name") or ""): claim_name(
            str(t.get("metadata", {}).get("name") or ""), name_of(sts), ordinal
        )
        for t in templates_of(sts)
    }
    if not claimed:
        return
    volumes = [
        {"name": volume, "persistentVolumeClaim": {"claimName": claim}}
        for volume, claim in claimed.items()
    ]
    current = pod["spec"].get("volumes") or []
    pod["spec"]["volumes"] = volumes + [v for v in current if v.get("name") not in claimed]


def retention_policy(sts: Obj) -> tuple[str, str]:
    """(whenScaled, whenDeleted); an unknown value counts as Retain, as upstream logs it."""
    policy = sts["spec"].get("persistentVolumeClaimRetentionPolicy") or {}
    return (
        DELETE if policy.get("whenScaled") == DELETE else RETAIN,
        DELETE if policy.get("whenDeleted") == DELETE else RETAIN,
    )


def _pod_ref(pod: Obj) -> dict[str, Any]:
    return new_controller_ref({**pod, "apiVersion": "v1", "kind": Kind.POD.value})


def wanted_owners(sts: Obj, pod: Obj | None, scaled_down: bool) -> list[dict[str, Any]]:
    """The references updateClaimOwnerRefForSetAndPod gives a claim (see the table above)."""
    when_scaled, when_deleted = retention_policy(sts)
    if scaled_down and when_scaled == DELETE:
        return [_pod_ref(pod)] if pod is not None else []
    return [new_controller_ref(sts)] if when_deleted == DELETE else []


def _ours(ref: dict[str, Any], sts: Obj, pod_name: str) -> bool:
    """matchesRef: a reference to this set or this pod, by kind and name (any uid)."""
    return (ref.get("kind"), ref.get("name")) in (
        (Kind.STATEFUL_SET.value, name_of(sts)),
        (Kind.POD.value, pod_name),
    )


def with_owners(claim: Obj, sts: Obj, pod: Obj, scaled_down: bool) -> Obj | None:
    """The claim with its references brought in line with the policy, or None when they
    already are. Another controller's claim is left alone (hasUnexpectedController), and so
    is one whose reference names an earlier set or pod of the same name (stale)."""
    refs = claim["metadata"].get("ownerReferences") or []
    pod_name = name_of(pod)
    if any(r.get("controller") and not _ours(r, sts, pod_name) for r in refs):
        return None
    if any(
        _ours(r, sts, pod_name) and r.get("uid") not in (uid_of(sts), uid_of(pod)) for r in refs
    ):
        return None
    kept = [r for r in refs if not _ours(r, sts, pod_name)]
    wanted = kept + wanted_owners(sts, pod, scaled_down)
    if wanted == refs:
        return None
    updated = copy.deepcopy(claim)
    if wanted:
        updated["metadata"]["ownerReferences"] = wanted
    else:
        updated["metadata"].pop("ownerReferences", None)
    return updated


def is_stale(claim: Obj, pod_name: str) -> bool:
    """PodClaimIsStale for a pod not created yet: the claim still names an earlier pod of
    this name as its owner (it is about to be garbage collected)."""
    return any(
        r.get("kind") == Kind.POD.value and r.get("name") == pod_name
        for r in claim["metadata"].get("ownerReferences") or []
    )
