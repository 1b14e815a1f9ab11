"""The only source of time in the control plane.

Controllers, the kubelet and the API take a `Clock`, never `time.time()`, so that tests can
drive a whole rollout on a `FakeClock` without sleeping.
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch."""
        ...


class SystemClock:
    def now(self) -> float:
        return time.time()


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += seconds


def rfc3339(seconds: float) -> str:
    """Kubernetes timestamps: RFC 3339, UTC, whole seconds (`2024-05-01T12:34:56Z`)."""
    return _rfc3339(int(seconds))


@lru_cache(maxsize=64)
def _rfc3339(whole_seconds: int) -> str:
    # A controller pass stamps thousands of objects and events within the same second.
    # (what datetime's strftime calls, without importing datetime: ~2 ms of every command)
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(whole_seconds))


def parse_rfc3339(text: str) -> float:
    """Inverse of `rfc3339`; also accepts offsets such as `+02:00`."""
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
