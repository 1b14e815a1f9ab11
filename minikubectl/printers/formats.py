"""Machine formats: `-o json`, `-o yaml`, `-o name`, byte for byte as kubectl writes them.

JSON is Go's `json.MarshalIndent(obj, "", "    ")` over an unstructured object: map keys in
byte order, four-space indent, a trailing newline, and Go's HTML-safe escaping (`<` is
`\\u003c`, `&` is `\\u0026`), which Python's `json` does not do, hence a small encoder here.

YAML is `sigs.k8s.io/yaml.JSONToYAML` (go-yaml v2, no line wrapping): keys in go-yaml's
"natural" order (`a2` before `a10`, non-letters before letters), block style, list items at
their parent key's indentation, `"double quotes"` for strings that would otherwise read as
another type (`"1"`, `"true"`, timestamps), `'single quotes'` where plain text is not allowed,
and `|` blocks for multi-line strings. PyYAML's emitter descends from the same libyaml code as
go-yaml's, so we drive it with events and choose each scalar's style the way go-yaml does.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from datetime import date, time
from decimal import Decimal
from typing import Any

from controlplane.api.registry import is_served, kind_info
from controlplane.models.constants import Obj

# --- names ---


def name_line(obj: Obj) -> str:
    """`-o name`: `deployment.apps/web`, `pod/web-7c5ddbdf54-2xkzq` (no newline)."""
    kind = str(obj.get("kind", ""))
    if is_served(kind):
        prefix = kind_info(kind).kind_group
    else:
        group = str(obj.get("apiVersion", "")).rpartition("/")[0]
        prefix = f"{kind.lower()}.{group}" if group else kind.lower()
    return f"{prefix}/{obj.get('metadata', {}).get('name', '')}"


def as_list(objects: Sequence[Obj]) -> Obj:
    """The `v1 List` kubectl prints when json/yaml output holds several objects (or none)."""
    return {
        "apiVersion": "v1",
        "items": list(objects),
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    }


def omit_managed_fields(document: Obj) -> Obj:
    """kubectl's OmitManagedFieldsPrinter (`--show-managed-fields=false`, the default):
    the object, or each item of a List, without `metadata.managedFields`."""
    if document.get("kind") == "List" and isinstance(document.get("items"), list):
        return {**document, "items": [omit_managed_fields(item) for item in document["items"]]}
    meta = document.get("metadata")
    if isinstance(meta, dict) and "managedFields" in meta:
        return {**document, "metadata": {k: v for k, v in meta.items() if k != "managedFields"}}
    return document


# --- JSON ---

_JSON_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_SPECIAL = re.compile('["\\\\\x00-\x1f<>&\u2028\u2029]')


def _json_string(text: str) -> str:
    def escape(match: re.Match[str]) -> str:
        ch = match.group()
        return _JSON_ESCAPES.get(ch) or f"\\u{ord(ch):04x}"

    return '"' + _JSON_SPECIAL.sub(escape, text) + '"'


def _digits(value: float) -> tuple[str, int]:
    """Shortest round-trip digits of a positive float and its decimal exponent (d.ddd × 10^e)."""
    _, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    text = "".join(map(str, digits))
    assert isinstance(exponent, int)
    return text, len(text) + exponent - 1


def _format_e(digits: str, exp: int, min_exp_digits: int) -> str:
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    sign = "-" if exp < 0 else "+"
    return f"{mantissa}e{sign}{abs(exp):0{min_exp_digits}d}"


def _format_f(digits: str, exp: int) -> str:
    if exp < 0:
        return "0." + "0" * (-exp - 1) + digits
    if exp + 1 >= len(digits):
        return digits + "0" * (exp + 1 - len(digits))
    return digits[: exp + 1] + "." + digits[exp + 1 :]


def go_json_float(value: float) -> str:
    """encoding/json's float64: 'f' format, or 'e' below 1e-6 / from 1e21 (`1e-7`, `1e+21`)."""
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    digits, exp = _digits(abs(value))
    if abs(value) < 1e-6 or abs(value) >= 1e21:
        return sign + _format_e(digits, exp, 1)
    return sign + _format_f(digits, exp)


