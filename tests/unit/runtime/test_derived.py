"""`PerObject`: an answer derived from an object is reused while that object is the one
listed, and derived again when the object is replaced, the context changes, or the object
comes back after it was gone."""

from __future__ import annotations

from controlplane.models.constants import Obj
from controlplane.runtime.derived import PerObject


def pod(name: str, phase: str = "Running") -> Obj:
    return {"kind": "Pod", "metadata": {"name": name}, "status": {"phase": phase}}


def phase_in(obj: Obj, context: str) -> str:
    return f"{context}:{obj['status']['phase']}"


def test_an_unchanged_object_is_not_derived_again() -> None:
    derived = PerObject(phase_in)
    pods = [pod("a"), pod("b")]
    assert derived.of(pods, "ns") == ["ns:Running", "ns:Running"]
    assert derived.derived == 2
    assert derived.of(pods, "ns") == ["ns:Running", "ns:Running"]
    assert derived.derived == 0


def test_a_replaced_object_is_derived_again_from_its_new_version() -> None:
    derived = PerObject(phase_in)
    a, b = pod("a"), pod("b")
    derived.of([a, b], "ns")
    # The informer hands out a new object for a new version; equal content or not, it is new.
    assert derived.of([a, pod("b", "Failed")], "ns") == ["ns:Running", "ns:Failed"]
    assert derived.derived == 1


def test_another_context_derives_everything_again() -> None:
    derived = PerObject(phase_in)
    pods = [pod("a"), pod("b")]
    derived.of(pods, "ns")
    assert derived.of(pods, "other") == ["other:Running", "other:Running"]
    assert derived.derived == 2


def test_an_object_gone_from_a_walk_is_forgotten() -> None:
    derived = PerObject(phase_in)
    a, b = pod("a"), pod("b")
    derived.of([a, b], "ns")
    derived.of([a], "ns")  # b deleted
    b["status"]["phase"] = "Failed"  # were its answer kept, it would still say Running
    assert derived.of([a, b], "ns") == ["ns:Running", "ns:Failed"]
    assert derived.derived == 1
