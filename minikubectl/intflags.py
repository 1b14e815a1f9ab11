"""Integer flags as kubectl's flag library reads them.

pflag parses `--replicas`, `--chunk-size`, `--tail` and every other integer flag with Go's
`strconv.ParseInt(s, 0, 64)` (`int32` flags such as `create deployment --replicas` with
bitSize 32; spf13/pflag int.go, int32.go, int64.go), so kubectl takes Go's integer literals:
`0x10`, `0o17`, `017`, `0b101`, `1_000`, a leading `+`, and refuses what does not fit:
`invalid argument "99999999999999999999" for "--replicas" flag: strconv.ParseInt: parsing
"99999999999999999999": value out of range` (flag.go FlagSet.Set). Python's `int()` reads
`1_000` but none of the prefixes, and has no range. `GoInt` is the click type of such a flag;
its failure, `InvalidInteger`, carries the words `minikubectl.usage` prints.
"""

from __future__ import annotations

from typing import Any

import click

SYNTAX = "invalid syntax"  # strconv.ErrSyntax
RANGE = "value out of range"  # strconv.ErrRange


class NumError(ValueError):
    """strconv.NumError: why `text` is not an integer, in Go's words."""

    def __init__(self, text: str, reason: str):
        from minikubectl.printers.gofmt import go_quote

        super().__init__(f"strconv.ParseInt: parsing {go_quote(text)}: {reason}")
        self.text = text


def _digit(char: str) -> int:
    """A digit's value in bases up to 36 (`a`-`z` for 10-35), or 99 for any other byte."""
    if "0" <= char <= "9":
        return ord(char) - ord("0")
    lower = char.lower()
    return ord(lower) - ord("a") + 10 if "a" <= lower <= "z" and char.isascii() else 99


def _underscore_ok(text: str) -> bool:
    """strconv's underscoreOK: each `_` stands between digits (a base prefix counts as one)."""
    saw, i = "^", 0
    text = text[1:] if text[:1] in ("+", "-") else text
    hexadecimal = False
    if len(text) >= 2 and text[0] == "0" and text[1].lower() in ("b", "o", "x"):
        i, saw, hexadecimal = 2, "0", text[1].lower() == "x"
    for char in text[i:]:
        if "0" <= char <= "9" or (hexadecimal and "a" <= char.lower() <= "f"):
            saw = "0"
        elif char == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"


def _parse_uint(text: str, bit_size: int, original: str) -> int:
    """strconv.ParseUint(text, 0, bit_size): the base from the prefix (`0b`, `0o`, `0x`, a
    bare `0` for octal), then the digits; too large fails at the digit that overflows,
    before any later byte is looked at."""
    if not text:
        raise NumError(original, SYNTAX)
    base, digits = 10, text
    if text[0] == "0":
        prefix = text[1:2].lower()
        if len(text) >= 3 and prefix in ("b", "o", "x"):
            base, digits = {"b": 2, "o": 8, "x": 16}[prefix], text[2:]
        else:
            base, digits = 8, text[1:]
    largest = (1 << bit_size) - 1
    value, underscores = 0, False
    for char in digits:
        if char == "_":
            underscores = True
            continue
        digit = _digit(char)
        if digit >= base:
            raise NumError(original, SYNTAX)
        value = value * base + digit
        if value > largest:
            raise NumError(original, RANGE)
    if underscores and not _underscore_ok(text):
        raise NumError(original, SYNTAX)
    return value


def parse_int(text: str, bit_size: int = 64) -> int:
    """Go's strconv.ParseInt(text, 0, bit_size), or NumError."""
    if not text:
        raise NumError(text, SYNTAX)
    negative = text[0] == "-"
    magnitude = _parse_uint(text[1:] if text[0] in "+-" else text, bit_size, text)
    if magnitude > (1 << (bit_size - 1)) - (0 if negative else 1):
        raise NumError(text, RANGE)
    return -magnitude if negative else magnitude


class InvalidInteger(click.BadParameter):
    """A value an integer flag refuses: its text, and ParseInt's reason."""

    def __init__(self, text: str, problem: NumError, ctx: Any, param: Any):
        super().__init__(str(problem), ctx, param)
        self.text = text


class GoInt(click.types.IntParamType):
    """The click type of a kubectl integer flag: `bit_size` 64 (pflag's int and int64) or
    32 (int32)."""

    def __init__(self, bit_size: int = 64):
        self.bit_size = bit_size

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            try:
                value = parse_int(value, self.bit_size)
            except NumError as exc:
                raise InvalidInteger(value, exc, ctx, param) from None
        return super().convert(value, param, ctx)


INT = GoInt(64)  # pflag's IntVar and Int64Var (int is 64 bits where kubectl runs)
INT32 = GoInt(32)  # Int32Var