def _json(
    value: Any, indent: str, out: list[str], compact: bool = False, ordered: bool = False
) -> None:
    """MarshalIndent with four spaces, or Marshal (no whitespace at all) when `compact`;
    keys sorted as for a map, or in the given order (`ordered`) as for a Go struct."""
    if isinstance(value, dict | list | tuple) and not value:
        out.append("{}" if isinstance(value, dict) else "[]")
    elif isinstance(value, dict):
        inner = indent if compact else indent + "    "
        lead, colon = ("", ":") if compact else ("\n" + inner, ": ")
        out.append("{")
        for i, key in enumerate(value if ordered else sorted(value)):
            out.append(("," if i else "") + lead + _json_string(str(key)) + colon)
            _json(value[key], inner, out, compact, ordered)
        out.append("}" if compact else "\n" + indent + "}")
    elif isinstance(value, list | tuple):
        inner = indent if compact else indent + "    "
        lead = "" if compact else "\n" + inner
        out.append("[")
        for i, item in enumerate(value):
            out.append(("," if i else "") + lead)
            _json(item, inner, out, compact, ordered)
        out.append("]" if compact else "\n" + indent + "]")
    elif isinstance(value, str):
        out.append(_json_string(value))
    elif value is None:
        out.append("null")
    elif value is True or value is False:
        out.append("true" if value else "false")
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        out.append(go_json_float(value))
    else:
        raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def to_compact_json(value: Any) -> str:
    """Go's `json.Marshal`: no whitespace, sorted keys, HTML-safe escapes, no newline."""
    out: list[str] = []
    _json(value, "", out, compact=True)
    return "".join(out)


def to_json(obj: Any, *, ordered: bool = False) -> str:
    """`kubectl get -o json` of one object or of `as_list(...)`, with its trailing newline;
    `ordered` keeps the keys' order, as kubectl prints a typed object a generator built."""
    out: list[str] = []
    _json(obj, "", out, ordered=ordered)
    return "".join(out) + "\n"


# --- YAML: go-yaml v2's choices, emitted by PyYAML's libyaml-derived emitter ---

_BOOL_OR_NULL = frozenset(
    {
        *("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"),
        *("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"),
        *("~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF"),
        *("+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"),
    }
)
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_BASE60 = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_GO_INT = re.compile(r"[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)")
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2}))"
    r"|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?))?"
)
_INT64 = 1 << 63


def _is_timestamp(text: str) -> bool:
    match = _TIMESTAMP.fullmatch(text)
    if not match:
        return False
    year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    clock = [int(g) for g in match.groups()[3:] if g is not None]
    try:
        date(year, month, day)
        if clock:
            time(clock[0], clock[1], clock[2])
    except ValueError:
        return False
    return True


def _go_parses_int(plain: str) -> bool:
    """strconv.ParseInt(plain, 0, 64) succeeds, or ParseUint(plain, 0, 64) for unsigned text."""
    if not _GO_INT.fullmatch(plain):
        return False
    body = plain.lstrip("+-")
    prefix = body[:2].lower()
    if prefix in ("0x", "0o", "0b"):
        number = int(body[2:], {"0x": 16, "0o": 8, "0b": 2}[prefix])
    elif len(body) > 1 and body[0] == "0":
        number = int(body[1:], 8)
    else:
        number = int(body)
    if plain[0] == "-":
        number = -number
    if -_INT64 <= number < _INT64:
        return True
    return plain[0] not in "+-" and number < 2 * _INT64


def _go_parses_float(text: str) -> bool:
    """yamlStyleFloat matches and strconv.ParseFloat succeeds (it fails on overflow)."""
    return bool(_YAML_FLOAT.fullmatch(text)) and not math.isinf(float(text))


