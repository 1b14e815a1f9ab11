"""Sets of field paths, the unit of ownership in server-side apply.

A set is kept as the trie that `fieldsV1` spells (sigs.k8s.io/structured-merge-diff,
fieldpath/set.go and serialize.go): a dict from path elements to the set below them, where
the element `.` marks the node itself as a member. Path elements are strings already in
fieldsV1's encoding, so a managedFields entry is decoded and encoded without parsing paths:

- `f:<name>` a field of a struct or a key of a map;
- `k:{"name":"nginx"}` an item of an associative list, by its key fields (sorted by name);
- `v:<json>` an item of a set (a list of scalars that merges as a set);
- `i:<n>` an item of a list by index (lists with no keys, when they are not atomic).

Internally every member carries its `.`; `to_fields_v1` writes a member with no children as
`{}`, as upstream does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

Set = dict[str, "Set"]
SELF = "."
_RANK = {"f": 0, "k": 1, "v": 2, "i": 3}


def member() -> Set:
    return {SELF: {}}


def field(name: str) -> str:
    return f"f:{name}"


def key(fields: dict[str, Any]) -> str:
    """`k:` element: the key fields in name order, as compact JSON."""
    items = tuple((name, v, type(v)) for name, v in sorted(fields.items()))
    try:
        return _key(items)
    except TypeError:  # a key field that is not a scalar
        return "k:" + json.dumps(dict(sorted(fields.items())), separators=(",", ":"))


@lru_cache(maxsize=4096)
def _key(items: tuple[tuple[str, Any, type], ...]) -> str:
    """Pods of one owner share their keys (container names, ports, the owner's uid); the
    type is part of the cache key, as `True == 1` in Python."""
    return "k:" + json.dumps({name: v for name, v, _ in items}, separators=(",", ":"))


def value(item: Any) -> str:
    return "v:" + json.dumps(item, separators=(",", ":"))


def union(a: Set, b: Set) -> Set:
    if not b:
        return a
    if not a:
        return b
    out = dict(a)
    for element, below in b.items():
        mine = out.get(element)
        out[element] = below if mine is None else union(mine, below)
    return out


def difference(a: Set, b: Set) -> Set:
    """The members of `a` that are not members of `b`."""
    if not b or not a:
        return a
    out: Set = {}
    for element, below in a.items():
        theirs = b.get(element)
        if theirs is None:
            out[element] = below
        elif element != SELF:
            rest = difference(below, theirs)
            if rest:
                out[element] = rest
    return out


def intersection(a: Set, b: Set) -> Set:
    if not a or not b:
        return {}
    out: Set = {}
    for element, below in a.items():
        theirs = b.get(element)
        if theirs is None:
            continue
        if element == SELF:
            out[SELF] = {}
        else:
            both = intersection(below, theirs)
            if both:
                out[element] = both
    return out


def has(s: Set, path: tuple[str, ...]) -> bool:
    """Is `path` a member of `s`?"""
    node = s
    for element in path:
        found = node.get(element)
        if found is None:
            return False
        node = found
    return SELF in node


def members(s: Set, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every member path, in fieldsV1 order."""
    if SELF in s:
        yield prefix
    for element in _ordered(s):
        yield from members(s[element], (*prefix, element))


def path_string(path: tuple[str, ...]) -> str:
    """fieldpath.Path.String(): `.spec.template.spec.containers[name="nginx"].image`."""
    out = []
    for element in path:
        kind, text = element[0], element[2:]
        if kind == "f":
            out.append(f".{text}")
        elif kind == "k":
            fields = json.loads(text)
            out.append(
                "["
                + ",".join(f"{k}={json.dumps(v, separators=(',', ':'))}" for k, v in fields.items())
                + "]"
            )
        elif kind == "v":
            out.append(f"[={text}]")
        else:
            out.append(f"[{text}]")
    return "".join(out)


def _ordered(s: Set) -> list[str]:
    """PathElement.Compare's order: fields, then keys, values, indexes; by name within.

    One node holds elements of one kind (a struct's fields, a list's items), where plain
    string order is that order, except for indexes, which sort as numbers.
    """
    elements = sorted(s)
    if elements and elements[0] == SELF:  # `.` sorts before every element's letter
        del elements[0]
    if elements and elements[0][0] == "i":
        elements.sort(key=lambda e: (_RANK.get(e[0], 4), int(e[2:]) if e[0] == "i" else 0, e))
    return elements


class _Recent:
    """The last few results of a translation between sets and `fieldsV1`, under each path
    element: the kubelet's status writes of 10,000 pods encode equal sets of conditions and
    container statuses, and a ReplicaSet's pods carry equal sets of their spec in their
    creator's entry, which each status write decodes. Both sides hold strings and dicts
    (anything else in `fieldsV1` reads as nothing), so equal inputs give equal results, and
    neither sets (typed.py) nor managedFields entries are changed in place once built: a
    result is shared by every input equal to the one it was made from. Bounded, as the
    informer's shared parts are (transform.py)."""

    PER_ELEMENT = 4
    MOST_ELEMENTS = 1024

    def __init__(self) -> None:
        self._by_element: dict[str, list[tuple[Any, Any]]] = {}

    def find(self, element: str, given: Any) -> Any:
        """The result for an input equal to `given` under `element`, or None."""
        for seen, result in self._by_element.get(element, ()):
            if seen is given or seen == given:
                return result
        return None

    def keep(self, element: str, given: Any, result: Any) -> None:
        recent = self._by_element.get(element)
        if recent is None:
            if len(self._by_element) >= self.MOST_ELEMENTS:
                self._by_element.clear()
            recent = self._by_element[element] = []
        elif len(recent) >= self.PER_ELEMENT:
            recent.pop()
        recent.insert(0, (given, result))


_ENCODED = _Recent()
_DECODED = _Recent()


def to_fields_v1(s: Set, element: str = "") -> dict[str, Any]:
    """The `fieldsV1` JSON of a set (Set.ToJSON): `.` first, a childless member as `{}`.
    The result is shared with equal sets' under the same `element`: never change it."""
    found: dict[str, Any] | None = _ENCODED.find(element, s)
    if found is not None:
        return found
    out: dict[str, Any] = {}
    if SELF in s:
        if len(s) == 1:
            return out
        out[SELF] = {}
    for child in _ordered(s):
        below = s[child]
        out[child] = {} if len(below) == 1 and SELF in below else to_fields_v1(below, child)
    _ENCODED.keep(element, s, out)
    return out


def from_fields_v1(data: Any, element: str = "") -> Set:
    """The set a `fieldsV1` value spells (readIterV1); anything but an object is empty.
    The set is shared with equal values' under the same `element`, as sets are."""
    if not isinstance(data, dict):
        return {}
    if not data:
        return member()
    found: Set | None = _DECODED.find(element, data)
    if found is not None:
        return found
    out: Set = {}
    for child, below in data.items():
        out[child] = {} if child == SELF else from_fields_v1(below, child)
    _DECODED.keep(element, data, out)
    return out
