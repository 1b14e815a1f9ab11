"""Failure-simulation conventions and Go durations, as documented in docs/failure-simulation.md."""

from __future__ import annotations

import pytest

from controlplane.models.durations import format_go_duration, parse_go_duration
from controlplane.models.simulation import (
    Outcome,
    annotation_problems,
    image_outcome,
    outcome_for,
)


@pytest.mark.parametrize(
    ("image", "outcome"),
    [
        ("nginx:1.14.2", None),
        ("nginx:1.99-doesnotexist", Outcome.PULL_FAILURE),
        ("registry.example.com/team/nonexistent:1.0", Outcome.PULL_FAILURE),
        ("NGINX:DoesNotExist", Outcome.PULL_FAILURE),
        ("busybox:crashloop", Outcome.CRASHLOOP),
        ("example/crashloop-app:2", Outcome.CRASHLOOP),
        ("nginx:neverready", Outcome.NEVER_READY),
    ],
)
def test_image_markers(image: str, outcome: Outcome | None) -> None:
    assert image_outcome(image) is outcome


def test_the_outcome_annotation_wins_over_the_image() -> None:
    assert outcome_for({"mkctl.dev/outcome": "crashloop"}, "nginx:1.14.2") is Outcome.CRASHLOOP
    assert outcome_for({"mkctl.dev/outcome": "ok"}, "nginx:doesnotexist") is Outcome.OK
    assert outcome_for({}, "nginx:doesnotexist") is Outcome.PULL_FAILURE
    assert outcome_for({}, "nginx:1.161") is None  # the registry decides


def test_annotation_problems_name_each_bad_key_in_order() -> None:
    problems = annotation_problems(
        {
            "mkctl.dev/start-delay": "soon",
            "mkctl.dev/outcome": "explode",
            "mkctl.dev/pull-delay": "-1s",
            "mkctl.dev/ready-delay": "1.5s",
            "mkctl.dev/unknown": "kept for other tools",
        }
    )
    assert [(p.key, p.value, bool(p.supported)) for p in problems] == [
        ("mkctl.dev/outcome", "explode", True),
        ("mkctl.dev/pull-delay", "-1s", False),
        ("mkctl.dev/start-delay", "soon", False),
    ]
    assert problems[0].supported == (
        "crashloop",
        "liveness-failure",
        "never-ready",
        "ok",
        "pull-failure",
        "startup-failure",
    )


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("0", 0.0),
        ("5s", 5.0),
        ("500ms", 0.5),
        ("1m30s", 90.0),
        ("1.5h", 5400.0),
        ("2h3m4.5s", 7384.5),
        ("-3s", -3.0),
        ("10", None),
        ("5 s", None),
        ("", None),
        ("s", None),
    ],
)
def test_parse_go_duration(text: str, seconds: float | None) -> None:
    assert parse_go_duration(text) == seconds


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (0.0004, "0s"),
        (0.812, "812ms"),
        (1, "1s"),
        (2.345, "2.345s"),
        (10, "10s"),
        (63.2, "1m3.2s"),
        (80, "1m20s"),
        (160, "2m40s"),
        (300, "5m0s"),
        (3600, "1h0m0s"),
    ],
)
def test_format_go_duration(seconds: float, text: str) -> None:
    assert format_go_duration(seconds) == text
