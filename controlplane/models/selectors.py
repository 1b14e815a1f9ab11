"""Label selectors: LabelSelector dicts and kubectl's string grammar, sharing one matcher.

Two spellings of the same idea reach the control plane. Workload specs carry a LabelSelector
(`matchLabels` plus `matchExpressions`); `mkctl get -l` carries kubectl's string grammar
(`app=web,tier in (fe,be),!canary`). Both become a `Selector` of `Requirement`s, so there is one
definition of "matches". The lexer, parser and every error message are ported from apimachinery
`pkg/labels/selector.go`; the LabelSelector conversion and `<none>`/`<error>` rendering from
`pkg/apis/meta/v1/helpers.go` (LabelSelectorAsSelector, FormatLabelSelector). The string checks
for label keys, label values and DNS names (with their exact messages) are ported from
apimachinery `pkg/util/validation/validation.go` and `pkg/api/validate/content/kube.go`.

Stdlib only and pure: `matches` is on the controllers' hot path and never builds objects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# --- String checks (apimachinery util/validation), shared with controlplane.api.validation ---

# Upstream `MaxLenError` said "characters" up to v1.34; the newest content/errors.go says "bytes".
MAX_LEN_UNIT = "characters"

_LABEL_KEY_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_KEY_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
_LABEL_VALUE_FMT = f"({_LABEL_KEY_FMT})?"
_LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, "
    "'-', '_' or '.', and must start and end with an alphanumeric character"
)
_DNS_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)
_DNS_SUBDOMAIN_FMT = _DNS_LABEL_FMT + r"(\." + _DNS_LABEL_FMT + ")*"
_DNS_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
    "'-' or '.', and must start and end with an alphanumeric character"
)
_LABEL_KEY_RE = re.compile(_LABEL_KEY_FMT)
_LABEL_VALUE_RE = re.compile(_LABEL_VALUE_FMT)
_DNS_LABEL_RE = re.compile(_DNS_LABEL_FMT)
_DNS_SUBDOMAIN_RE = re.compile(_DNS_SUBDOMAIN_FMT)


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """RegexError: examples joined as `'a', ` + ` or ` + `'b', ` (hence the two spaces)."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{msg} (e.g. {shown}regex used for validation is '{fmt}')"


def max_len_error(length: int) -> str:
    return f"must be no more than {length} {MAX_LEN_UNIT}"


def dns1123_label_errors(value: str) -> list[str]:
    """IsDNS1123Label: names of namespaces, containers, StatefulSets."""
    errs = []
    if len(value) > 63:
        errs.append(max_len_error(63))
    if not _DNS_LABEL_RE.fullmatch(value):
        if _DNS_SUBDOMAIN_RE.fullmatch(value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(_DNS_LABEL_MSG, _DNS_LABEL_FMT, "my-name", "123-abc"))
    return errs


def dns1123_subdomain_errors(value: str) -> list[str]:
    """IsDNS1123Subdomain: names of Deployments, ReplicaSets, Pods, Nodes."""
    errs = []
    if len(value) > 253:
        errs.append(max_len_error(253))
    if not _DNS_SUBDOMAIN_RE.fullmatch(value):
        errs.append(regex_error(_DNS_SUBDOMAIN_MSG, _DNS_SUBDOMAIN_FMT, "example.com"))
    return errs


