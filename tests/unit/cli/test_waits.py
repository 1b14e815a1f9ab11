"""`wait --for` parsing and checks, and Go's duration syntax for `--timeout`.

Expected behaviour from staging/src/k8s.io/kubectl/pkg/cmd/wait (condition.go) and Go's
time.ParseDuration, checked against kubectl 1.37.
"""

from __future__ import annotations

import pytest

from minikubectl.durations import DurationError, parse_duration
from minikubectl.errors import CliError
from minikubectl.waits import Wait, condition_met, parse_for, split_jsonpath_input


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


def test_jsonpath_input_splits_on_single_equals_only() -> None:
    assert split_jsonpath_input("{.a}=3") == ["{.a}", "3"]
    assert split_jsonpath_input('{.c[?(@.type=="Ready")].status}=True') == [
        '{.c[?(@.type=="Ready")].status}',
        "True",
    ]
    assert split_jsonpath_input("{.a}") == ["{.a}"]


@pytest.mark.parametrize(
    "spec,wanted,met",
    [
        ("{.status.readyReplicas}=3", "3", True),
        ("{.status.readyReplicas}='3'", "3", True),  # quotes around the value are dropped
        (".status.readyReplicas=2", "2", False),  # relaxed path, different value
        ("{.status.readyReplicas}", "", True),  # any value will do
        ("{.status.missing}", "", False),  # nothing found yet
        ('{.status.conditions[?(@.type=="Available")].status}=true', "true", False),
    ],
)
def test_jsonpath_waits(spec: str, wanted: str, met: bool) -> None:
    (wait,) = parse_for([f"jsonpath={spec}"])
    assert (wait.kind, wait.value) == ("jsonpath", wanted)
    obj = deployment(("Available", "True"))
    obj["status"]["readyReplicas"] = 3
    assert wait.met(obj) is met


@pytest.mark.parametrize(
    "spec,message",
    [
        ("", "jsonpath expression cannot be empty"),
        ("{.a}=", "jsonpath wait has to have a value after equal sign, like "
         "--for=jsonpath='{.status.readyReplicas}'=3"),
        ("{.a}=b=c", "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 "
         "or --for=jsonpath='{.status.readyReplicas}'"),
        ("{.status", "unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
         "'{name1.name2}' or '{.name1.name2}'"),
    ],
)  # fmt: skip
def test_bad_jsonpath_waits_fail_before_anything_is_read(spec: str, message: str) -> None:
    with pytest.raises(CliError) as caught:
        parse_for([f"jsonpath={spec}"])
    assert caught.value.message == message


def test_a_jsonpath_that_finds_a_list_cannot_be_compared() -> None:
    obj = deployment(("Available", "True"), ("Progressing", "True"))
    (nested,) = parse_for(["jsonpath={.status.conditions}=x"])
    with pytest.raises(CliError, match="nested object or list which is not supported"):
        nested.met(obj)
    (several,) = parse_for(["jsonpath={.status.conditions[*].type}=x"])
    with pytest.raises(CliError, match="matches more than one value"):
        several.met(obj)
