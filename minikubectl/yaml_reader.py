"""YAML as kubectl reads it: go-yaml's limits, then sigs.k8s.io/yaml's conversion to JSON.

A manifest can be hostile: a billion-laughs alias bomb that expands to gigabytes, nesting
deep enough to blow the stack, NUL bytes, keys that are not strings, `.nan`. kubectl refuses
these before anything is sent, and so does mkctl, with the same words:

- aliases: go-yaml's `allowedAliasRatio` (decode.go): once more than 100 of over 1,000
  decoded nodes came from alias expansion, at most 99% of them may (scaling down to 10% for
  documents of 400,000 to 4,000,000 nodes), else "document contains excessive aliasing".
  Counted on the composed node graph, so the bomb is never expanded; a self-containing
  anchor is "anchor 'x' value contains itself".
- depth: go-yaml allows 10,000 levels; mkctl refuses more than 100 (real manifests stay
  under 20, and deeper ones would exhaust Python's recursion in later steps).
- characters: YAML allows no control characters ("control characters are not allowed").
- keys: sigs.k8s.io/yaml (convertToJSONableObject) turns ints, floats and booleans into
  strings, so `1: a` and `"1": a` are the same key, and a duplicate is an error.
- values: timestamps stay the strings they were written as (go-yaml into interface{}), and
  NaN or infinity cannot become JSON ("json: unsupported value: NaN").
"""

from __future__ import annotations

import json
import math
import re
import struct
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_DEPTH = 100
_MERGE = "tag:yaml.org,2002:merge"
_DISALLOWED = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SEPARATOR = re.compile(r"^---(?=\s|$)", re.MULTILINE)


class JsonError(Exception):
    """A value JSON cannot hold, at a field path: `json: unsupported value: NaN`."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def _allowed_alias_ratio(decoded: int) -> float:
    """go-yaml's allowedAliasRatio."""
    if decoded <= 400_000:
        return 0.99
    if decoded >= 4_000_000:
        return 0.10
    return 0.99 - 0.89 * (decoded - 400_000) / 3_600_000


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def check_limits(root: Node, text: str) -> None:
    """Depth, self-reference and alias expansion of one document, without expanding it.

    A depth-first walk in document order: the first visit of a node is its definition, any
    later one an alias. `size[n]` is how many nodes decoding `n` visits (go-yaml counts an
    alias node, then its target's nodes again), so the totals match go-yaml's counters.
    """
    if "&" not in text:  # no anchor, so no alias: only the depth of collections matters
        _check_depth(root)
        return
    size: dict[int, int] = {}
    decoded, aliased = 1, 0  # the document node
    stack: list[tuple[Node, Iterator[Node]]] = [(root, iter(_children(root)))]
    on_path = {id(root)}
    totals = [1]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            on_path.discard(id(node))
            size[id(node)] = totals.pop()
            if totals:
                totals[-1] += size[id(node)]
            continue
        if id(child) in on_path:
            raise ConstructorError(
                None,
                None,
                f"anchor '{_anchor(child, text)}' value contains itself",
                child.start_mark,
            )
        if id(child) in size:  # an alias: its target decodes once more
            decoded += 1 + size[id(child)]
            aliased += size[id(child)]
            totals[-1] += 1 + size[id(child)]
            if (
                aliased > 100
                and decoded > 1000
                and aliased / decoded > _allowed_alias_ratio(decoded)
            ):
                raise ConstructorError(
                    None, None, "document contains excessive aliasing", child.start_mark
                )
            continue
        decoded += 1
        if len(stack) >= MAX_DEPTH:
            raise ConstructorError(
                None, None, f"exceeded max depth of {MAX_DEPTH}", child.start_mark
            )
        stack.append((child, iter(_children(child))))
        on_path.add(id(child))
        totals.append(1)


def _check_depth(root: Node) -> None:
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        for child in _children(node):
            if isinstance(child, MappingNode | SequenceNode):
                if depth >= MAX_DEPTH:
                    problem = f"exceeded max depth of {MAX_DEPTH}"
                    raise ConstructorError(None, None, problem, child.start_mark)
                stack.append((child, depth + 1))


def _anchor(node: Node, text: str) -> str:
    """The anchor name written where `node` starts (`&x {...}`); nodes do not keep it."""
    found = re.match(r"&(\S+)", text[node.start_mark.index :])
    return found.group(1) if found else ""


