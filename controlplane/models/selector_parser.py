"""kubectl's label selector grammar (`app=web,tier in (fe,be),!canary`): a port of
apimachinery pkg/labels/selector.go's Lexer and Parser, every error message included.
`parse` turns the text into the same `Selector` a LabelSelector becomes (`selectors`).
"""

from __future__ import annotations

from controlplane.models.identifiers import label_key_errors
from controlplane.models.selectors import (
    BINARY_OPERATORS,
    Operator,
    Requirement,
    Selector,
    SelectorError,
    field_error,
    selector_of,
)

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
            raise SelectorError(field_error("<nil>", key, "; ".join(msgs)))
        if self.lookahead()[0] in (_EOS, _COMMA) and operator is None:
            operator = Operator.EXISTS
        if operator is not None:
            return Requirement.new(key, operator, [])
        tok, lit = self.consume(values=False)
        if tok not in _OPERATORS:
            raise SelectorError(f"found '{lit}', expected: {', '.join(BINARY_OPERATORS)}")
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
    return selector_of(_Parser(text).parse())
