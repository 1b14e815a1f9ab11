"""HumanDuration boundaries (apimachinery pkg/util/duration/duration.go) and describe timestamps."""

from __future__ import annotations

import pytest

from minikubectl.printers.age import age, human_duration, rfc1123z

MIN = 60
HOUR = 3600
DAY = 24 * HOUR
YEAR = 365 * DAY


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (-5, "<invalid>"),
        (-2, "<invalid>"),
        (-1.9, "0s"),
        (-0.5, "0s"),
        (0, "0s"),
        (0.999, "0s"),
        (45, "45s"),
        (119, "119s"),
        (119.9, "119s"),
        (2 * MIN, "2m"),
        (2 * MIN + 5, "2m5s"),
        (9 * MIN + 59, "9m59s"),
        (10 * MIN, "10m"),
        (10 * MIN + 59, "10m"),
        (179 * MIN, "179m"),
        (3 * HOUR, "3h"),
        (3 * HOUR + 5 * MIN, "3h5m"),
        (7 * HOUR + 59 * MIN, "7h59m"),
        (8 * HOUR, "8h"),
        (47 * HOUR, "47h"),
        (2 * DAY, "2d"),
        (2 * DAY + 3 * HOUR, "2d3h"),
        (7 * DAY + 23 * HOUR, "7d23h"),
        (8 * DAY, "8d"),
        (400 * DAY, "400d"),
        (729 * DAY, "729d"),
        (2 * YEAR, "2y"),
        (2 * YEAR + 100 * DAY, "2y100d"),
        (8 * YEAR, "8y"),
        (9 * YEAR + 100 * DAY, "9y"),
    ],
)
def test_human_duration(seconds: float, expected: str) -> None:
    assert human_duration(seconds) == expected


def test_age_of_missing_timestamp_is_unknown() -> None:
    assert age(None, 0) == "<unknown>"
    assert age("", 0) == "<unknown>"


def test_age_of_timestamp() -> None:
    assert age("2024-01-02T15:04:05Z", 1704207845 + 302) == "5m2s"
    assert age("2024-01-02T15:04:05Z", 1704207845 - 30) == "<invalid>"


def test_rfc1123z_in_utc() -> None:
    assert rfc1123z("2024-01-02T15:04:05Z") == "Tue, 02 Jan 2024 15:04:05 +0000"
    assert rfc1123z("2024-05-01T14:03:07+02:00") == "Wed, 01 May 2024 12:03:07 +0000"
