"""A spec found clean once is not walked again (controlplane/api/validation/clean_specs.py),
and that never changes what the decoder's checks and the pod validation report."""

from __future__ import annotations

from typing import Any

from controlplane.api.defaults import apply_defaults
from controlplane.api.validation import decode_error, validate
from controlplane.api.validation.clean_specs import CleanSpecs
from controlplane.models.constants import Obj


def pod(name: str, **spec: Any) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "containers": [{"name": "c", "image": "nginx"}],
            "terminationGracePeriodSeconds": 30,
            **spec,
        },
    }


def test_a_clean_spec_seen_before_still_reports_the_rest() -> None:
    assert decode_error(pod("a")) is None
    mistyped = pod("b")
    mistyped["metadata"]["labels"] = "not a map"
    assert decode_error(mistyped) == (
        'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into '
        "Go struct field ObjectMeta.metadata.labels of type map[string]string"
    )
    unknown = pod("c")
    unknown["metadata"]["nmae"] = "x"
    problem = decode_error(unknown)
    assert problem is not None and 'unknown field "metadata.nmae"' in problem


def test_a_spec_that_fails_fails_every_time() -> None:
    bad = pod("a", terminationGracePeriodSeconds="30")
    first, second = decode_error(bad), decode_error(pod("b", terminationGracePeriodSeconds="30"))
    assert first is not None and first == second


def test_equal_in_python_is_not_equal_in_json() -> None:
    """`True == 1` in Python: a spec clean with 1 says nothing of one with true."""
    assert decode_error(pod("a", terminationGracePeriodSeconds=1)) is None
    problem = decode_error(pod("b", terminationGracePeriodSeconds=True))
    assert problem is not None and "terminationGracePeriodSeconds of type int64" in problem


def defaulted(obj: Obj) -> Obj:
    apply_defaults(obj)
    return obj


def test_pod_validation_reports_a_bad_spec_each_time_and_the_rest_after_a_good_one() -> None:
    assert validate(defaulted(pod("a")), decoded=True) == []
    bad_name = defaulted(pod("B_A_D"))
    assert [e.path for e in validate(bad_name, decoded=True)] == ["metadata.name"]
    spaced = defaulted(pod("c", containers=[{"name": "c", "image": " nginx"}]))
    for _ in range(2):
        assert [e.path for e in validate(spaced, decoded=True)] == ["spec.containers[0].image"]


def test_the_set_starts_afresh_when_full() -> None:
    clean = CleanSpecs()
    for i in range(300):
        clean.add(("Pod", str(i)))
    assert ("Pod", "299") in clean and ("Pod", "0") not in clean
