"""Go's `encoding/json` syntax errors, for request bodies the API server cannot decode.

A patch body with a typo reaches the server as bytes, and the server's 400 says what Go's JSON
scanner said: `invalid character '}' looking for beginning of value`, `unexpected end of JSON
input`. This is a port of the scanner's state machine (encoding/json/scanner.go) that only
checks syntax and returns that message; decoding itself is Python's `json`.
"""

from __future__ import annotations

import json
from typing import Any

_SPACE = " \t\r\n"
_DIGITS = "0123456789"
_HEX_DIGITS = "0123456789abcdefABCDEF"


class JSONSyntaxError(ValueError):
    """The text Go's `json.Unmarshal` would return for malformed input."""


def _quote_char(ch: str) -> str:
    """quoteChar: `'x'`, `'\\''`, `'"'`, or Go's escape for a control character."""
    if ch == "'":
        return "'\\''"
    if ch == '"':
        return "'\"'"
    escapes = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\", "\b": "\\b", "\f": "\\f"}
    if ch in escapes:
        return f"'{escapes[ch]}'"
    if ord(ch) < 0x20 or ord(ch) == 0x7F:
        return f"'\\x{ord(ch):02x}'"
    return f"'{ch}'"


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.stack: list[str] = []  # "object key", "object value", "array"

    def fail(self, ch: str, context: str) -> JSONSyntaxError:
        return JSONSyntaxError(f"invalid character {_quote_char(ch)} {context}")

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip_space(self) -> None:
        while self.peek() and self.peek() in _SPACE:
            self.pos += 1

    def end(self) -> JSONSyntaxError:
        return JSONSyntaxError("unexpected end of JSON input")

    def value(self, context: str = "looking for beginning of value") -> None:
        self.skip_space()
        ch = self.peek()
        if not ch:
            raise self.end()
        if ch == "{":
            self.pos += 1
            self.object()
        elif ch == "[":
            self.pos += 1
            self.array()
        elif ch == '"':
            self.pos += 1
            self.string()
        elif ch == "-" or ch in _DIGITS:
            self.number()
        elif ch in "tfn":
            for word in ("true", "false", "null"):
                if word[0] == ch:
                    self.literal(word)
        else:
            raise self.fail(ch, context)

    def literal(self, word: str) -> None:
        for expected in word:
            self.check_next(expected, f"in literal {word} (expecting {_quote_char(expected)})")
            self.pos += 1

    def string(self) -> None:
        while True:
            ch = self.peek()
            if not ch:
                raise self.end()
            self.pos += 1
            if ch == '"':
                return
            if ch == "\\":
                esc = self.peek()
                if not esc:
                    raise self.end()
                self.pos += 1
                if esc == "u":
                    for _ in range(4):
                        self.check_next(_HEX_DIGITS, "in \\u hexadecimal character escape")
                        self.pos += 1
                elif esc not in 'bfnrt\\/"':
                    raise self.fail(esc, "in string escape code")
            elif ord(ch) < 0x20:
                raise self.fail(ch, "in string literal")

    def digits(self) -> int:
        start = self.pos
        while self.peek() and self.peek() in _DIGITS:
            self.pos += 1
        return self.pos - start

    def check_next(self, allowed: str, context: str) -> None:
        """The next character must be one of `allowed`: else the end of input, or Go's
        `invalid character ... <context>`."""
        ch = self.peek()
        if not ch:
            raise self.end()
        if ch not in allowed:
            raise self.fail(ch, context)

    def number(self) -> None:
        if self.peek() == "-":
            self.pos += 1
            self.check_next(_DIGITS, "in numeric literal")
        if self.peek() == "0":
            self.pos += 1
        else:
            self.digits()
        if self.peek() == ".":
            self.pos += 1
            self.check_next(_DIGITS, "after decimal point in numeric literal")
            self.digits()
        if self.peek() in ("e", "E"):
            self.pos += 1
            if self.peek() in ("+", "-"):
                self.pos += 1
            self.check_next(_DIGITS, "in exponent of numeric literal")
            self.digits()

    def next_char(self) -> str:
        """The next character after spaces (consumed); the end of input is an error."""
        self.skip_space()
        ch = self.peek()
        if not ch:
            raise self.end()
        self.pos += 1
        return ch

    def object(self) -> None:
        self.skip_space()
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            ch = self.next_char()
            if ch != '"':
                raise self.fail(ch, "looking for beginning of object key string")
            self.string()
            ch = self.next_char()
            if ch != ":":
                raise self.fail(ch, "after object key")
            self.value()
            ch = self.next_char()
            if ch == "}":
                return
            if ch != ",":
                raise self.fail(ch, "after object key:value pair")

    def array(self) -> None:
        self.skip_space()
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            self.value()
            ch = self.next_char()
            if ch == "]":
                return
            if ch != ",":
                raise self.fail(ch, "after array element")


def _reject(constant: str) -> Any:
    raise ValueError(constant)  # NaN and Infinity are not JSON


def loads(text: str) -> Any:
    """json.loads, failing with Go's message; an empty body is `unexpected end of JSON input`."""
    try:
        return json.loads(text, parse_constant=_reject)
    except ValueError:
        pass
    except RecursionError:  # Go's decoder stops at 10,000 levels; Python's much earlier
        raise JSONSyntaxError("exceeded max depth") from None
    scanner = _Scanner(text)
    scanner.value()
    scanner.skip_space()
    if scanner.peek():
        raise scanner.fail(scanner.peek(), "after top-level value")
    raise JSONSyntaxError("invalid JSON")  # accepted by Go but not by Python (e.g. lone surrogates)


def go_type_name(value: Any) -> str:
    """How Go names a JSON value's type in `cannot unmarshal X into ...`."""
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return "string" if isinstance(value, str) else "null"
