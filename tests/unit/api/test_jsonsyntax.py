"""Request bodies that are not JSON fail with Go's encoding/json messages."""

from __future__ import annotations

import pytest

from controlplane.api.jsonsyntax import JSONSyntaxError, go_type_name, loads


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "unexpected end of JSON input"),
        ('{"a":', "unexpected end of JSON input"),
        ('{"a":}', "invalid character '}' looking for beginning of value"),
        ("{a:1}", "invalid character 'a' looking for beginning of object key string"),
        ('{"a" 1}', "invalid character '1' after object key"),
        ('{"a":1 "b":2}', "invalid character '\"' after object key:value pair"),
        ("[1 2]", "invalid character '2' after array element"),
        ("{} x", "invalid character 'x' after top-level value"),
        ("01", "invalid character '1' after top-level value"),
        ("trux", "invalid character 'x' in literal true (expecting 'e')"),
        ('"a\\x"', "invalid character 'x' in string escape code"),
        ('"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"),
        ('"a\nb"', "invalid character '\\n' in string literal"),
        ("-a", "invalid character 'a' in numeric literal"),
        ("1.a", "invalid character 'a' after decimal point in numeric literal"),
        ("1ex", "invalid character 'x' in exponent of numeric literal"),
        ("NaN", "invalid character 'N' looking for beginning of value"),
        ("'a'", "invalid character '\\'' looking for beginning of value"),
    ],
)
def test_syntax_errors_read_like_go(text: str, message: str) -> None:
    with pytest.raises(JSONSyntaxError) as caught:
        loads(text)
    assert str(caught.value) == message


def test_valid_json_decodes() -> None:
    assert loads(' {"a": [1, 2.5, true, null, "x"]} ') == {"a": [1, 2.5, True, None, "x"]}


@pytest.mark.parametrize(
    ("value", "name"),
    [({}, "object"), ([], "array"), ("", "string"), (1, "number"), (True, "bool"), (None, "null")],
)
def test_go_type_names(value: object, name: str) -> None:
    assert go_type_name(value) == name
