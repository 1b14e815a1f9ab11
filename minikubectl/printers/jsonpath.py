"""kubectl's JSONPath dialect, ported from k8s.io/client-go/util/jsonpath (parser.go, jsonpath.go).

kubectl's JSONPath is not the JSONPath of RFC 9535 or of any Python library: it is a template
language (`text {expression} text`) with `range`/`end` loops, quoted literals (`{"\\n"}`),
`\\.`-escaped dots in keys, unions `[a,b]`, filters `[?(@.x=="y")]`, wildcards and Go-style
slices, and it prints results with Go's rules (scalars with `fmt.Fprint`, maps and lists as
compact JSON, results of one expression joined by a space). Scripts read that output, so this
is a port: the parser, the evaluation (including its quirks, such as a `range` without `end`
running the rest of the template once more), and every error message are upstream's, checked
against kubectl 1.37 (`kubectl label --local -f FILE k=v -o jsonpath=...`).

    program = parse("{range .items[*]}{.metadata.name}{'\\n'}{end}")
    results = execute(program, obj)        # one list of values per printed expression
    text = render(results)                 # what `-o jsonpath=` writes (no trailing newline)

Go walks maps in random order for `*` and `..`; here keys are visited sorted, so output is
stable. Errors raise `JSONPathError` carrying upstream's text (`unclosed action`,
`array index out of bounds: index 9, length 2`); `parse_error` and `execute_error` wrap them
the way kubectl's printer does.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from minikubectl.printers.formats import to_compact_json, to_json
from minikubectl.printers.gofmt import go_quote, go_rune, go_syntax, go_type, sprint

__all__ = [
    "JSONPathError",
    "Program",
    "execute",
    "execute_error",
    "parse",
    "parse_error",
    "render",
]


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


# --- Evaluation (jsonpath.go) ------------------------------------------------------------------

Values = list[Any]
Result = tuple[Values, str | None]  # Go's (values, err): some callers use values despite err


def _kind(value: Any) -> str | None:
    """The comparison kind of Go's text/template (basicKind); None for maps, lists and nil."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    return None


def _compare(operator: str, left: Any, right: Any) -> tuple[bool, str | None]:
    """The forked text/template eq/ne/lt/le/gt/ge, with their errors."""
    k1, k2 = _kind(left), _kind(right)
    if k1 is None or k2 is None:
        return False, "invalid type for comparison"
    if k1 != k2:
        return False, "incompatible types for comparison"
    if operator in ("==", "!="):
        return (left == right) == (operator == "=="), None
    if k1 == "bool":
        return False, "invalid type for comparison"
    less = left < right
    return {"<": less, "<=": less or left == right, ">": not (less or left == right)}.get(
        operator, not less
    ), None


def _children(value: Any) -> Values:
    """What `*` and `..` visit: map values (keys sorted), list items, the bytes of a string."""
    if isinstance(value, dict):
        return [value[k] for k in sorted(value)]
    if isinstance(value, list):
        return list(value)
    if isinstance(value, str):
        return list(value.encode())
    return []


