"""Go's `time.Duration` text: parsed from flags and annotations, printed in kubelet messages.

`parse_go_duration` is `time.ParseDuration` (`30s`, `1m30s`, `500ms`, `1.5h`, `0`); the CLI's
`--timeout` and the kubelet's per-pod delay annotations both read durations this way.
`format_go_duration` is `Duration.String()` on a duration truncated to milliseconds, which is
how the kubelet prints pull times (`812ms`, `2.345s`, `1m3.2s`) and back-offs (`10s`, `5m0s`).
"""

from __future__ import annotations

import re

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")


def parse_go_duration(text: str) -> float | None:
    """Seconds in a Go duration string (sign allowed, as in Go), or None if it is not one."""
    value = text.strip()
    if value in ("0", "+0", "-0"):
        return 0.0
    sign = -1.0 if value.startswith("-") else 1.0
    body = value[1:] if value[:1] in "+-" else value
    if not body or _PART.sub("", body) != "":
        return None
    return sign * sum(float(n) * _UNITS[unit] for n, unit in _PART.findall(body))


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
