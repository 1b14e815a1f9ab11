"""Cron schedules as robfig/cron's ParseStandard reads them, and their next times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from controlplane.models import cron


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def iso(seconds: float | None) -> str:
    assert seconds is not None
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M %a")


@pytest.mark.parametrize(
    ("spec", "after", "expected"),
    [
        ("*/1 * * * *", "2026-12-06 16:30:20", "2026-12-06 16:31 Sun"),
        ("*/15 * * * *", "2026-12-06 16:30:00", "2026-12-06 16:45 Sun"),
        ("0 9 * * mon-fri", "2026-12-05 10:00:00", "2026-12-07 09:00 Mon"),
        ("@hourly", "2026-12-06 16:30:00", "2026-12-06 17:00 Sun"),
        ("@daily", "2026-12-06 16:30:00", "2026-12-07 00:00 Mon"),
        ("@monthly", "2026-12-06 16:30:00", "2027-01-01 00:00 Fri"),
        ("30 6 1 * sun", "2026-12-06 16:30:00", "2026-12-13 06:30 Sun"),  # dom OR dow
        ("0 0 29 2 *", "2026-03-01 00:00:00", "2028-02-29 00:00 Tue"),
        ("5/20 * * * *", "2026-12-06 16:30:00", "2026-12-06 16:45 Sun"),
        ("0 12 * JAN,jul ?", "2026-12-06 16:30:00", "2027-01-01 12:00 Fri"),
    ],
)
def test_next_activation(spec: str, after: str, expected: str) -> None:
    assert iso(cron.parse_standard(spec).next_after(at(after))) == expected


def test_a_time_zone_moves_the_wall_clock_hours() -> None:
    tokyo = cron.parse_standard("0 9 * * *", cron.load_zone("Asia/Tokyo"))
    assert iso(tokyo.next_after(at("2026-12-06 00:30:00"))) == "2026-12-07 00:00 Mon"


def test_every_is_a_fixed_interval() -> None:
    assert cron.parse_standard("@every 90s").next_after(100.5) == 190.0


def test_a_date_that_never_comes_has_no_next_time() -> None:
    assert cron.parse_standard("0 0 30 2 *").next_after(at("2026-01-01 00:00:00")) is None


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty spec string"),
        ("hourly", "expected exactly 5 fields, found 1: [hourly]"),
        ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
        ("@fortnightly", "unrecognized descriptor: @fortnightly"),
        ("60 * * * *", "end of range (60) above maximum (59): 60"),
        ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
        ("* * * * 7", "end of range (7) above maximum (6): 7"),
        ("5-2 * * * *", "beginning of range (5) beyond end of range (2): 5-2"),
        ("*/0 * * * *", "step of range should be a positive number: */0"),
        ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
        (
            "x * * * *",
            'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax',
        ),
    ],
)
def test_invalid_schedules_say_what_robfig_cron_says(spec: str, message: str) -> None:
    with pytest.raises(cron.CronError) as caught:
        cron.parse_standard(spec)
    assert str(caught.value) == message