class _Executor:
    def __init__(self, program: Program, allow_missing_keys: bool) -> None:
        self.nodes = program.nodes
        self.allow_missing_keys = allow_missing_keys
        self.begin_range = 0
        self.in_range = 0
        self.end_range = 0
        self.last_end = -1

    def find_results(self, data: Any, start: int) -> list[Values]:
        """FindResults over `nodes[start:]`: a `range` recurses into the nodes after it."""
        cur = [data]
        full: list[Values] = []
        i = start
        while i < len(self.nodes):
            results, err = self.walk(cur, self.nodes[i])
            if err is not None:
                raise JSONPathError(err)
            if 0 < self.end_range <= self.in_range:  # an `end`: this block is done
                self.end_range -= 1
                self.last_end = i
                break
            if self.begin_range > 0:
                self.begin_range -= 1
                self.in_range += 1
                for value in results:
                    full.extend(self.find_results(value, i + 1))
                if not results:  # still walk the block, so that its `end` is found
                    self.find_results(None, i + 1)
                self.in_range -= 1
                if i < self.last_end:  # resume after the block's `end`
                    i = self.last_end
                i += 1
                continue
            full.append(results)
            i += 1
        return full

    def walk(self, values: Values, node: Node) -> Result:
        if isinstance(node, ListNode):
            return self.eval_list(values, node)
        if isinstance(node, Text):
            return [node.text], None
        if isinstance(node, Field):
            return self.eval_field(values, node)
        if isinstance(node, Array):
            return self.eval_array(values, node)
        if isinstance(node, Filter):
            return self.eval_filter(values, node)
        if isinstance(node, Literal):
            return [node.value for _ in values], None
        if isinstance(node, Wildcard):
            return [c for v in values for c in _children(v)], None
        if isinstance(node, Recursive):
            return self.eval_recursive(values), None
        if isinstance(node, Union):
            return self.eval_union(values, node)
        return self.eval_identifier(values, node)

    def eval_list(self, values: Values, node: ListNode) -> Result:
        for child in node.nodes:
            values, err = self.walk(values, child)
            if err is not None:
                return values, err
        return values, None

    def eval_identifier(self, values: Values, node: Identifier) -> Result:
        if node.name == "range":
            self.begin_range += 1
            return values, None
        if node.name == "end":
            if self.in_range > 0:
                self.end_range += 1
                return [], None
            return [], "not in range, nothing to end"
        return values, f"unrecognized identifier {node.name}"

    def eval_field(self, values: Values, node: Field) -> Result:
        if not values:
            return [], None
        found = [v[node.name] for v in values if isinstance(v, dict) and node.name in v]
        if not found and not self.allow_missing_keys:
            return [], f"{node.name} is not found"
        return found, None

    def eval_array(self, values: Values, node: Array) -> Result:
        result: Values = []
        first, last, step = node.params
        for value in values:
            if value is None:
                continue
            if not isinstance(value, list):
                return values, f"{go_type(value)} is not array or slice"
            length = len(value)
            start = first.value if first.known else 0
            if start < 0:
                start += length
            end = last.value if last.known else length
            if end < 0 or (end == 0 and last.derived):
                end += length
            if start == end:  # zero elements are fine anywhere (and end the walk)
                return result, None
            if start >= length or start < 0:
                return values, f"array index out of bounds: index {start}, length {length}"
            if end > length or end < 0:
                return values, f"array index out of bounds: index {end - 1}, length {length}"
            if start > end:
                return values, f"starting index {start} is greater than ending index {end}"
            if step.known and step.value <= 0:
                return values, "step must be > 0"
            result.extend(value[start : end : step.value if step.known else 1])
        return result, None

    def eval_union(self, values: Values, node: Union) -> Result:
        result: Values = []
        for branch in node.lists:
            found, err = self.eval_list(values, branch)
            if err is not None:
                return values, err
            result.extend(found)
        return result, None

    def eval_recursive(self, values: Values) -> Values:
        """Every value below (and including) each input that has children, depth first."""
        result: Values = []
        for value in values:
            children = _children(value)
            if children:
                result.append(value)
                result.extend(self.eval_recursive(children))
        return result

    def eval_filter(self, values: Values, node: Filter) -> Result:
        result: Values = []
        for value in values:
            if not isinstance(value, list):
                return values, f"{sprint(value)} is not array or slice and cannot be filtered"
            for item in value:
                lefts, err = self.eval_list([item], node.left)
                if node.operator == "exists":
                    if lefts:
                        result.append(item)
                    continue
                if err is not None:
                    return values, err
                if not lefts:
                    continue
                if len(lefts) > 1:
                    return values, "can only compare one element at a time"
                rights, err = self.eval_list([item], node.right)
                if err is not None:
                    return values, err
                if not rights:
                    continue
                if len(rights) > 1:
                    return values, "can only compare one element at a time"
                if node.operator not in ("<", ">", "==", "!=", "<=", ">="):
                    return result, f"unrecognized filter operator {node.operator}"
                passed, err = _compare(node.operator, lefts[0], rights[0])
                if err is not None:
                    return result, err
                if passed:
                    result.append(item)
        return result, None


def execute(program: Program, data: Any, *, allow_missing_keys: bool = True) -> list[Values]:
    """FindResults: the values of each printed piece, in order (kubectl allows missing keys)."""
    return _Executor(program, allow_missing_keys).find_results(data, 0)


def render(results: list[Values], *, as_json: bool = False) -> str:
    """PrintResults: what `-o jsonpath=` (or `-o jsonpath-as-json=`) writes for `results`.

    A piece's values are joined by one space; maps, lists and nulls print as compact JSON,
    other values as Go's `fmt.Fprint` does. As JSON, each piece is one indented JSON array.
    """
    out: list[str] = []
    for values in results:
        shown = [values] if as_json else values
        for i, value in enumerate(shown):
            if as_json:
                out.append(to_json(value))
            elif isinstance(value, dict | list) or value is None:
                out.append(to_compact_json(value))
            else:
                out.append(sprint(value))
            if i != len(shown) - 1:
                out.append(" ")
    return "".join(out)


# --- kubectl's printer messages (cli-runtime printers/jsonpath.go, jsonpath_flags.go) ------


def parse_error(template: str, err: JSONPathError) -> str:
    return f"error parsing jsonpath {template}, {err}"


def execute_error(template: str, err: JSONPathError, data: Any) -> str:
    """The long message kubectl prints when a template fails on an object (it ends in blanks)."""
    return (
        f"error executing jsonpath {go_quote(template)}: Error executing template: {err}. "
        "Printing more information for debugging the template:\n"
        f"\ttemplate was:\n\t\t{template}\n"
        f"\tobject given to jsonpath engine was:\n\t\t{go_syntax(data)}\n\n"
    )
