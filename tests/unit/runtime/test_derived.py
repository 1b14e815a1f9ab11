"""`PerObject`: an answer derived from an object is reused while that object is the one
listed, and derived again when the object is replaced, the context changes, or the object
comes back after it was gone."""

from __future__ import annotations

import marshal
from decimal import Decimal

from controlplane.models.constants import Obj
from controlplane.runtime.derived import PerObject, Totals


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


def on_node(obj: Obj) -> dict[str, int]:
    node = obj["spec"].get("nodeName")
    return {node: 1} if node and obj["status"]["phase"] == "Running" else {}


def bound(name: str, node: str | None, phase: str = "Running") -> Obj:
    return {**pod(name, phase), "spec": {"nodeName": node} if node else {}}


def test_totals_follow_each_object_in_and_out() -> None:
    """A pod bound, moved by a new version, finished, deleted: the sums by node follow."""
    totals = Totals(on_node)
    a, b = bound("a", "node-1"), bound("b", "node-1")
    assert totals.over([a, b]) == {"node-1": 2}
    assert totals.over([a, b]) == {"node-1": 2}  # seen before: not added twice
    c = bound("c", None)
    assert totals.over([a, b, c]) == {"node-1": 2}
    c = bound("c", "node-2")  # bound: a new version
    assert totals.over([a, b, c]) == {"node-1": 2, "node-2": 1}
    b = bound("b", "node-1", "Succeeded")  # finished: gives its place back
    assert totals.over([a, b, c]) == {"node-1": 1, "node-2": 1}
    assert totals.over([a]) == {"node-1": 1}  # b and c deleted: node-2 at zero is left out
    assert totals.over([]) == {}


def test_totals_hand_out_a_copy() -> None:
    totals = Totals(on_node)
    a = bound("a", "node-1")
    totals.over([a])["node-1"] = 99  # the scheduler adds the pods it places to its copy
    assert totals.over([a]) == {"node-1": 1}


def test_answers_follow_changes_without_a_walk() -> None:
    """Told each change (`changed(old, new)`, as the informer tells a follower), the tally of
    answers and the objects behind them follow without another `of`."""
    derived = PerObject(phase_in)
    a, b = pod("a"), pod("b")
    derived.of([a, b], "ns")
    assert derived.tally == {"ns:Running": 2}
    failed = pod("b", "Failed")
    derived.changed(b, failed)
    derived.changed(None, pod("c", "Pending"))
    derived.changed(a, None)
    assert +derived.tally == {"ns:Failed": 1, "ns:Pending": 1}
    assert derived.objects_where(lambda answer: answer == "ns:Failed") == [failed]
    derived.changed(pod("a"), None)  # an object it never held: nothing to give back
    assert +derived.tally == {"ns:Failed": 1, "ns:Pending": 1}


def test_totals_follow_changes_without_a_walk() -> None:
    totals = Totals(on_node)
    a, b = bound("a", "node-1"), bound("b", "node-1")
    totals.relisted([a, b])
    moved = bound("b", "node-2")
    totals.changed(b, moved)
    totals.changed(None, bound("c", "node-2"))
    totals.changed(a, None)
    assert totals.totals() == {"node-2": 2}
    totals.changed(moved, bound("b", "node-2", "Succeeded"))  # finished: gives its place back
    assert totals.totals() == {"node-2": 1}


def test_totals_resumed_give_back_the_shares_of_the_objects_they_were_saved_over() -> None:
    """Sums saved and taken back over the same objects: a change gives back the old
    object's share, computed again from it, and a walk counts nothing twice."""
    a, b = bound("a", "node-1"), bound("b", "node-2")
    first = Totals(on_node)
    first.relisted([a, b])
    state = first.saved({id(a): 0, id(b): 1})
    totals = Totals(on_node)
    totals.resumed(state, [a, b])
    assert totals.totals() == {"node-1": 1, "node-2": 1}
    totals.changed(a, bound("a", "node-2"))
    assert totals.totals() == {"node-2": 2}
    c = bound("c", "node-1")
    assert totals.over([b, c]) == {"node-1": 1, "node-2": 1}  # a's new version gone


def test_decimal_sums_are_saved_as_text() -> None:
    def requests(obj: Obj) -> dict[str, Decimal]:
        return {"cpu": Decimal("0.25")}

    a = bound("a", "node-1")
    first = Totals(requests)
    first.relisted([a])
    state = first.saved({id(a): 0})
    assert marshal.loads(marshal.dumps(state)) == [("cpu", "0.25")]
    totals = Totals(requests)
    totals.resumed(state, [a])
    assert totals.totals() == {"cpu": Decimal("0.25")}


def test_answers_resumed_are_the_answers_saved() -> None:
    derived = PerObject(phase_in)
    a, b, c = pod("a"), pod("b", "Failed"), pod("c")
    derived.of([a, b, c], "ns")
    saved = derived.saved({id(a): 0, id(b): 1, id(c): 2})
    assert saved is not None
    places, answers, which = saved
    assert [answers[i] for i in which] == ["ns:Running", "ns:Failed", "ns:Running"]
    assert derived.saved({id(a): 0}) is None  # an object not in the list saved: none
    objects = [a, b, c]
    resumed = PerObject(phase_in)
    resumed.resumed("ns", [objects[p] for p in places], [answers[i] for i in which])
    assert resumed.context == "ns"
    assert resumed.tally == {"ns:Running": 2, "ns:Failed": 1}
    assert resumed.of([a, b, c], "ns") == ["ns:Running", "ns:Failed", "ns:Running"]
    assert resumed.derived == 0  # nothing derived again
