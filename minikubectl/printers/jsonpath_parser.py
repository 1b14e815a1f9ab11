"""The parser of kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath parser.go, node.go).

A template is text and `{...}` actions; each action is a list of nodes (fields, array slices,
filters, unions, wildcards, recursive descent, literals and the `range`/`end` identifiers).
`jsonpath.py` evaluates them. The scanner's tail calls are loops here, and every error
message is upstream's (`unclosed action`, `unrecognized character in action: U+002A '*'`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from minikubectl.printers.gofmt import go_rune


class JSONPathError(ValueError):
    """A template kubectl cannot parse or execute; the text is client-go's."""


# --- Nodes (node.go) -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Field:
    name: str


@dataclass(frozen=True, slots=True)
class Identifier:
    name: str  # `range` or `end` (anything else fails when executed)


@dataclass(frozen=True, slots=True)
class Literal:
    value: int | float | bool  # IntNode, FloatNode, BoolNode


@dataclass(frozen=True, slots=True)
class Param:
    value: int = 0
    known: bool = False
    derived: bool = False  # `[i]` is the slice `[i:i+1]`; the end follows a negative start


@dataclass(frozen=True, slots=True)
class Array:
    params: tuple[Param, Param, Param]


class Wildcard:
    pass


class Recursive:
    pass


@dataclass(slots=True)
class ListNode:
    nodes: list[Node] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Filter:
    left: ListNode
    right: ListNode
    operator: str  # `==`, `!=`, `<`, `>`, `<=`, `>=`, or `exists` for `[?(@.x)]`


@dataclass(frozen=True, slots=True)
class Union:
    lists: tuple[ListNode, ...]


Node = (
    Text | Field | Identifier | Literal | Array | Wildcard | Recursive | ListNode | Filter | Union
)


@dataclass(frozen=True, slots=True)
class Program:
    """A parsed template: text pieces and one ListNode per `{...}` action."""

    template: str
    nodes: tuple[Node, ...]


# --- Parser (parser.go) ----------------------------------------------------------------------

_EOF = ""
_DICT_KEY = re.compile(r"'([^']*)'")
_SLICE = re.compile(r"(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?")
_FILTER = re.compile(r"([^!<>=]+)([!<>=]+)(.+?)")
_GO_INT = re.compile(r"[+-]?[0-9]+")
_GO_FLOAT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)")
_INT64 = 1 << 63
_TERMINATORS = frozenset(" \t\r\n.,[]$@{}") | {_EOF}
_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _is_digit(ch: str) -> bool:
    return ch != _EOF and unicodedata.category(ch) == "Nd"


def _is_alphanumeric(ch: str) -> bool:
    return ch == "_" or (ch != _EOF and unicodedata.category(ch)[0] == "L") or _is_digit(ch)


def _atoi(text: str) -> int | None:
    """strconv.Atoi: ASCII digits with an optional sign, within int64."""
    if not _GO_INT.fullmatch(text):
        return None
    value = int(text)
    return value if -_INT64 <= value < _INT64 else None


def _unquote_char(s: str, quote: str) -> tuple[str, str]:
    """strconv.UnquoteChar: the first (possibly escaped) character of `s`, and the rest."""
    c = s[0]
    if c == quote:
        raise ValueError
    if c != "\\":
        return c, s[1:]
    if len(s) <= 1:
        raise ValueError
    c, s = s[1], s[2:]
    if c in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[c], s
    if c in "xuU":
        n = {"x": 2, "u": 4, "U": 8}[c]
        digits = s[:n]
        if len(digits) < n or not all(d in "0123456789abcdefABCDEF" for d in digits):
            raise ValueError
        code = int(digits, 16)
        if c != "x" and (code > 0x10FFFF or 0xD800 <= code < 0xE000):
            raise ValueError
        return chr(code), s[n:]
    if "0" <= c <= "7":
        digits = c + s[:2]
        if len(digits) < 3 or not all("0" <= d <= "7" for d in digits) or int(digits, 8) > 255:
            raise ValueError
        return chr(int(digits, 8)), s[2:]
    if c == "\\" or c == quote:
        return c, s
    raise ValueError


def unquote_extend(text: str) -> str:
    """UnquoteExtend: strconv.Unquote that also accepts single-quoted strings."""
    if len(text) < 2 or text[0] != text[-1] or text[0] not in "\"'":
        raise ValueError
    quote, body = text[0], text[1:-1]
    if "\\" not in body and quote not in body:
        return body
    out: list[str] = []
    while body:
        ch, body = _unquote_char(body, quote)
        out.append(ch)
    return "".join(out)