def label_key_errors(key: str) -> list[str]:
    """IsQualifiedName / content.IsLabelKey: `[prefix/]name`, prefix a DNS subdomain."""
    errs: list[str] = []
    parts = key.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs.extend("prefix part " + m for m in dns1123_subdomain_errors(prefix))
    else:
        return [
            "a valid label key "
            + regex_error(_LABEL_KEY_MSG, _LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > 63:
        errs.append("name part " + max_len_error(63))
    if not _LABEL_KEY_RE.fullmatch(name):
        errs.append(
            "name part "
            + regex_error(_LABEL_KEY_MSG, _LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
        )
    return errs


def label_value_errors(value: str) -> list[str]:
    """IsValidLabelValue."""
    errs = []
    if len(value) > 63:
        errs.append(max_len_error(63))
    if not _LABEL_VALUE_RE.fullmatch(value):
        errs.append(regex_error(_LABEL_VALUE_MSG, _LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


# --- Requirements and selectors ---


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


_BINARY_OPERATORS = ("in", "notin", "=", "==", "!=", "gt", "lt")
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


def _field_error(path: str, value: Any, detail: str) -> str:
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
            errs.append(_field_error("key", key, "; ".join(key_errs)))
        if operator in (Operator.IN, Operator.NOT_IN):
            if not values:
                errs.append(
                    _field_error(
                        "values", values, "for 'in', 'notin' operators, values set can't be empty"
                    )
                )
        elif operator in (Operator.EQUALS, Operator.DOUBLE_EQUALS, Operator.NOT_EQUALS):
            if len(values) != 1:
                errs.append(
                    _field_error(
                        "values", values, "exact-match compatibility requires one single value"
                    )
                )
        elif operator in (Operator.EXISTS, Operator.DOES_NOT_EXIST):
            if values:
                errs.append(
                    _field_error(
                        "values", values, "values set must be empty for exists and does not exist"
                    )
                )
        else:  # GREATER_THAN, LESS_THAN
            if len(values) != 1:
                errs.append(
                    _field_error(
                        "values", values, "for 'Gt', 'Lt' operators, exactly one value is required"
                    )
                )
            for i, v in enumerate(values):
                if not _INT64.fullmatch(v):
                    errs.append(
                        _field_error(
                            f"values[{i}]",
                            v,
                            "for 'Gt', 'Lt' operators, the value must be an integer",
                        )
                    )
        for i, v in enumerate(values):
            if msgs := label_value_errors(v):
                errs.append(_field_error(f"values[{i}][{key}]", v, "; ".join(msgs)))
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


def _selector(requirements: list[Requirement]) -> Selector:
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
    return _selector(reqs)


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


# --- kubectl's string grammar: a port of selector.go's Lexer and Parser ---

_END = "\0"
_SPECIAL = frozenset("=!(),><")
_WHITESPACE = frozenset(" \t\r\n")
# Token kinds.
_ERROR, _EOS, _CLOSE, _COMMA, _NOT, _DEQ, _EQ, _GT, _ID, _IN, _LT, _NEQ, _NOTIN, _OPEN = range(14)
_TOKENS = {
    ")": _CLOSE,
    ",": _COMMA,
    "!": _NOT,
    "==": _DEQ,
    "=": _EQ,
    ">": _GT,
    "in": _IN,
    "<": _LT,
    "!=": _NEQ,
    "notin": _NOTIN,
    "(": _OPEN,
}
_OPERATORS = {
    _IN: Operator.IN,
    _EQ: Operator.EQUALS,
    _DEQ: Operator.DOUBLE_EQUALS,
    _GT: Operator.GREATER_THAN,
    _LT: Operator.LESS_THAN,
    _NOTIN: Operator.NOT_IN,
    _NEQ: Operator.NOT_EQUALS,
}


def _lex(text: str) -> list[tuple[int, str]]:
    """All tokens, ending with end-of-string (a NUL ends the input, as in Go)."""
    items: list[tuple[int, str]] = []
    pos, n = 0, len(text)

    def read() -> str:
        nonlocal pos
        if pos < n:
            pos += 1
            return text[pos - 1]
        return _END

    while True:
        ch = read()
        while ch in _WHITESPACE:
            ch = read()
        if ch == _END:
            items.append((_EOS, ""))
            return items
        pos -= 1
        buf = ""
        if ch in _SPECIAL:  # longest run of symbols that still forms a token
            last: tuple[int, str] | None = None
            while (ch := read()) != _END and ch in _SPECIAL:
                buf += ch
                if buf in _TOKENS:
                    last = (_TOKENS[buf], buf)
                elif last is not None:
                    break
            pos -= 1 if ch != _END else 0
            items.append(last or (_ERROR, f"error expected: keyword found '{buf}'"))
        else:
            while (ch := read()) != _END and ch not in _SPECIAL and ch not in _WHITESPACE:
                buf += ch
            pos -= 1 if ch != _END else 0
            items.append((_TOKENS[buf] if buf in ("in", "notin") else _ID, buf))


class _Parser:
    def __init__(self, text: str) -> None:
        self.items = _lex(text)
        self.position = 0

    def _at(self, index: int, values: bool) -> tuple[int, str]:
        tok, lit = self.items[min(index, len(self.items) - 1)]
        if values and tok in (_IN, _NOTIN):  # `in`/`notin` are plain words among values
            tok = _ID
        return tok, lit

    def lookahead(self, values: bool = True) -> tuple[int, str]:
        return self._at(self.position, values)

    def consume(self, values: bool = True) -> tuple[int, str]:
        self.position += 1
        return self._at(self.position - 1, values)

    def parse(self) -> list[Requirement]:
        requirements: list[Requirement] = []
        while True:
            tok, lit = self.lookahead()
            if tok in (_ID, _NOT):
                try:
                    requirements.append(self.requirement())
                except SelectorError as err:
                    raise SelectorError(f"unable to parse requirement: {err}") from None
                tok, lit = self.consume()
                if tok == _EOS:
                    return requirements
                if tok != _COMMA:
                    raise SelectorError(f"found '{lit}', expected: ',' or 'end of string'")
                tok2, lit2 = self.lookahead()
                if tok2 not in (_ID, _NOT):
                    raise SelectorError(f"found '{lit2}', expected: identifier after ','")
            elif tok == _EOS:
                return requirements
            else:
                raise SelectorError(f"found '{lit}', expected: !, identifier, or 'end of string'")

    def requirement(self) -> Requirement:
        operator: Operator | None = None
        tok, key = self.consume()
        if tok == _NOT:
            operator = Operator.DOES_NOT_EXIST
            tok, key = self.consume()
        if tok != _ID:
            raise SelectorError(f"found '{key}', expected: identifier")
        if msgs := label_key_errors(key):
            raise SelectorError(_field_error("<nil>", key, "; ".join(msgs)))
        if self.lookahead()[0] in (_EOS, _COMMA) and operator is None:
            operator = Operator.EXISTS
        if operator is not None:
            return Requirement.new(key, operator, [])
        tok, lit = self.consume(values=False)
        if tok not in _OPERATORS:
            raise SelectorError(f"found '{lit}', expected: {', '.join(_BINARY_OPERATORS)}")
        operator = _OPERATORS[tok]
        if operator in (Operator.IN, Operator.NOT_IN):
            values = self.value_set()
        else:
            values = self.exact_value()
        return Requirement.new(key, operator, sorted(values))

    def value_set(self) -> set[str]:
        tok, lit = self.consume()
        if tok != _OPEN:
            raise SelectorError(f"found '{lit}' expected: '('")
        tok, lit = self.lookahead()
        if tok == _CLOSE:  # "()" is the set holding the empty string
            self.consume()
            return {""}
        if tok not in (_ID, _COMMA):
            raise SelectorError(f"found '{lit}', expected: ',', ')' or identifier")
        found: set[str] = set()
        while True:  # parseIdentifiersList: possibly empty identifiers separated by commas
            tok, lit = self.consume()
            if tok == _ID:
                found.add(lit)
                tok2, lit2 = self.lookahead()
                if tok2 == _CLOSE:
                    break
                if tok2 != _COMMA:
                    raise SelectorError(f"found '{lit2}', expected: ',' or ')'")
            elif tok == _COMMA:
                if not found:
                    found.add("")
                tok2, _ = self.lookahead()
                if tok2 == _CLOSE:
                    found.add("")
                    break
                if tok2 == _COMMA:
                    self.consume()
                    found.add("")
            else:
                raise SelectorError(f"found '{lit}', expected: ',', or identifier")
        self.consume()  # the closing parenthesis
        return found

    def exact_value(self) -> set[str]:
        if self.lookahead()[0] in (_EOS, _COMMA):
            return {""}
        tok, lit = self.consume()
        if tok == _ID:
            return {lit}
        raise SelectorError(f"found '{lit}', expected: identifier")


def parse(text: str) -> Selector:
    """labels.Parse: kubectl's `-l` grammar; "" selects everything. Raises SelectorError."""
    return _selector(_Parser(text).parse())
