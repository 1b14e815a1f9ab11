"""Template hashes and revision numbers shared by every controller that keeps history.

The pod-template-hash names a Deployment's ReplicaSets (`nginx-7c5ddbdf54`) and later the
ControllerRevisions of StatefulSets and DaemonSets. Kubernetes hashes the Go struct with a
deep printer that Python cannot reproduce, so mkctl simulates it: 32-bit FNV-1a over
canonical JSON, then the same digit-to-alphabet encoding as upstream (`controller.ComputeHash`
in pkg/controller/controller_utils.go + `rand.SafeEncodeString` in
staging/src/k8s.io/apimachinery/pkg/util/rand/rand.go), so hashes look real and are stable
across processes (never Python's `hash()`).

Revision numbers live in the `deployment.kubernetes.io/revision` annotation; "which RS is the
new one" is decided by comparing templates without the hash label, never by re-hashing.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from typing import Any

from controlplane.ids import SAFE_ALPHABET
from controlplane.models.constants import POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION, Obj
from controlplane.models.meta import annotations_of

FNV32_OFFSET_BASIS = 0x811C9DC5
FNV32_PRIME = 0x01000193


def fnv1a_32(data: bytes) -> int:
    """32-bit FNV-1a, as Go's `hash/fnv.New32a`: xor the byte in, then multiply."""
    value = FNV32_OFFSET_BASIS
    for byte in data:
        value ^= byte
        value = (value * FNV32_PRIME) & 0xFFFFFFFF
    return value


def safe_encode_string(text: str) -> str:
    """apimachinery `rand.SafeEncodeString`: each character c becomes alphabet[ord(c) % 27].

    Applied to a decimal number this maps the digits 0-9 to `4 5 6 7 8 9 b c d f`, so that
    1234567890 becomes `56789bcdf4`: no vowels, so no accidental words in object names.
    """
    return "".join(SAFE_ALPHABET[ord(c) % len(SAFE_ALPHABET)] for c in text)


def canonical_json(obj: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the same bytes in every process and Python version."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(template: Obj, collision_count: int | None = None) -> str:
    """The pod-template-hash of a template (upstream `controller.ComputeHash`).

    A non-nil collisionCount feeds 8 more bytes (the count as little-endian uint32, then 4
    zero bytes), so bumping it after a name clash yields a different name.
    """
    data = canonical_json(template)
    if collision_count is not None:
        data += (collision_count & 0xFFFFFFFF).to_bytes(4, "little") + bytes(4)
    return safe_encode_string(str(fnv1a_32(data)))


def revision_of(obj: Obj) -> int:
    """The revision annotation as an int; 0 when missing or not a number.

    Upstream returns a parse error that its callers skip (MaxRevision), which amounts to 0.
    """
    value = annotations_of(obj).get(REVISION_ANNOTATION)
    if value is None:
        return 0
    try:
        return int(value)
    except ValueError:
        return 0


def max_revision(objs: Iterable[Obj]) -> int:
    """The highest revision among the objects (0 for none), as `deploymentutil.MaxRevision`."""
    return max((revision_of(obj) for obj in objs), default=0)


def last_revision(objs: Iterable[Obj]) -> int:
    """The second-highest revision (0 if none), as `deploymentutil.LastRevision`: undo's target."""
    highest = second = 0
    for obj in objs:
        value = revision_of(obj)
        if value >= highest:
            highest, second = value, highest
        elif value > second:
            second = value
    return second


def template_without_hash(template: Obj) -> Obj:
    """A deep copy of a pod template without the pod-template-hash label.

    This is what `rollout undo` writes back into a Deployment (kubectl deletes the label);
    an emptied labels map is dropped, as Go's omitempty would.
    """
    result = copy.deepcopy(template)
    metadata = result.get("metadata")
    if isinstance(metadata, dict):
        labels = metadata.get("labels")
        if isinstance(labels, dict):
            labels.pop(POD_TEMPLATE_HASH_LABEL, None)
            if not labels:
                del metadata["labels"]
    return result


def _semantic(value: Any) -> Any:
    """Drop None and empty maps/lists, which Kubernetes' semantic equality treats as unset."""
    if isinstance(value, dict):
        pruned = {k: _semantic(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v is not None and v != {} and v != []}
    if isinstance(value, list):
        return [_semantic(v) for v in value]
    return value


def templates_equal_ignoring_hash(a: Obj | None, b: Obj | None) -> bool:
    """`deploymentutil.EqualIgnoreHash`: equal pod templates once the hash label is removed.

    Used to find a Deployment's new ReplicaSet and by `rollout undo` to skip a no-op rollback.
    """
    equal: bool = _semantic(template_without_hash(a or {})) == _semantic(
        template_without_hash(b or {})
    )
    return equal