def _resolves_to_str(text: str) -> bool:
    """go-yaml v2 `resolve("", text)` yields !!str, and the text is no base-60 float."""
    if text == "" or text in _BOOL_OR_NULL:
        return False
    first = text[0]
    if first == ".":
        return not _go_parses_float(text)
    if first in "+-0123456789":
        plain = text.replace("_", "")
        if _is_timestamp(text) or _go_parses_int(plain) or _go_parses_float(plain):
            return False
    return not _BASE60.fullmatch(text)


def _go_key_less(a: str, b: str) -> bool:
    """go-yaml v2's `keyList.Less` for string keys: digit runs compare as numbers."""
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            continue
        al, bl = a[i].isalpha(), b[i].isalpha()
        if al and bl:
            return a[i] < b[i]
        if al or bl:
            return bl
        an = bn = 0
        if a[i] == "0" or b[i] == "0":
            j = i - 1
            while j >= 0 and a[j].isdigit():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdigit():
            an = an * 10 + int(a[ai])
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdigit():
            bn = bn * 10 + int(b[bi])
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return a[i] < b[i]
    return len(a) < len(b)


def _go_key_cmp(a: str, b: str) -> int:
    return -1 if _go_key_less(a, b) else (1 if _go_key_less(b, a) else 0)


_go_key = functools.cmp_to_key(_go_key_cmp)


def go_yaml_float(value: float) -> str:
    """go-yaml's float: strconv 'g' with shortest digits (`0.5`, `1e+06`), `.inf`, `.nan`."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    digits, exp = _digits(abs(value))
    if exp < -4 or exp >= 6:  # 'g' with shortest precision switches to %e at 1e+06
        return sign + _format_e(digits, exp, 2)
    return sign + _format_f(digits, exp)


def _scalar_events(value: Any) -> tuple[str, str | None]:
    """(text, style) for a scalar; style None means plain if the emitter allows it."""
    if isinstance(value, str):
        if "\n" in value:
            return value, "|"
        return value, (None if _resolves_to_str(value) else '"')
    if value is None:
        return "null", None
    if value is True or value is False:
        return ("true" if value else "false"), None
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value)), None  # JSON `2.0` comes back from go-yaml as the int 2
        return go_yaml_float(value), None
    raise TypeError(f"cannot encode {type(value).__name__} as YAML")


def _events(value: Any, out: list[Any], yaml: Any) -> None:
    if isinstance(value, dict):
        out.append(yaml.MappingStartEvent(None, None, True, flow_style=False))
        for key in sorted((str(k) for k in value), key=_go_key):
            text, style = _scalar_events(key)
            out.append(yaml.ScalarEvent(None, None, (True, True), text, style=style))
            _events(value[key], out, yaml)
        out.append(yaml.MappingEndEvent())
    elif isinstance(value, list | tuple):
        out.append(yaml.SequenceStartEvent(None, None, True, flow_style=False))
        for item in value:
            _events(item, out, yaml)
        out.append(yaml.SequenceEndEvent())
    else:
        text, style = _scalar_events(value)
        out.append(yaml.ScalarEvent(None, None, (True, True), text, style=style))


def to_yaml(obj: Any, *, use_libyaml: bool = True) -> str:
    """`kubectl get -o yaml` of one object or of `as_list(...)`.

    The C libyaml emitter is used when PyYAML has it (3-4 times faster at 10,000 pods); both
    emitters come from the same libyaml code as go-yaml's and give the same bytes here.
    """
    import yaml  # imported here: 75 ms, paid only by -o yaml

    events: list[Any] = [yaml.StreamStartEvent(), yaml.DocumentStartEvent(explicit=False)]
    _events(obj, events, yaml)
    events += [yaml.DocumentEndEvent(explicit=False), yaml.StreamEndEvent()]
    dumper = yaml.CDumper if use_libyaml and yaml.__with_libyaml__ else yaml.Dumper
    text: str = yaml.emit(
        events, Dumper=dumper, width=2**31 - 1, indent=2, allow_unicode=True, line_break="\n"
    )
    return text