class _Parser:
    """parser.go's Parser, with its tail calls turned into loops."""

    def __init__(self, text: str) -> None:
        self.input = text
        self.pos = 0
        self.start = 0
        self.width = 0
        self.root = ListNode()

    def parse(self) -> ListNode:
        while True:  # parseText
            brace = self.input.find("{", self.pos)
            self.pos = len(self.input) if brace < 0 else brace
            if self.pos > self.start:
                self.root.nodes.append(Text(self._consume()))
            if brace < 0:
                return self.root
            self.pos += 1  # parseLeftDelim
            self._consume()
            action = ListNode()
            self.root.nodes.append(action)
            self._inside_action(action)

    def _consume(self) -> str:
        value = self.input[self.start : self.pos]
        self.start = self.pos
        return value

    def _next(self) -> str:
        if self.pos >= len(self.input):
            self.width = 0
            return _EOF
        self.width = 1
        self.pos += 1
        return self.input[self.pos - 1]

    def _peek(self) -> str:
        ch = self._next()
        self._backup()
        return ch

    def _backup(self) -> None:
        self.pos -= self.width

    def _inside_action(self, cur: ListNode) -> None:
        while True:
            rest = self.input[self.pos : self.pos + 3]
            if rest.startswith("}"):  # parseRightDelim
                self.pos += 1
                self._consume()
                return
            if rest == "[?(":
                self._filter(cur)
                continue
            if rest.startswith(".."):
                self._recursive(cur)
                continue
            ch = self._next()
            if ch in (_EOF, "\r", "\n"):
                raise JSONPathError("unclosed action")
            if ch in " @$":  # spaces and the current object are skipped
                self._consume()
            elif ch == "[":
                self._array(cur)
            elif ch in "\"'":
                self._quote(cur, ch)
            elif ch == ".":
                self._field(cur)
            elif ch in "+-" or _is_digit(ch):
                self._backup()
                self._number(cur)
            elif _is_alphanumeric(ch):
                self._backup()
                self._identifier(cur)
            else:
                raise JSONPathError(f"unrecognized character in action: {go_rune(ch)}")

    def _identifier(self, cur: ListNode) -> None:
        while self._next() not in _TERMINATORS:
            pass
        self._backup()
        value = self._consume()
        if value in ("true", "false"):
            cur.nodes.append(Literal(value == "true"))
        else:
            cur.nodes.append(Identifier(value))

    def _recursive(self, cur: ListNode) -> None:
        if cur.nodes and isinstance(cur.nodes[-1], Recursive):
            raise JSONPathError("invalid multiple recursive descent")
        self.pos += 2
        self._consume()
        cur.nodes.append(Recursive())
        if _is_alphanumeric(self._peek()):
            self._field(cur)

    def _number(self, cur: ListNode) -> None:
        if self._peek() in "+-" and self._peek() != _EOF:
            self._next()
        while True:
            ch = self._next()
            if ch != "." and not _is_digit(ch):
                self._backup()
                break
        value = self._consume()
        integer = _atoi(value)
        if integer is not None:
            cur.nodes.append(Literal(integer))
        elif _GO_FLOAT.fullmatch(value):
            cur.nodes.append(Literal(float(value)))
        else:
            raise JSONPathError(f"cannot parse number {value}")

    def _array(self, cur: ListNode) -> None:
        while True:
            ch = self._next()
            if ch in (_EOF, "\n"):
                raise JSONPathError("unterminated array")
            if ch == "]":
                break
        text = self._consume()[1:-1]
        if text == "*":
            text = ":"
        parts = text.split(",")
        if len(parts) > 1:  # union
            cur.nodes.append(Union(tuple(_parse_action(f"[{p.strip(' ')}]") for p in parts)))
            return
        key = _DICT_KEY.fullmatch(text)
        if key:  # ['key'] is .key (and 'a.b' is .a.b)
            cur.nodes.extend(_parse_action("." + key.group(1)).nodes)
            return
        match = _SLICE.fullmatch(text)
        if not match:
            raise JSONPathError(f"invalid array index {text}")
        params: list[Param] = []
        for i, group in enumerate(match.groups("")):
            if group:
                digits = group[1:] if i > 0 else group
                if i > 0 and not digits:
                    params.append(Param())
                    continue
                number = _atoi(digits)
                if number is None:
                    raise JSONPathError(f"array index {digits} is not a number")
                params.append(Param(number, known=True))
            elif i == 1:
                params.append(Param(params[0].value + 1, known=True, derived=True))
            else:
                params.append(Param())
        cur.nodes.append(Array((params[0], params[1], params[2])))

    def _filter(self, cur: ListNode) -> None:
        self.pos += 3
        self._consume()
        begin = end = False
        pair = ""
        while True:
            ch = self._next()
            if ch in (_EOF, "\n"):
                raise JSONPathError("unterminated filter")
            if ch in "\"'":
                if not begin:
                    begin, pair = True, ch
                    continue
                if self.input[self.pos - 2] != "\\" and ch == pair:
                    end = True
            elif ch == ")" and begin == end:
                break
        if self._next() != "]":
            raise JSONPathError("unclosed array expect ]")
        text = self._consume()[:-2]
        match = _FILTER.fullmatch(text)
        if match is None:
            cur.nodes.append(Filter(_parse_action(text), ListNode(), "exists"))
        else:
            left, operator, right = match.groups()
            cur.nodes.append(Filter(_parse_action(left), _parse_action(right), operator))

    def _quote(self, cur: ListNode, end: str) -> None:
        while True:
            ch = self._next()
            if ch in (_EOF, "\n"):
                raise JSONPathError("unterminated quoted string")
            if ch == end and self.input[self.pos - 2] != "\\":
                break
        value = self._consume()
        try:
            cur.nodes.append(Text(unquote_extend(value)))
        except ValueError:
            raise JSONPathError(f"unquote string {value} error invalid syntax") from None

    def _field(self, cur: ListNode) -> None:
        self._consume()
        while True:  # advance: up to the next terminator that is not escaped
            ch = self._next()
            if ch == "\\":
                self._next()
            elif ch in _TERMINATORS:
                self._backup()
                break
        value = self._consume()
        cur.nodes.append(Wildcard() if value == "*" else Field(value.replace("\\", "")))


def _parse_action(text: str) -> ListNode:
    """parseAction: parse `{text}` on its own and return its action's node list."""
    first = _Parser("{" + text + "}").parse().nodes[0]
    assert isinstance(first, ListNode)
    return first


def parse(template: str) -> Program:
    """Parse a template; `JSONPathError` with client-go's message if it is malformed."""
    return Program(template, tuple(_Parser(template).parse().nodes))
