"""Go duration strings as kubectl's flags take them: `30s`, `5m`, `1h2m3.5s`, `500ms`, `0`."""

from __future__ import annotations

import re

from minikubectl.errors import CliError

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")


def parse_duration(text: str, flag: str = "--timeout") -> float:
    """Seconds in a Go duration (time.ParseDuration); a bare number is seconds, as kubectl's
    --timeout also accepts."""
    value = text.strip()
    if re.fullmatch(r"\d+(\.\d*)?", value):
        return float(value)
    sign = -1.0 if value.startswith("-") else 1.0
    body = value.lstrip("+-")
    if body and _PART.sub("", body) == "":
        return sign * sum(float(n) * _UNITS[unit] for n, unit in _PART.findall(body))
    raise CliError(f'invalid argument "{text}" for "{flag}" flag: time: invalid duration "{text}"')
