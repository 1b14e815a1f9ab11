"""Resource quantities (`100m`, `128Mi`, `1.5`) as apimachinery parses, adds and prints them.

Describe prints quantities in their canonical form (`0.5` shows as `500m`, `1024Mi` as `1Gi`)
and `describe node` sums pod requests and limits and shows them as a share of the node's
allocatable resources. Canonical form follows `Quantity.String()`: the suffix family of the
first operand (binary `Ki..Ei` or decimal `n..E`), the largest suffix that keeps the number an
integer, and decimal below 1024 for binary values.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DECIMAL_SUFFIX = {exp: suffix for suffix, exp in _DECIMAL.items()}
_BINARY_SUFFIX = {bits // 10: suffix for suffix, bits in _BINARY.items()}
_QUANTITY = re.compile(r"([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))([a-zA-Z]*|[eE][+-]?[0-9]+)")

BINARY_SI = "BinarySI"
DECIMAL_SI = "DecimalSI"
DECIMAL_EXPONENT = "DecimalExponent"


@dataclass(frozen=True, slots=True)
class Quantity:
    value: Decimal
    format: str = DECIMAL_SI

    def __add__(self, other: Quantity) -> Quantity:
        """Go's `Add` keeps the receiver's format (a zero receiver takes the other's)."""
        fmt = self.format if self.value or not other.value else other.format
        return Quantity(self.value + other.value, fmt)

    def milli_value(self) -> int:
        return math.ceil(self.value * 1000)

    def int_value(self) -> int:
        return math.ceil(self.value)

    def __str__(self) -> str:
        return canonical(self)


ZERO = Quantity(Decimal(0))


def parse(text: Any) -> Quantity:
    """ParseQuantity; ints and floats from JSON are accepted as their decimal text."""
    match = _QUANTITY.fullmatch(str(text).strip())
    if not match:
        raise ValueError(f"quantities must match the regular expression: {text!r}")
    number, suffix = Decimal(match.group(1)), match.group(2)
    if suffix in _BINARY:
        return Quantity(number * (2 ** _BINARY[suffix]), BINARY_SI)
    if suffix in _DECIMAL:
        return Quantity(number.scaleb(_DECIMAL[suffix]), DECIMAL_SI)
    if suffix[:1] in "eE" and suffix:
        return Quantity(number.scaleb(int(suffix[1:])), DECIMAL_EXPONENT)
    raise ValueError(f"unable to parse quantity's suffix: {text!r}")


def _mantissa_exponent(value: Decimal) -> tuple[int, int]:
    """value = m × 10^e with m an integer without trailing zeros, e then lowered to a multiple
    of 3 (AsCanonicalBytes): 1500 -> (1500, 0), 1000 -> (1, 3), 0.5 -> (500, -3)."""
    sign, digits, exponent = value.normalize().as_tuple()
    assert isinstance(exponent, int)
    mantissa = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
    shift = exponent % 3
    return mantissa * 10**shift, exponent - shift


def canonical(q: Quantity) -> str:
    """Quantity.String(): `0`, `500m`, `1500`, `1k`, `128Mi`, `1536Mi`, `1e3`."""
    if q.value == 0:
        return "0"
    fmt = q.format
    if fmt == BINARY_SI and (-1024 < q.value < 1024 or q.value != q.value.to_integral_value()):
        fmt = DECIMAL_SI
    if fmt == BINARY_SI:
        amount, power = int(q.value), 0
        while amount % 1024 == 0 and power < 6:
            amount //= 1024
            power += 1
        return f"{amount}{_BINARY_SUFFIX.get(power, '') if power else ''}"
    mantissa, exponent = _mantissa_exponent(q.value)
    if fmt == DECIMAL_SI and exponent in _DECIMAL_SUFFIX:
        return f"{mantissa}{_DECIMAL_SUFFIX[exponent]}"
    return f"{mantissa}e{exponent}" if exponent else str(mantissa)


def canonical_text(text: Any) -> str:
    """The canonical form of a quantity as written in an object; unparsable text as given."""
    try:
        return canonical(parse(text))
    except ValueError:
        return str(text)


def total(values: list[Quantity]) -> Quantity:
    result = ZERO
    for value in values:
        result = result + value
    return result


def pod_requests_and_limits(pod: dict[str, Any]) -> tuple[dict[str, Quantity], dict[str, Quantity]]:
    """resourcehelper.PodRequestsAndLimits: containers summed, init containers as a floor,
    restartable (sidecar) init containers added to the sum, plus the pod overhead."""
    spec = pod.get("spec") or {}

    def resources(container: dict[str, Any], field: str) -> dict[str, Quantity]:
        values = (container.get("resources") or {}).get(field) or {}
        return {name: parse(v) for name, v in values.items()}

    result: list[dict[str, Quantity]] = []
    for field in ("requests", "limits"):
        summed: dict[str, Quantity] = {}
        for container in spec.get("containers") or []:
            for name, q in resources(container, field).items():
                summed[name] = summed.get(name, ZERO) + q
        sidecars: dict[str, Quantity] = {}
        floor: dict[str, Quantity] = {}
        for container in spec.get("initContainers") or []:
            values = resources(container, field)
            if container.get("restartPolicy") == "Always":
                for name, q in values.items():
                    summed[name] = summed.get(name, ZERO) + q
                    sidecars[name] = sidecars.get(name, ZERO) + q
                continue
            for name, q in values.items():
                effective = q + sidecars.get(name, ZERO)
                if name not in floor or effective.value > floor[name].value:
                    floor[name] = effective
        for name, q in floor.items():
            if name not in summed or q.value > summed[name].value:
                summed[name] = q
        for name, q in (spec.get("overhead") or {}).items():
            if field == "requests" or name in summed:
                summed[name] = summed[name] + parse(q)
        result.append(summed)
    return result[0], result[1]
