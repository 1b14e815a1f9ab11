"""Go's `time.ParseDuration`, because kubectl's duration flags (`--timeout=30s`) use it.

`1m30s`, `1.5h`, `500ms`, `-1s` and a bare `0` are durations; `2` is not ("missing unit").
Errors carry Go's text so that `kubectl wait --timeout=2` and `mkctl wait --timeout=2` fail
alike.
"""

from __future__ import annotations

import json

# Nanoseconds per unit (time/format.go unitMap).
_UNITS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,  # U+00B5 micro sign
    "μs": 1_000,  # U+03BC Greek mu
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60 * 1_000_000_000,
    "h": 3600 * 1_000_000_000,
}
_MAX = (1 << 63) - 1


class DurationError(ValueError):
    pass


def _quote(text: str) -> str:
    """Go's strconv.Quote for the texts that reach these messages."""
    return json.dumps(text, ensure_ascii=False)


def parse_duration(text: str) -> float:
    """Seconds, as Go's time.ParseDuration reads `text`."""
    s = text
    negative = False
    if s and s[0] in "+-":
        negative = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0.0
    if not s:
        raise DurationError(f"time: invalid duration {_quote(text)}")
    total = 0
    while s:
        if not (s[0] == "." or s[0].isdigit()):
            raise DurationError(f"time: invalid duration {_quote(text)}")
        digits = len(s) - len(s.lstrip("0123456789"))
        whole, s = s[:digits], s[digits:]
        fraction = ""
        if s.startswith("."):
            s = s[1:]
            count = len(s) - len(s.lstrip("0123456789"))
            fraction, s = s[:count], s[count:]
            if not whole and not fraction:
                raise DurationError(f"time: invalid duration {_quote(text)}")
        elif not whole:
            raise DurationError(f"time: invalid duration {_quote(text)}")
        length = 0
        while length < len(s) and s[length] != "." and not s[length].isdigit():
            length += 1
        if length == 0:
            raise DurationError(f"time: missing unit in duration {_quote(text)}")
        unit, s = s[:length], s[length:]
        if unit not in _UNITS:
            raise DurationError(f"time: unknown unit {_quote(unit)} in duration {_quote(text)}")
        scale = _UNITS[unit]
        value = int(whole or "0") * scale
        if fraction:
            value += int(int(fraction) * scale / 10 ** len(fraction))
        total += value
        if total > _MAX:
            raise DurationError(f"time: invalid duration {_quote(text)}")
    return (-total if negative else total) / 1e9


def duration_flag(text: str, flag: str, command: str) -> float:
    """A duration flag's value in seconds, or kubectl's usage error for a bad one."""
    from minikubectl.errors import CliError

    try:
        return parse_duration(text)
    except DurationError as exc:
        raise CliError(
            f'invalid argument "{text}" for "{flag}" flag: {exc}\n'
            f"See 'kubectl {command} --help' for usage."
        ) from exc
