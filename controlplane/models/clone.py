"""A deep copy of a Kubernetes object, which is a JSON tree: dicts, lists and scalars.

`copy.deepcopy` handles any Python object graph (shared references, cycles, classes), and
pays for it with a memo dictionary and a dispatch per node: 177 us for one Pod here, against
68 us for this walk. The API server copies every object it is handed or stores, so the
difference was a tenth of the time to bring 2,000 pods up (bench/README.md).
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


def clone(tree: T) -> T:
    """A copy that shares nothing mutable with `tree` (strings and numbers are immutable)."""
    return _clone(tree)  # type: ignore[no-any-return]


def _clone(node: Any) -> Any:
    kind = type(node)
    if kind is dict:
        return {key: _clone(value) for key, value in node.items()}
    if kind is list:
        return [_clone(value) for value in node]
    return node
