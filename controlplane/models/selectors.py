"""Label selectors: LabelSelector dicts and kubectl's string grammar, sharing one matcher.

Two spellings of the same idea reach the control plane. Workload specs carry a LabelSelector
(`matchLabels` plus `matchExpressions`); `mkctl get -l` carries kubectl's string grammar
(`app=web,tier in (fe,be),!canary`, parsed by `selector_parser`). Both become a `Selector` of
`Requirement`s, so there is one definition of "matches". Requirements and their messages are
ported from apimachinery `pkg/labels/selector.go`; the LabelSelector conversion and
`<none>`/`<error>` rendering from `pkg/apis/meta/v1/helpers.go` (LabelSelectorAsSelector,
FormatLabelSelector). The string checks for label keys and values are in `identifiers`.

Stdlib only and pure: `matches` is on the controllers' hot path and never builds objects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from controlplane.models.identifiers import label_key_errors, label_value_errors


class Operator(StrEnum):
    """selection.Operator: the exact strings apimachinery uses (and prints in messages)."""

    DOES_NOT_EXIST = "!"
    EQUALS = "="
    DOUBLE_EQUALS = "=="
    IN = "in"
    NOT_EQUALS = "!="
    NOT_IN = "notin"
    EXISTS = "exists"
    GREATER_THAN = "gt"
    LESS_THAN = "lt"


BINARY_OPERATORS = ("in", "notin", "=", "==", "!=", "gt", "lt")
_LABEL_SELECTOR_OPS = {
    "In": Operator.IN,
    "NotIn": Operator.NOT_IN,
    "Exists": Operator.EXISTS,
    "DoesNotExist": Operator.DOES_NOT_EXIST,
}
_INT64 = re.compile(r"[+-]?[0-9]+")


class SelectorError(ValueError):
    """A selector that apimachinery would reject; the text is apimachinery's."""