def _go_float(value: float) -> str:
    """strconv.FormatFloat(value, 'g', -1, 32), with go-yaml's spellings of NaN and infinity."""
    if math.isnan(value) or math.isinf(value):
        return ".nan" if math.isnan(value) else ".inf" if value > 0 else "-.inf"
    single = struct.unpack("f", struct.pack("f", value))[0]
    for digits in range(1, 10):  # the shortest decimal that reads back as the same float32
        mantissa, _, exponent = f"{single:.{digits - 1}e}".partition("e")
        if struct.unpack("f", struct.pack("f", float(mantissa + "e" + exponent)))[0] == single:
            break
    exp = int(exponent)
    if exp < -4 or exp >= 6:
        return f"{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02}"
    return f"{float(mantissa + 'e' + exponent):f}".rstrip("0").rstrip(".")


def json_key(key: Any) -> str:
    """The JSON key sigs.k8s.io/yaml makes of a YAML key (bool before int: True is an int)."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int):
        return str(key)
    if isinstance(key, float):
        return _go_float(key)
    if key is None:
        raise ValueError("unsupported map key of type: <nil>")
    raise ValueError("invalid map key")  # a list or mapping as a key: go-yaml refuses it


class StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML (no Python tags) within go-yaml's limits; keys as JSON has them, once each."""

    text = ""

    def construct_document(self, node: Node) -> Any:
        check_limits(node, self.text)
        return super().construct_document(node)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[str, Any]:
        """Keys as JSON strings, so `1` and `true` never meet as Python's equal 1 and True;
        a key written twice is an error, one merged in (`<<: *base`) is overridden."""
        written = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE)
        self.flatten_mapping(node)
        mapping: dict[str, Any] = {}
        explicit: set[str] = set()
        for index, (key_node, value_node) in enumerate(node.value):
            try:
                name = json_key(self.construct_object(key_node, deep=deep))
            except (ValueError, TypeError) as exc:
                raise ConstructorError(None, None, str(exc), key_node.start_mark) from exc
            if index >= len(node.value) - written:  # merged pairs come first
                if name in explicit:
                    raise ConstructorError(
                        None, None, f'key "{name}" already set in map', key_node.start_mark
                    )
                explicit.add(name)
            mapping[name] = self.construct_object(value_node, deep=deep)
        return mapping


# go-yaml decodes a timestamp into interface{} as the string it was written as.
StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)


def yaml_to_python(text: str) -> Any:
    """One YAML document, strictly; ValueError `yaml: line N: <problem>` if it is malformed."""
    try:
        return yaml.load(text, Loader=StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}: " if mark else ""
        raise ValueError(f"yaml: {where}{exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"yaml: {exc}") from None


def to_json(value: Any) -> Any:
    """The document as JSON values: sets become maps, bytes text; NaN and infinity fail."""
    try:
        json.dumps(value, allow_nan=False)  # at C speed: nearly every document is JSON already
    except (ValueError, TypeError):
        return _to_json(value, "")
    return value


def _to_json(value: Any, path: str) -> Any:
    if isinstance(value, dict):
        return {k: _to_json(v, f"{path}.{k}".lstrip(".")) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_json(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, set):
        return {json_key(k): None for k in value}
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        spelled = "NaN" if math.isnan(value) else "+Inf" if value > 0 else "-Inf"
        raise JsonError(f"json: unsupported value: {spelled}", path)
    return value


def go_yaml_problem(problem: str, text: str, offset: int) -> str:
    """libyaml's words where go-yaml's differ: an undefined alias is named."""
    if problem == "found undefined alias":
        found = re.match(r"\*(\S+)", text[offset:])
        return f"unknown anchor '{found.group(1) if found else ''}' referenced"
    return problem


def disallowed_character(text: str) -> int | None:
    """Where the first character YAML does not allow is (NUL, other controls), or None."""
    found = _DISALLOWED.search(text)
    return found.start() if found else None


def position(text: str, offset: int) -> tuple[int, int]:
    """(line, document) of a character offset, both 1-based, documents split at `---`."""
    before = text[:offset]
    separators = [m.start() for m in _SEPARATOR.finditer(before)]
    preamble = before[: separators[0]] if separators else before
    leading = bool(separators) and all(
        not line.strip() or line.lstrip().startswith("#") for line in preamble.splitlines()
    )
    return before.count("\n") + 1, len(separators) + (0 if leading else 1)
