"""The manager's queue, turns, delays and retries, driven by a controller that only records
what it is asked (after client-go's workqueue as kube-controller-manager's controllers use
it: a key queued twice runs once, a failing key is retried with a limit, a delayed key
waits for its time)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import pytest

from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.models.constants import Obj
from controlplane.models.meta import Change, Key, key_of
from controlplane.runtime.actions import Action, RequeueAfter
from controlplane.runtime.manager import MAX_RETRIES, Manager


class Recorder:
    """Wakes on every ConfigMap; answers each pass with what `plan` says for its keys."""

    def __init__(self, name: str, plan: Callable[[Sequence[Key]], list[Action]]) -> None:
        self.name = name
        self.plan = plan
        self.passes: list[list[str]] = []

    def keys_for(self, change: Change) -> Iterable[Key]:
        return [key_of(change.obj)] if change.obj["kind"] == "ConfigMap" else []

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        self.passes.append([k.name for k in keys])
        return self.plan(keys)


def config_map(name: str) -> Obj:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}


def nothing(keys: Sequence[Key]) -> list[Action]:
    return []


def test_changes_are_batched_per_controller_and_controllers_take_turns(api: Api) -> None:
    first, second = Recorder("first", nothing), Recorder("second", nothing)
    manager = Manager(api, [first, second])
    for name in ("a", "b", "a-again"):
        api.create(config_map(name))
    api.patch("ConfigMap", "default", "a", {"data": {"x": "1"}}, "merge")  # queued twice
    assert manager.run_until_settled() == 2
    assert first.passes == [["a", "b", "a-again"]]
    assert second.passes == [["a", "b", "a-again"]]


def test_a_settled_cluster_is_not_reconciled_again(api: Api) -> None:
    recorder = Recorder("only", nothing)
    api.create(config_map("a"))
    Manager(api, [recorder]).run_until_settled()
    revision = api.current_revision()
    assert Manager(api, [recorder]).run_until_settled() == 0
    assert api.current_revision() == revision
    assert recorder.passes == [["a"]]


def test_a_delayed_key_runs_once_its_time_has_come_even_in_the_next_process(
    api: Api, clock: FakeClock
) -> None:
    def later(keys: Sequence[Key]) -> list[Action]:
        return [RequeueAfter(k, 30) for k in keys]

    first = Recorder("delays", later)
    api.create(config_map("a"))
    Manager(api, [first]).run_until_settled()
    clock.advance(29)
    assert Manager(api, [first]).run_until_settled() == 0
    clock.advance(1)
    second = Recorder("delays", nothing)
    assert Manager(api, [second]).run_until_settled() == 1
    assert (first.passes, second.passes) == ([["a"]], [["a"]])


FAILURES = [
    ("one failing key: the others go through", {"b"}, [["a", "b", "c"], ["a"], ["b"], ["c"]]),
    ("no failing key: one pass", set(), [["a", "b", "c"]]),
]


@pytest.mark.parametrize(
    ("failing", "passes"), [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES]
)
def test_an_api_error_in_a_batch_is_found_and_retried_alone(
    api: Api, failing: set[str], passes: list[list[str]]
) -> None:
    def refuse(keys: Sequence[Key]) -> list[Action]:
        if any(k.name in failing for k in keys):
            raise ApiError("Conflict", 409, "the object has been modified")
        return []

    recorder = Recorder("refuses", refuse)
    for name in ("a", "b", "c"):
        api.create(config_map(name))
    Manager(api, [recorder]).run_until_settled()
    retries = [["b"]] * MAX_RETRIES if failing else []
    assert recorder.passes == passes + retries
