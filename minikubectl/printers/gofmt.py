"""Go's `fmt` verbs over decoded JSON values, where kubectl's text shows them to users.

kubectl prints values it took out of an unstructured object (`map[string]interface{}` holding
strings, int64s, float64s, bools, nils, slices and maps) with Go's fmt package, and scripts read
that text: custom-columns cells are `fmt.Sprint(value)` (`map[app:web]`, `[80 443]`), JSONPath
prints scalars with `fmt.Fprint`, and its errors quote the whole object with `%#v`
(`map[string]interface {}{"kind":"Pod", ...}`). Since Go 1.12 fmt prints map keys sorted, so
all of this is deterministic.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from minikubectl.printers.formats import go_yaml_float

_GO_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
}


def go_number(value: Any) -> Any:
    """A number as kubectl holds it after decoding the server's JSON.

    Go's encoder writes an integral float64 below 1e21 without a fraction (`2.0` is `2`) and
    the client decodes numbers that parse as integers into int64, so such floats arrive as
    ints. Printers and comparisons apply this to the scalars they touch (whole objects are
    never copied for it: they almost never hold floats).
    """
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    return value


def go_float(value: float) -> str:
    """`strconv.FormatFloat(f, 'g', -1, 64)`, which is what `%v` prints (`0.5`, `1e+06`)."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    return go_yaml_float(value)


def is_print(ch: str) -> bool:
    """strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space."""
    return ch == " " or unicodedata.category(ch)[0] in "LMNPS"


def go_quote(text: str) -> str:
    """strconv.Quote: `"web"`, with Go's escapes for quotes, controls and unprintable runes."""
    out = ['"']
    for ch in text:
        if ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif is_print(ch):
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def go_rune(ch: str) -> str:
    """`%#U`: `U+002A '*'`, or just `U+0009` for a rune that is not printable."""
    code = f"U+{ord(ch):04X}"
    return f"{code} '{ch}'" if is_print(ch) else code


def go_type(value: Any) -> str:
    """The reflect type name of a decoded JSON value, as Go error messages print it."""
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    value = go_number(value)
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    return "interface {}"


def sprint(value: Any) -> str:
    """`fmt.Sprint(value)` (`%v`): `web`, `80`, `true`, `<nil>`, `[a b]`, `map[k:v]`."""
    if value is None:
        return "<nil>"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        number = go_number(value)
        return str(number) if isinstance(number, int) else go_float(value)
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{sprint(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list | tuple):
        return "[" + " ".join(sprint(item) for item in value) + "]"
    return str(value)


def go_syntax(value: Any) -> str:
    """`%#v` of an unstructured value: `map[string]interface {}{"a":1, "b":[]interface {}{}}`."""
    if value is None:
        return "interface {}(nil)"
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, dict):
        items = ", ".join(f"{go_quote(str(k))}:{go_syntax(value[k])}" for k in sorted(value))
        return "map[string]interface {}{" + items + "}"
    if isinstance(value, list | tuple):
        return "[]interface {}{" + ", ".join(go_syntax(item) for item in value) + "}"
    return sprint(value)
