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

from typing import Any

from minikubectl.printers.formats import to_compact_json, to_json
from minikubectl.printers.gofmt import go_number, go_quote, go_syntax, go_type, sprint
from minikubectl.printers.jsonpath_parser import (
    Array,
    Field,
    Filter,
    Identifier,
    JSONPathError,
    ListNode,
    Literal,
    Node,
    Program,
    Recursive,
    Text,
    Union,
    Wildcard,
    parse,
)

__all__ = [
    "JSONPathError",
    "Program",
    "execute",
    "execute_error",
    "parse",
    "parse_error",
    "render",
]


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
    left, right = go_number(left), go_number(right)
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

    def eval_operand(self, item: Any, side: ListNode) -> Result:
        """One side of a filter's comparison on `item` (jsonpath.go evalFilter): what it
        finds, an error if that is more than one value."""
        found, err = self.eval_list([item], side)
        if err is None and len(found) > 1:
            err = "can only compare one element at a time"
        return found, err

    def eval_filter(self, values: Values, node: Filter) -> Result:
        result: Values = []
        for value in values:
            if not isinstance(value, list):
                return values, f"{sprint(value)} is not array or slice and cannot be filtered"
            for item in value:
                lefts, err = self.eval_operand(item, node.left)
                if node.operator == "exists":
                    if lefts:
                        result.append(item)
                    continue
                if err is not None:
                    return values, err
                if not lefts:
                    continue
                rights, err = self.eval_operand(item, node.right)
                if err is not None:
                    return values, err
                if not rights:
                    continue
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
