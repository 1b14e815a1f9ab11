"""ControllerRevisions: the snapshots StatefulSets and DaemonSets keep of their pod template.

A Deployment remembers old templates in old ReplicaSets; StatefulSets and DaemonSets own their
pods directly, so they remember them in ControllerRevision objects instead
(pkg/controller/history/controller_history.go). A revision's `data` is a strategic merge
patch that puts the template back:

    {"spec": {"template": {"$patch": "replace", "metadata": {...}, "spec": {...}}}}

which is also exactly what `kubectl rollout undo` sends. Ported from
pkg/controller/history/controller_history.go (HashControllerRevision, ControllerRevisionName,
NewControllerRevision, EqualRevision, FindEqualRevisions, SortControllerRevisions) and the
getPatch / ApplyRevision / nextRevision helpers of the statefulset and daemon packages.
Pure functions over dicts, shared by the controllers and by `rollout history|undo`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from controlplane.models.constants import Obj
from controlplane.models.meta import name_of, owned_metadata
from controlplane.models.revisions import (
    FNV32_OFFSET_BASIS,
    FNV32_PRIME,
    canonical_json,
    safe_encode_string,
)

PATCH_DIRECTIVE = "$patch"
MAX_NAME_PREFIX = 223  # ControllerRevisionName: 253 minus room for the hash


def revision_data(obj: Obj) -> Obj:
    """getPatch: the patch that restores `obj`'s pod template.

    Go builds it by JSON-encoding the object (a pod template's `creationTimestamp` is a
    struct, so it is written as null) and keeping `spec.template` plus the directive; its
    encoder sorts map keys, which `canonical_json` reproduces when the data is hashed.
    """
    template = copy.deepcopy((obj.get("spec") or {}).get("template") or {})
    metadata = template.get("metadata")
    template["metadata"] = dict(metadata) if isinstance(metadata, dict) else {}
    template["metadata"]["creationTimestamp"] = None
    return {"spec": {"template": {PATCH_DIRECTIVE: "replace", **template}}}


def _without_nulls(value: Any) -> Any:
    """What a `$patch: replace` leaves of its body: the directive and null fields dropped."""
    if isinstance(value, dict):
        return {
            k: _without_nulls(v) for k, v in value.items() if v is not None and k != PATCH_DIRECTIVE
        }
    return value


def revision_template(revision: Obj) -> Obj:
    """The pod template a revision restores (its data applied to any template)."""
    data = revision.get("data") or {}
    template: Obj = _without_nulls(((data.get("spec") or {}).get("template")) or {})
    return template


def apply_revision(obj: Obj, revision: Obj) -> Obj:
    """ApplyRevision: a copy of `obj` whose pod template is the revision's.

    The strategic merge of `{"spec": {"template": {"$patch": "replace", ...}}}` replaces the
    whole template and leaves every other field alone, so no general patcher is needed here.
    """
    restored = copy.deepcopy(obj)
    restored["spec"]["template"] = revision_template(revision)
    return restored


def fnv1_32(data: bytes) -> int:
    """32-bit FNV-1, as Go's `hash/fnv.New32` (multiply, then xor: the order FNV-1a swaps)."""
    value = FNV32_OFFSET_BASIS
    for byte in data:
        value = (value * FNV32_PRIME) & 0xFFFFFFFF
        value ^= byte
    return value


def hash_revision(data: Obj, collision_count: int | None) -> str:
    """HashControllerRevision: FNV-1 over the data, then the collision count in decimal.

    StatefulSets always pass a count, so `"0"` is hashed in on the first try; the result is
    rendered with the same safe alphabet as a pod-template-hash (`7b4d5f6c9`).
    """
    payload = canonical_json(data)
    if collision_count is not None:
        payload += str(collision_count).encode()
    return safe_encode_string(str(fnv1_32(payload)))


def revision_name(prefix: str, hash_: str) -> str:
    """ControllerRevisionName: `<owner>-<hash>`, the owner's name cut to 223 characters."""
    return f"{prefix[:MAX_NAME_PREFIX]}-{hash_}"


def revision_number(revision: Obj) -> int:
    return int(revision.get("revision") or 0)


def sort_revisions(revisions: Iterable[Obj]) -> list[Obj]:
    """SortControllerRevisions: by revision, then creation time, then name."""
    return sorted(
        revisions,
        key=lambda r: (
            revision_number(r),
            str(r["metadata"].get("creationTimestamp") or ""),
            name_of(r),
        ),
    )


def next_revision(sorted_revisions: list[Obj]) -> int:
    """nextRevision: one more than the last (highest) revision, 1 for an empty history."""
    return revision_number(sorted_revisions[-1]) + 1 if sorted_revisions else 1


def max_revision(revisions: Iterable[Obj]) -> int:
    return max((revision_number(r) for r in revisions), default=0)


def equal_revision(left: Obj | None, right: Obj | None) -> bool:
    """EqualRevision: the same data.

    Upstream first compares the `controller.kubernetes.io/hash` labels when both parse as
    decimal integers; safe-encoded hashes never do, so the data decides, as it does there.
    """
    if left is None or right is None:
        return left is right
    equal: bool = left.get("data") == right.get("data")
    return equal


def find_equal_revisions(revisions: Iterable[Obj], needle: Obj) -> list[Obj]:
    return [r for r in revisions if equal_revision(r, needle)]


def new_controller_revision(
    owner: Obj,
    name: str,
    labels: Mapping[str, str],
    data: Obj,
    revision: int,
) -> Obj:
    """A ControllerRevision owned by `owner`, carrying the owner's annotations.

    Both controllers copy the owner's annotations onto the revision, which is how a
    `kubernetes.io/change-cause` reaches `rollout history`.
    """
    meta = owned_metadata(owner, labels, owner["metadata"].get("annotations"), name=name)
    return {
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": meta,
        "data": data,
        "revision": revision,
    }
