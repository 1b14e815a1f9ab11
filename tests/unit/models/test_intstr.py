"""IntOrString scaling: the rolling-update fenceposts of deployment_util.go ResolveFenceposts."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from controlplane.models import intstr


@pytest.mark.parametrize(
    ("replicas", "surge", "unavailable"),
    [(1, 1, 0), (2, 1, 0), (3, 1, 0), (4, 1, 1), (5, 2, 1), (10, 3, 2), (0, 0, 0)],
)
def test_25_percent_table(replicas: int, surge: int, unavailable: int) -> None:
    assert intstr.int_or_percent("25%", replicas, round_up=True) == surge
    assert intstr.int_or_percent("25%", replicas, round_up=False) == unavailable


@pytest.mark.parametrize(
    ("value", "total", "round_up", "expected"),
    [
        (3, 10, True, 3),  # ints are absolute, never scaled
        (3, 10, False, 3),
        ("0%", 10, True, 0),
        ("100%", 7, False, 7),
        ("150%", 2, True, 3),
        ("33%", 3, True, 1),  # 0.99 -> 1
        ("33%", 3, False, 0),
        ("-10%", 10, False, -1),  # Atoi accepts a sign; validation rejects it earlier
    ],
)
def test_int_or_percent(value: int | str, total: int, round_up: bool, expected: int) -> None:
    assert intstr.int_or_percent(value, total, round_up) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "nil value for IntOrString"),
        ("5", "invalid value for IntOrString: invalid type: string is not a percentage"),
        (
            "abc%",
            'invalid value for IntOrString: invalid value "abc%": '
            'strconv.Atoi: parsing "abc": invalid syntax',
        ),
        (True, "invalid value for IntOrString: invalid type: neither int nor percentage"),
    ],
)
def test_int_or_percent_errors(value: object, message: str) -> None:
    with pytest.raises(ValueError) as err:
        intstr.int_or_percent(value, 10, True)  # type: ignore[arg-type]
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("surge", "unavailable", "replicas", "expected"),
    [
        ("25%", "25%", 10, (3, 2)),
        ("25%", "25%", 3, (1, 0)),
        ("0%", "0%", 1, (0, 1)),  # both round to 0: unavailable becomes 1
        (None, None, 5, (0, 1)),
        (0, 1, 5, (0, 1)),
        (2, "50%", 5, (2, 2)),
    ],
)
def test_resolve_fenceposts(
    surge: int | str | None, unavailable: int | str | None, replicas: int, expected: tuple[int, int]
) -> None:
    assert intstr.resolve_fenceposts(surge, unavailable, replicas) == expected


def test_int_value_and_percent_value() -> None:
    assert intstr.int_value("7") == 7
    assert intstr.int_value("-7") == -7
    assert intstr.int_value("abc") == 0
    assert intstr.int_value(" 7") == 0  # Atoi refuses what Python's int() would accept
    assert intstr.int_value("1_0") == 0
    assert intstr.percent_value("25%") == 25
    assert intstr.percent_value("-25%") is None
    assert intstr.percent_value(25) is None


@given(percent=st.integers(0, 200), replicas=st.integers(0, 10_000))
def test_percent_scaling_is_float64_ceil_and_floor(percent: int, replicas: int) -> None:
    up = intstr.int_or_percent(f"{percent}%", replicas, round_up=True)
    down = intstr.int_or_percent(f"{percent}%", replicas, round_up=False)
    assert up == math.ceil(float(percent) * float(replicas) / 100)
    assert down == math.floor(float(percent) * float(replicas) / 100)
    assert down <= up <= down + 1
