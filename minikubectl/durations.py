"""Go duration strings as kubectl's flags take them: `30s`, `5m`, `1h2m3.5s`, `500ms`, `0`."""

from __future__ import annotations

import re

from controlplane.models.durations import parse_go_duration
from minikubectl.errors import CliError


def parse_duration(text: str, flag: str = "--timeout") -> float:
    """Seconds in a Go duration (time.ParseDuration); a bare number is seconds, as kubectl's
    --timeout also accepts."""
    value = text.strip()
    if re.fullmatch(r"\d+(\.\d*)?", value):
        return float(value)
    seconds = parse_go_duration(value)
    if seconds is None:
        raise CliError(
            f'invalid argument "{text}" for "{flag}" flag: time: invalid duration "{text}"'
        )
    return seconds
