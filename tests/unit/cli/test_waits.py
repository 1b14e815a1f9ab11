"""`wait --for` parsing and checks, and Go's duration syntax for `--timeout`.

Expected behaviour from staging/src/k8s.io/kubectl/pkg/cmd/wait (condition.go) and Go's
time.ParseDuration, checked against kubectl 1.37.
"""

from __future__ import annotations

import pytest

from minikubectl.durations import DurationError, parse_duration
from minikubectl.errors import CliError
from minikubectl.waits import Wait, condition_met, parse_for


def deployment(*conditions: tuple[str, str], generation: int = 1, observed: int = 1) -> dict:
    return {
        "metadata": {"name": "web", "uid": "u1", "generation": generation},
        "status": {
            "observedGeneration": observed,
            "conditions": [{"type": t, "status": s} for t, s in conditions],
        },
    }


def test_conditions_compare_type_and_status_case_insensitively() -> None:
    obj = deployment(("Available", "True"), ("Progressing", "False"))
    assert condition_met(obj, "available", "true")
    assert condition_met(obj, "Progressing", "FALSE")
    assert not condition_met(obj, "Progressing", "true")
    assert not condition_met(obj, "ReplicaFailure", "true")
    assert not condition_met({"metadata": {}}, "Available", "true")


def test_a_condition_from_an_older_generation_does_not_count() -> None:
    assert not condition_met(deployment(("Available", "True"), generation=2), "Available", "true")
    stale = deployment(("Available", "True"), generation=2, observed=2)
    stale["status"]["conditions"][0]["observedGeneration"] = 1  # the condition's own wins
    assert not condition_met(stale, "Available", "true")


def test_for_values() -> None:
    assert parse_for(["condition=Ready"]) == [Wait("condition", "Ready", "true")]
    assert parse_for(["condition=Ready=False", "Create"]) == [
        Wait("create"),  # creation is always waited for first
        Wait("condition", "Ready", "False"),
    ]
    assert parse_for(["DELETE"]) == [Wait("delete")]
    with pytest.raises(CliError, match=r'^unrecognized condition: "bogus"$'):
        parse_for(["bogus"])
    with pytest.raises(CliError, match=r"^unrecognized condition: \[\]$"):
        parse_for([])


def test_delete_is_met_when_the_object_is_gone_or_replaced() -> None:
    wait = Wait("delete")
    assert wait.met(None, "u1")
    assert not wait.met(deployment(), "u1")
    assert wait.met(deployment(), "another incarnation")


@pytest.mark.parametrize(
    "text,seconds",
    [("30s", 30), ("0", 0), ("1m30s", 90), ("1.5h", 5400), ("500ms", 0.5), ("-1s", -1)],
)
def test_go_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text,message",
    [
        ("abc", 'time: invalid duration "abc"'),
        ("2", 'time: missing unit in duration "2"'),
        ("2x", 'time: unknown unit "x" in duration "2x"'),
        ("", 'time: invalid duration ""'),
        (".s", 'time: invalid duration ".s"'),
    ],
)
def test_bad_go_durations(text: str, message: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    assert str(caught.value) == message
