"""Go's `time.Duration` text: parsed from flags and annotations, printed in kubelet messages.

`parse_go_duration` is `time.ParseDuration` (`30s`, `1m30s`, `500ms`, `1.5h`, `0`); the CLI's
`--timeout` and the kubelet's per-pod delay annotations both read durations this way.
`format_go_duration` is `Duration.String()` on a duration truncated to milliseconds, which is
how the kubelet prints pull times (`812ms`, `2.345s`, `1m3.2s`) and back-offs (`10s`, `5m0s`).

`human_duration` is apimachinery's `duration.HumanDuration` (pkg/util/duration): it works on
whole, truncated units and changes precision with magnitude (`2m5s`, but `10m`; `3h5m`, but
`8h`), and it tolerates a clock skew of up to 2 seconds (`0s`) before declaring a negative
duration `<invalid>`. `age` is the printers' `translateTimestampSince`. The same two feed the
server's AGE, LAST SEEN and RESTARTS `(45s ago)` cells and describe's event ages, so every
printer goes through here; time comes in as an argument (`now`), never from the system clock.
"""

from __future__ import annotations

import json

from controlplane.clock import parse_rfc3339

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
    """Seconds, as Go's time.ParseDuration reads `text`; DurationError with Go's message."""
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


def parse_go_duration(text: str) -> float | None:
    """Seconds in a Go duration string, or None if it is not one."""
    try:
        return parse_duration(text.strip())
    except DurationError:
        return None


def format_go_duration(seconds: float) -> str:
    """`Duration.Truncate(time.Millisecond).String()`: `0s`, `812ms`, `1.5s`, `1m20s`, `5m0s`.

    Worked example: 80.5 s is 80500 ms -> 1 minute, 20.5 seconds -> `1m20.5s`.
    """
    millis = int(seconds * 1000 + 1e-6)
    if millis <= 0:
        return "0s"
    if millis < 1000:
        return f"{millis}ms"
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    whole, fraction = divmod(rest, 1000)
    text = f"{whole}.{fraction:03d}".rstrip("0").rstrip(".") + "s"
    if hours:
        return f"{hours}h{minutes}m{text}"
    if minutes:
        return f"{minutes}m{text}"
    return text


_NS = 1_000_000_000
_MINUTE = 60 * _NS
_HOUR = 60 * _MINUTE


def _trunc_div(a: int, b: int) -> int:
    """Go's integer division, which truncates toward zero (Python's `//` floors)."""
    q = abs(a) // b
    return q if a >= 0 else -q


def human_duration(seconds: float) -> str:
    """`HumanDuration`: `45s`, `2m5s`, `10m`, `3h5m`, `8h`, `2d3h`, `8d`, `2y100d`, `<invalid>`."""
    d = round(seconds * _NS)  # a Go time.Duration: integer nanoseconds
    secs = _trunc_div(d, _NS)
    if secs < -1:
        return "<invalid>"
    if secs < 0:
        return "0s"
    if secs < 60 * 2:
        return f"{secs}s"
    minutes = d // _MINUTE
    if minutes < 10:
        s = (d // _NS) % 60
        return f"{minutes}m" if s == 0 else f"{minutes}m{s}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = d // _HOUR
    if hours < 8:
        m = minutes % 60
        return f"{hours}h" if m == 0 else f"{hours}h{m}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        h = hours % 24
        return f"{hours // 24}d" if h == 0 else f"{hours // 24}d{h}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        years = hours // 24 // 365
        return f"{years}y" if dy == 0 else f"{years}y{dy}d"
    return f"{hours // 24 // 365}y"


def age(timestamp: str | None, now: float) -> str:
    """`translateTimestampSince`: the age of an RFC 3339 timestamp, or `<unknown>`."""
    if not timestamp:
        return "<unknown>"
    return human_duration(now - parse_rfc3339(timestamp))
