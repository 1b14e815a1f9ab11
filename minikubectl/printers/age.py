"""Durations and timestamps as kubectl prints them.

`human_duration` (`2m5s`, `3h`, `<invalid>`) and `age` are the API server's
(`controlplane.models.durations`): the same functions compute the AGE cells of its Tables, so
describe's event ages and `lasts` can never disagree with `get`. `rfc1123z` is describe's own
timestamp format. Time comes in as arguments (`now` in epoch seconds), never from the system
clock.
"""

from __future__ import annotations

from datetime import UTC, datetime

from controlplane.clock import parse_rfc3339
from controlplane.models.durations import age, human_duration

__all__ = ["age", "human_duration", "rfc1123z"]

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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
