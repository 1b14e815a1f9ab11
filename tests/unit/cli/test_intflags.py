"""`parse_int`: Go's strconv.ParseInt(s, 0, bits), the reading kubectl's integer flags give
their values (each case was checked against kubectl 1.37's `get --chunk-size` and
`create deployment --replicas`)."""

from __future__ import annotations

import pytest

from minikubectl.intflags import NumError, parse_int

SYNTAX, RANGE = "invalid syntax", "value out of range"


@pytest.mark.parametrize(
    ("text", "bits", "value"),
    [
        ("10", 64, 10),
        ("0x10", 64, 16),
        ("0X1f", 64, 31),
        ("0o17", 64, 15),
        ("017", 64, 15),  # a leading 0 is octal
        ("0b101", 64, 5),
        ("1_000", 64, 1000),
        ("0x_10", 64, 16),  # the prefix counts as a digit before `_`
        ("0_17", 64, 15),
        ("+5", 64, 5),
        ("-0x10", 64, -16),
        ("0", 64, 0),
        ("-0", 64, 0),
        ("9223372036854775807", 64, 2**63 - 1),
        ("-9223372036854775808", 64, -(2**63)),
        ("2147483647", 32, 2**31 - 1),
        ("-0x80000000", 32, -(2**31)),
    ],
)
def test_go_integer_literals_are_read(text: str, bits: int, value: int) -> None:
    assert parse_int(text, bits) == value


@pytest.mark.parametrize(
    ("text", "bits", "reason"),
    [
        ("abc", 64, SYNTAX),
        ("", 64, SYNTAX),
        ("+", 64, SYNTAX),
        ("-", 64, SYNTAX),
        (" 5", 64, SYNTAX),
        ("1e3", 64, SYNTAX),
        ("1.5", 64, SYNTAX),
        ("0x", 64, SYNTAX),  # too short for a prefix: octal, and x is no octal digit
        ("0o", 64, SYNTAX),
        ("08", 64, SYNTAX),
        ("0b2", 64, SYNTAX),
        ("_1", 64, SYNTAX),
        ("1_", 64, SYNTAX),
        ("1__0", 64, SYNTAX),
        ("+-1", 64, SYNTAX),
        ("é", 64, SYNTAX),
        ("9223372036854775808", 64, RANGE),
        ("-9223372036854775809", 64, RANGE),
        ("99999999999999999999", 64, RANGE),
        ("99999999999999999999x", 64, RANGE),  # the overflow is met before the x
        ("2147483648", 32, RANGE),
        ("-2147483649", 32, RANGE),
        ("4294967296x", 32, RANGE),
    ],
)
def test_what_go_refuses_is_refused_in_its_words(text: str, bits: int, reason: str) -> None:
    with pytest.raises(NumError) as caught:
        parse_int(text, bits)
    assert str(caught.value) == f'strconv.ParseInt: parsing "{text}": {reason}'


def test_the_text_is_quoted_as_go_quotes_it() -> None:
    with pytest.raises(NumError) as caught:
        parse_int('a"b\t')
    assert str(caught.value) == 'strconv.ParseInt: parsing "a\\"b\\t": invalid syntax'
