"""Field sets of objects, and the comparison and merge that server-side apply is made of.

The walks of sigs.k8s.io/structured-merge-diff's typed package, over plain dicts and the
shapes of `shape.py`:

- `field_set` (typed/tofieldset.go): the fields an applied configuration sets;
- `compare` (typed/compare.go): the fields added, modified and removed between two objects;
- `merge` (typed/merge.go): an applied configuration merged into the live object;
- `remove` (typed/remove.go): an object without some fields (what an applier stopped owning).

A subtree equal on both sides is skipped by one `==`, so comparing two versions of a pod
costs in proportion to what changed. The sets these return are shared (a created object's
fields are remembered, below) and never changed in place: every set operation builds anew.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from controlplane.api.managedfields import fieldpath
from controlplane.api.managedfields.fieldpath import SELF, Set
from controlplane.api.managedfields.shape import ATOMIC, MAP, Shape

MISSING: Any = object()
# The sets of the top-level fields of created objects (but metadata, which names each one),
# by shape and JSON text: the pods of one ReplicaSet carry its template's spec, and walked
# it 10,000 times for the same set. The JSON text, not `==`, tells values apart, as
# `1 == 1.0 == True` in Python but not in a set's `v:` and `k:` elements. Bounded: cleared
# when full.
MOST_REMEMBERED = 256
_REMEMBERED: dict[tuple[Shape, str], Set | None] = {}


def _is_leaf(value: Any, shape: Shape) -> bool:
    if isinstance(value, dict):
        return shape.map_form == ATOMIC
    if isinstance(value, list):
        return shape.list_form == ATOMIC
    return True


def field_set(value: Any, shape: Shape) -> Set:
    """ToFieldSet: every leaf, every list item and every empty or null field of `value`."""
    if isinstance(value, dict) and shape.map_form != ATOMIC:
        out: Set = {}
        declared = shape.declares_fields()
        for name, child in value.items():
            child_shape = shape.field(name)
            below = field_set(child, child_shape)
            if child is None or child == {} or not declared:
                below = {**below, SELF: {}}
            if below:
                out[fieldpath.field(name)] = below
        return out
    if isinstance(value, list) and shape.list_form != ATOMIC:
        item_shape = shape.item()
        out = {}
        for item in value:
            out[shape.item_element(item)] = {**field_set(item, item_shape), SELF: {}}
        return out
    return fieldpath.member()


@dataclass
class Comparison:
    added: Set = field(default_factory=dict)
    modified: Set = field(default_factory=dict)
    removed: Set = field(default_factory=dict)

    def empty(self) -> bool:
        return not (self.added or self.modified or self.removed)

    def changed(self) -> Set:
        """Modified and added: what another manager loses (or conflicts on)."""
        return fieldpath.union(self.modified, self.added)


def compare(lhs: Any, rhs: Any, shape: Shape) -> Comparison:
    """What changed from `lhs` to `rhs` (MISSING where a side is absent).

    A struct that appears or goes is not itself a member, only what it holds: upstream
    compares against the Go zero value of the kind, where every struct is already present
    (so `f:spec` never carries `.`), while maps, lists and list items appear and go.
    """
    if lhs is MISSING:
        return Comparison(added=_whole(rhs, shape, item=False, remember=True) or {})
    if rhs is MISSING:
        return Comparison(removed=_whole(lhs, shape, item=False) or {})
    added, modified, removed = _compare(lhs, rhs, shape, item=False)
    return Comparison(added or {}, modified or {}, removed or {})


def _walkable(value: Any, shape: Shape) -> bool:
    return isinstance(value, dict | list) and not _is_leaf(value, shape)


def _container(value: Any, shape: Shape) -> bool:
    return bool(value) and _walkable(value, shape)


def _whole(value: Any, shape: Shape, *, item: bool, remember: bool = False) -> Set | None:
    """Everything at and below a node that is on one side only (added or removed); with
    `remember`, the sets of its fields but metadata come from `_REMEMBERED` when seen."""
    if not _container(value, shape):
        return {SELF: {}}
    out: Set = {}
    if isinstance(value, dict):
        for name, child in value.items():
            if not isinstance(child, dict | list):
                out["f:" + name] = {SELF: {}}
                continue
            if remember and name != "metadata":
                below = _remembered_whole(child, shape.field(name))
            else:
                below = _whole(child, shape.field(name), item=False)
            if below and len(below) > 1 and isinstance(child, list) and name in shape.required:
                # a required list is null in the zero value, not absent
                below = {element: b for element, b in below.items() if element != SELF}
            if below:
                out["f:" + name] = below
        if shape.map_form != MAP and not item:
            return out or None
    else:
        item_shape = shape.item()
        for child in value:
            out[shape.item_element(child)] = _whole(child, item_shape, item=True) or {}
    out[SELF] = {}
    return out


def _remembered_whole(value: Any, shape: Shape) -> Set | None:
    """`_whole` of a field, the same set for the same JSON text."""
    text = json.dumps(value, separators=(",", ":"))
    key = (shape, text)
    if key in _REMEMBERED:
        return _REMEMBERED[key]
    if len(_REMEMBERED) >= MOST_REMEMBERED:
        _REMEMBERED.clear()
    found = _REMEMBERED[key] = _whole(value, shape, item=False)
    return found


Diff = tuple[Set | None, Set | None, Set | None]
Element = tuple[str, Diff]  # a child's path element (`f:name`, `k:{...}`, `v:...`) and its diff
_SAME: Diff = (None, None, None)
_MODIFIED: Diff = (None, {SELF: {}}, None)


def _compare(lhs: Any, rhs: Any, shape: Shape, *, item: bool) -> Diff:
    """Added, modified and removed at and below a node present on both sides."""
    if lhs == rhs:
        return _SAME
    if not _walkable(rhs, shape) or not (lhs is None or _walkable(lhs, shape)):
        return _MODIFIED
    if (lhs is not None and type(lhs) is not type(rhs)) or not (lhs or rhs):
        return _MODIFIED  # both empty: compared as leaves
    if isinstance(rhs, dict):
        return _gathered(_field_diffs(lhs or {}, rhs, shape))
    return _gathered(_item_diffs(lhs or (), rhs, shape))


def _field_diffs(lhs: dict[str, Any], rhs: dict[str, Any], shape: Shape) -> Iterator[Element]:
    """The diff below each field of a struct or map (`f:name`)."""
    for name, b in rhs.items():
        a = lhs.get(name, MISSING)
        if a is MISSING and name in shape.required:
            a = None  # a required list is null in the zero value (PodSpec.containers)
        if a is MISSING:
            yield "f:" + name, (_whole(b, shape.field(name), item=False), None, None)
        else:
            yield "f:" + name, _compare(a, b, shape.field(name), item=False)
    for name, a in lhs.items():
        if name not in rhs:
            yield "f:" + name, (None, None, _whole(a, shape.field(name), item=False))


def _item_diffs(lhs: Iterable[Any], rhs: Iterable[Any], shape: Shape) -> Iterator[Element]:
    """The diff below each item of an associative list or set, by its key; an item added
    or removed is a member even with nothing below it."""
    item_shape = shape.item()
    before = {shape.item_element(child): child for child in lhs}
    after = {shape.item_element(child): child for child in rhs}
    for element, b in after.items():
        a = before.get(element, MISSING)
        if a is MISSING:
            yield element, (_whole(b, item_shape, item=True) or {}, None, None)
        else:
            yield element, _compare(a, b, item_shape, item=True)
    for element, a in before.items():
        if element not in after:
            yield element, (None, None, _whole(a, item_shape, item=True) or {})


def _gathered(elements: Iterable[Element]) -> Diff:
    """The children's diffs, each under its path element; None where no child has any."""
    added: Set | None = None
    modified: Set | None = None
    removed: Set | None = None
    for element, (sub_added, sub_modified, sub_removed) in elements:
        if sub_added is not None:
            added = added or {}
            added[element] = sub_added
        if sub_modified is not None:
            modified = modified or {}
            modified[element] = sub_modified
        if sub_removed is not None:
            removed = removed or {}
            removed[element] = sub_removed
    return added, modified, removed


