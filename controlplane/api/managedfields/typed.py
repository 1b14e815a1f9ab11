"""Field sets of objects, and the comparison and merge that server-side apply is made of.

The walks of sigs.k8s.io/structured-merge-diff's typed package, over plain dicts and the
shapes of `shape.py`:

- `field_set` (typed/tofieldset.go): the fields an applied configuration sets;
- `compare` (typed/compare.go): the fields added, modified and removed between two objects;
- `merge` (typed/merge.go): an applied configuration merged into the live object;
- `remove` (typed/remove.go): an object without some fields (what an applier stopped owning).

A subtree equal on both sides is skipped by one `==`, so comparing two versions of a pod
costs in proportion to what changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from controlplane.api.managedfields import fieldpath
from controlplane.api.managedfields.fieldpath import SELF, Set
from controlplane.api.managedfields.shape import ATOMIC, MAP, Shape

MISSING: Any = object()


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
    result = Comparison()
    _compare(lhs, rhs, shape, result.added, result.modified, result.removed, item=False)
    return result


def _compare(
    lhs: Any, rhs: Any, shape: Shape, added: Set, modified: Set, removed: Set, *, item: bool
) -> None:
    """Fill the three tries for the node both values sit at (callers make the node)."""
    if lhs is not MISSING and rhs is not MISSING and lhs == rhs:
        return
    value = rhs if rhs is not MISSING else lhs
    other = lhs if rhs is not MISSING else rhs
    container = isinstance(value, dict | list) and not _is_leaf(value, shape)
    if container and other not in (MISSING, None) and type(other) is not type(value):
        container = False
    if container and not value and other in (MISSING, None, {}, []):
        container = False  # both empty: compared as leaves
    if not container:
        if lhs is MISSING:
            added[SELF] = {}
        elif rhs is MISSING:
            removed[SELF] = {}
        else:
            modified[SELF] = {}
        return
    left = _children(lhs, shape)
    right = _children(rhs, shape)
    in_list = isinstance(value, list)
    for element in {**left, **right}:
        a, child_shape = left.get(element) or right[element]
        b = right[element][0] if element in right else MISSING
        if element not in left:
            # a required list is null in the zero value (PodSpec.containers), not absent
            a = None if isinstance(value, dict) and element[2:] in shape.required else MISSING
        sub_a: Set = {}
        sub_m: Set = {}
        sub_r: Set = {}
        _compare(a, b, child_shape, sub_a, sub_m, sub_r, item=in_list)
        for trie, sub in ((added, sub_a), (modified, sub_m), (removed, sub_r)):
            if sub:
                trie[element] = sub
    if isinstance(value, dict) and shape.map_form != MAP and not item:
        return
    if lhs is MISSING:
        added[SELF] = {}
    elif rhs is MISSING:
        removed[SELF] = {}


def _children(value: Any, shape: Shape) -> dict[str, tuple[Any, Shape]]:
    """Path element -> (child value, child shape) of a struct, map or non-atomic list."""
    if isinstance(value, dict):
        return {fieldpath.field(name): (child, shape.field(name)) for name, child in value.items()}
    if isinstance(value, list):
        item_shape = shape.item()
        return {shape.item_element(item): (item, item_shape) for item in value}
    return {}


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
