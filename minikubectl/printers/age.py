"""Durations and timestamps as kubectl prints them.

`human_duration` is apimachinery's `duration.HumanDuration`: it works on whole, truncated units
and changes precision with magnitude (`2m5s`, but `10m`; `3h5m`, but `8h`), and it tolerates a
clock skew of up to 2 seconds (`0s`) before declaring a negative duration `<invalid>`. The same
function feeds AGE, LAST SEEN, RESTARTS `(45s ago)`, describe event ages and a terminating pod's
`lasts <invalid>`, so every printer goes through here.

Time comes in as arguments (`now` in epoch seconds), never from the system clock.
"""

from __future__ import annotations

from datetime import UTC, datetime

from controlplane.clock import parse_rfc3339

_NS = 1_000_000_000
_MINUTE = 60 * _NS
_HOUR = 60 * _MINUTE

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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
    """kubectl's `translateTimestampSince`: the age of an RFC 3339 timestamp, or `<unknown>`."""
    if not timestamp:
        return "<unknown>"
    return human_duration(now - parse_rfc3339(timestamp))


def rfc1123z(timestamp: str | None) -> str:
    """Go's `time.RFC1123Z` in UTC, as describe prints times: `Tue, 02 Jan 2024 15:04:05 +0000`.

    A missing timestamp prints as Go's zero time, which is what kubectl shows for it.
    """
    if not timestamp:
        return "Mon, 01 Jan 0001 00:00:00 +0000"
    t = datetime.fromtimestamp(parse_rfc3339(timestamp), UTC)
    return (
        f"{_DAYS[t.weekday()]}, {t.day:02d} {_MONTHS[t.month - 1]} {t.year:04d} "
        f"{t.hour:02d}:{t.minute:02d}:{t.second:02d} +0000"
    )
