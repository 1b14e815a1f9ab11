"""The informer copies what its own process writes (controlplane/api/informer.py
`copy_written`): reading those changes back from the log does not decode them, and what the
controllers and the informer get is what decoding would have given, without managedFields."""

from __future__ import annotations

from pathlib import Path

import pytest

from controlplane.api.transform import without_managed_fields
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from controlplane.models.constants import Obj
from controlplane.models.meta import Change
from controlplane.store import Store


def pod(name: str) -> Obj:
    return {
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "c", "image": "i"}]},
    }


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'cluster.db'}")


@pytest.fixture
def api(store: Store) -> Api:
    """The controllers' API, its informer caching pods."""
    api = Api(store, FakeClock(), SeededIds(7))
    api.create({"kind": "Namespace", "metadata": {"name": "default"}})
    with api.snapshot(informed=True):
        api.list("Pod")
    return api


def read_changes(api: Api, after: int) -> list[Change]:
    with api.snapshot(informed=True):
        return api.changes_after(after)


def decoded(store: Store, after: int) -> list[Change]:
    """The same changes from another process's API: decoded from the log."""
    return Api(store, FakeClock(), SeededIds(8)).changes_after(after)


def test_own_writes_come_back_as_copies_equal_to_the_log(api: Api, store: Store) -> None:
    start = api.current_revision()
    created = api.create(pod("a"))
    created["metadata"]["labels"]["edited"] = "after the write"  # the caller's own object
    live = api.get("Pod", "default", "a")
    live["metadata"]["labels"]["tier"] = "front"
    api.update(live)
    api.delete("Pod", "default", "a")
    changes = read_changes(api, start)
    assert [(c.type, c.kept) for c in changes] == [
        ("ADDED", True),
        ("MODIFIED", True),
        ("DELETED", True),
    ]
    from_log = decoded(store, start)
    assert [c.obj for c in changes] == [without_managed_fields(c.obj) for c in from_log]
    assert "managedFields" in from_log[0].obj["metadata"]
    assert api._informer is not None and not api._informer.copies  # handed out once


def test_the_informer_keeps_the_copy_it_handed_out(api: Api) -> None:
    start = api.current_revision()
    api.create(pod("a"))
    (change,) = read_changes(api, start)
    with api.snapshot(informed=True):
        assert api.get("Pod", "default", "a") is change.obj


def test_a_write_rolled_back_leaves_no_copy(api: Api) -> None:
    start = api.current_revision()
    with pytest.raises(RuntimeError), api.batch():
        api.create(pod("a"))
        raise RuntimeError("the pass failed")
    assert api._informer is not None and not api._informer.copies
    api.create(pod("b"))  # takes the revision the rolled back write had
    (change,) = read_changes(api, start)
    assert change.kept and change.obj["metadata"]["name"] == "b"


def test_another_process_writes_are_decoded(api: Api, store: Store) -> None:
    start = api.current_revision()
    Api(store, FakeClock(), SeededIds(9)).create(pod("a"))
    (change,) = read_changes(api, start)
    assert not change.kept and "managedFields" in change.obj["metadata"]


def test_what_json_would_not_give_back_is_not_copied(api: Api) -> None:
    informer = api._informer
    assert informer is not None
    assert informer.copy_written(pod("a")) == pod("a")
    assert informer.copy_written({**pod("a"), "spec": {"containers": ("c",)}}) is None
    assert informer.copy_written({**pod("a"), "spec": {1: "not a string key"}}) is None
    assert informer.copy_written({"kind": "Event", "metadata": {"name": "e"}}) is None