def _quote(value: Any) -> str:
    """A field error's bad value: strings quoted, lists as JSON (field/errors.go)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def field_error(path: str, value: Any, detail: str) -> str:
    return f"{path}: Invalid value: {_quote(value)}: {detail}"


def _aggregate(errors: list[str]) -> str:
    """utilerrors aggregate: one error alone, several as `[a, b]` (duplicates dropped)."""
    unique = list(dict.fromkeys(errors))
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"


@dataclass(frozen=True)
class Requirement:
    key: str
    operator: Operator
    values: tuple[str, ...] = ()

    @classmethod
    def new(cls, key: str, operator: Operator, values: list[str]) -> Requirement:
        """NewRequirement, with its checks; paths as with a nil field path (`key`, `values`)."""
        errs = []
        if key_errs := label_key_errors(key):
            errs.append(field_error("key", key, "; ".join(key_errs)))
        if operator in (Operator.IN, Operator.NOT_IN):
            if not values:
                errs.append(
                    field_error(
                        "values", values, "for 'in', 'notin' operators, values set can't be empty"
                    )
                )
        elif operator in (Operator.EQUALS, Operator.DOUBLE_EQUALS, Operator.NOT_EQUALS):
            if len(values) != 1:
                errs.append(
                    field_error(
                        "values", values, "exact-match compatibility requires one single value"
                    )
                )
        elif operator in (Operator.EXISTS, Operator.DOES_NOT_EXIST):
            if values:
                errs.append(
                    field_error(
                        "values", values, "values set must be empty for exists and does not exist"
                    )
                )
        else:  # GREATER_THAN, LESS_THAN
            if len(values) != 1:
                errs.append(
                    field_error(
                        "values", values, "for 'Gt', 'Lt' operators, exactly one value is required"
                    )
                )
            for i, v in enumerate(values):
                if not _INT64.fullmatch(v):
                    errs.append(
                        field_error(
                            f"values[{i}]",
                            v,
                            "for 'Gt', 'Lt' operators, the value must be an integer",
                        )
                    )
        for i, v in enumerate(values):
            if msgs := label_value_errors(v):
                errs.append(field_error(f"values[{i}][{key}]", v, "; ".join(msgs)))
        if errs:
            raise SelectorError(_aggregate(errs))
        return cls(key, operator, tuple(values))

    def matches(self, labels: Mapping[str, str]) -> bool:
        op, present = self.operator, self.key in labels
        if op in (Operator.IN, Operator.EQUALS, Operator.DOUBLE_EQUALS):
            return present and labels[self.key] in self.values
        if op in (Operator.NOT_IN, Operator.NOT_EQUALS):
            return not present or labels[self.key] not in self.values
        if op == Operator.EXISTS:
            return present
        if op == Operator.DOES_NOT_EXIST:
            return not present
        # Gt / Lt: both sides must be integers.
        if not present or len(self.values) != 1:
            return False
        have, want = labels[self.key], self.values[0]
        if not (_INT64.fullmatch(have) and _INT64.fullmatch(want)):
            return False
        if op == Operator.GREATER_THAN:
            return int(have) > int(want)
        return int(have) < int(want)

    def __str__(self) -> str:
        op = self.operator
        if op == Operator.EXISTS:
            return self.key
        if op == Operator.DOES_NOT_EXIST:
            return "!" + self.key
        values = ",".join(sorted(self.values))
        if op in (Operator.IN, Operator.NOT_IN):
            return f"{self.key} {op.value} ({values})"
        symbol = {Operator.GREATER_THAN: ">", Operator.LESS_THAN: "<"}.get(op, op.value)
        return f"{self.key}{symbol}{values}"


@dataclass(frozen=True)
class Selector:
    """ANDed requirements, sorted by key. `nothing` is the nil selector: it matches nothing."""

    requirements: tuple[Requirement, ...] = ()
    nothing: bool = False

    def matches(self, labels: Mapping[str, str]) -> bool:
        if self.nothing:
            return False
        return all(r.matches(labels) for r in self.requirements)

    def empty(self) -> bool:
        """True when the selector does not restrict anything (the nil selector is not empty)."""
        return not self.nothing and not self.requirements

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)


EVERYTHING = Selector()
NOTHING = Selector(nothing=True)


def selector_of(requirements: list[Requirement]) -> Selector:
    return Selector(tuple(sorted(requirements, key=lambda r: r.key)))


# --- LabelSelector dicts ---


def matches(selector: Mapping[str, Any] | None, labels: Mapping[str, str]) -> bool:
    """Whether a LabelSelector matches a label set: None matches nothing, {} everything.

    A selector that LabelSelectorAsSelector would reject (unknown operator) matches nothing.
    """
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or ():
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or ()
        if op == "In":
            if key not in labels or labels[key] not in values:
                return False
        elif op == "NotIn":
            if key in labels and labels[key] in values:
                return False
        elif op == "Exists":
            if key not in labels:
                return False
        elif op == "DoesNotExist":
            if key in labels:
                return False
        else:
            return False
    return True


def from_label_selector(selector: Mapping[str, Any] | None) -> Selector:
    """LabelSelectorAsSelector: None -> nothing, {} -> everything; SelectorError if invalid."""
    if selector is None:
        return NOTHING
    match_labels = selector.get("matchLabels") or {}
    expressions = selector.get("matchExpressions") or []
    if not match_labels and not expressions:
        return EVERYTHING
    reqs = [Requirement.new(k, Operator.EQUALS, [v]) for k, v in match_labels.items()]
    for expr in expressions:
        op = _LABEL_SELECTOR_OPS.get(expr.get("operator", ""))
        if op is None:
            raise SelectorError(
                f"{_quote(expr.get('operator', ''))} is not a valid label selector operator"
            )
        reqs.append(Requirement.new(expr.get("key", ""), op, list(expr.get("values") or [])))
    return selector_of(reqs)


def to_string(selector: Mapping[str, Any] | None) -> str:
    """FormatLabelSelector: `app=web,env in (dev,prod)`; `<none>` if empty, `<error>` if invalid."""
    try:
        text = str(from_label_selector(selector))
    except SelectorError:
        return "<error>"
    return text or "<none>"


def labels_to_string(labels: Mapping[str, str] | None) -> str:
    """FormatLabels: sorted `k=v` joined by `,`; `<none>` when empty."""
    labels = labels or {}
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels)) or "<none>"
