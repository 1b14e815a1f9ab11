"""Timing: zero delays for embedded mode, scaled delays for the daemon, Kubernetes' back-off."""

from __future__ import annotations

import math

import pytest

from controlplane.kubelet.pod_plan import jitter_factor, plan_for
from controlplane.kubelet.timing import Timing
from controlplane.models.simulation import Outcome


def test_instant_timing_has_no_delays_but_keeps_the_kubelet_back_off() -> None:
    instant = Timing.instant()
    assert (instant.pull, instant.start, instant.ready, instant.crash, instant.sync) == (0,) * 5
    assert (instant.stop, instant.jitter) == (0, 0)
    assert (instant.backoff_initial, instant.backoff_max) == (10, 300)


def test_realistic_timing_takes_a_second_or_two_and_speed_divides_the_delays() -> None:
    real = Timing.realistic()
    assert real.ready == 0  # without a readiness probe, Ready the moment it runs
    assert 1.0 <= real.start + real.ready <= 2.0  # an image already on the node
    assert real.pull == 1.0 and real.pull_rate == 25_000_000  # a pull: set-up plus download
    fast = Timing.realistic(speed=10)
    assert fast.pull == pytest.approx(real.pull / 10)
    assert fast.pull_rate == pytest.approx(real.pull_rate * 10)
    assert fast.stop == pytest.approx(real.stop / 10)
    assert (fast.backoff_initial, fast.backoff_max) == (10, 300)  # not scaled


@pytest.mark.parametrize(
    ("failures", "seconds"),
    [(0, 0), (1, 10), (2, 20), (3, 40), (4, 80), (5, 160), (6, 300), (7, 300), (1000, 300)],
)
def test_backoff_doubles_from_ten_seconds_up_to_five_minutes(failures: int, seconds: float) -> None:
    assert Timing().backoff(failures) == seconds


@pytest.mark.parametrize("speed", [0, -1, math.nan, math.inf, "2", True, None])
def test_a_bad_speed_is_refused_with_a_clear_message(speed: object) -> None:
    with pytest.raises(ValueError, match="invalid kubelet speed"):
        Timing.realistic(speed)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"pull": -1}, "invalid kubelet timing pull=-1: must be 0 or more"),
        ({"jitter": 1.0}, "invalid kubelet timing jitter=1.0: must be below 1"),
        ({"backoff_initial": 0}, "invalid kubelet back-off 0s to 300.0s"),
        ({"stop": "1s"}, "invalid kubelet timing stop='1s': must be a number"),
    ],
)
def test_bad_timing_fields_are_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Timing(**fields)  # type: ignore[arg-type]


def test_jitter_is_steady_per_pod_and_within_bounds() -> None:
    factors = {jitter_factor(f"uid-{i}", 0.25) for i in range(200)}
    assert min(factors) >= 0.75 and max(factors) <= 1.25 and len(factors) > 100
    assert jitter_factor("uid-1", 0.25) == jitter_factor("uid-1", 0.25)
    assert jitter_factor("uid-1", 0.0) == 1.0


def _pod(annotations: dict[str, str], image: str = "nginx:1.14.2") -> dict:
    return {
        "metadata": {"name": "p", "uid": "u", "annotations": annotations},
        "spec": {"containers": [{"name": "web", "image": image}]},
    }


def test_annotations_override_delays_as_written_and_the_outcome_of_every_container() -> None:
    plan = plan_for(
        _pod({"mkctl.dev/pull-delay": "1m30s", "mkctl.dev/outcome": "never-ready"}),
        Timing.realistic(speed=100),
    )
    assert plan.pull_after("web") == 90  # not scaled by speed, not jittered
    assert plan.start < 0.01
    assert plan.outcome("web") is Outcome.NEVER_READY


def test_a_pull_takes_as_long_as_the_image_is_large() -> None:
    real = Timing.realistic()  # jitter spreads it by up to 25%, steadily per pod
    nginx = plan_for(_pod({}, "nginx:1.14.2"), real).pull_after("web")
    assert 2.8 * 0.75 <= nginx <= 2.8 * 1.25  # 1 s + 44 MB at 25 MB/s
    python = plan_for(_pod({}, "python:3.12"), real).pull_after("web")
    assert python / nginx == pytest.approx((1 + 410 / 25) / (1 + 44.4 / 25), rel=0.05)
    assert plan_for(_pod({}, "nginx:1.14.2"), Timing.instant()).pull_after("web") == 0


def test_the_registry_decides_when_neither_annotation_nor_marker_does() -> None:
    assert plan_for(_pod({}, "nginx:1.161"), Timing()).outcome("web") is Outcome.PULL_FAILURE
    assert plan_for(_pod({}, "web:v2"), Timing()).outcome("web") is Outcome.OK
    typo_but_ok = _pod({"mkctl.dev/outcome": "ok"}, "nginx:1.161")
    assert plan_for(typo_but_ok, Timing()).outcome("web") is Outcome.OK
    assert plan_for(_pod({}, "busybox:crashloop"), Timing()).outcome("web") is Outcome.CRASHLOOP


def test_image_markers_choose_the_outcome_when_no_annotation_does() -> None:
    assert plan_for(_pod({}, "nginx:1.99-doesnotexist"), Timing()).outcome("web") is (
        Outcome.PULL_FAILURE
    )
    assert (
        plan_for(_pod({"mkctl.dev/outcome": "ok"}, "x/crashloop:1"), Timing()).outcome("web")
        is Outcome.OK
    )