def merge(live: Any, config: Any, shape: Shape) -> Any:
    """`config` merged into `live`: structs and maps field by field, associative lists and
    sets item by item (live order, config-only items before the next shared one), anything
    atomic replaced."""
    if live is MISSING or live is None or config is None:
        return config
    if isinstance(config, dict) and isinstance(live, dict) and shape.map_form != ATOMIC:
        out = dict(live)
        for name, value in config.items():
            out[name] = merge(live.get(name, MISSING), value, shape.field(name))
        return out
    if isinstance(config, list) and isinstance(live, list) and shape.list_form != ATOMIC:
        return _merge_list(live, config, shape)
    return config


def _merge_list(live: list[Any], config: list[Any], shape: Shape) -> list[Any]:
    item_shape = shape.item()
    wanted = {shape.item_element(item): item for item in config}
    pending = list(wanted)
    out: list[Any] = []
    for item in live:
        element = shape.item_element(item)
        if element not in wanted:
            out.append(item)
            continue
        while pending:
            first = pending.pop(0)
            mine = item if first == element else MISSING
            out.append(merge(mine, wanted[first], item_shape))
            if first == element:
                break
    out.extend(wanted[element] for element in pending)
    return out


def remove(value: Any, fields: Set, shape: Shape) -> Any:
    """`value` without the members of `fields` (a member's whole subtree goes)."""
    if not fields:
        return value
    if isinstance(value, dict) and shape.map_form != ATOMIC:
        out = {}
        for name, child in value.items():
            below = fields.get(fieldpath.field(name))
            if below is None:
                out[name] = child
            elif SELF not in below:
                out[name] = remove(child, below, shape.field(name))
        return out
    if isinstance(value, list) and shape.list_form != ATOMIC:
        item_shape = shape.item()
        kept = []
        for item in value:
            below = fields.get(shape.item_element(item))
            if below is None:
                kept.append(item)
            elif SELF not in below:
                kept.append(remove(item, below, item_shape))
        return kept
    return value
