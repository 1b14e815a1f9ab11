"""Following a kind through the informer (`Informer.follow`, client-go's event handlers): a
follower is handed every object once, then each change as the old object and the new, and
the whole list again whenever the informer lists the kind again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from controlplane.models.constants import Obj
from controlplane.store import Store


def pod(name: str) -> Obj:
    return {
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"containers": [{"name": "c", "image": "i"}]},
    }


class Recorder:
    """A follower that notes what it is told, by name."""

    def __init__(self) -> None:
        self.lists: list[list[str]] = []
        self.changes: list[tuple[Obj | None, Obj | None]] = []

    def relisted(self, objects: list[Obj]) -> None:
        self.lists.append([o["metadata"]["name"] for o in objects])

    def changed(self, old: Obj | None, new: Obj | None) -> None:
        self.changes.append((old, new))


def name(obj: Obj | None) -> str | None:
    return None if obj is None else str(obj["metadata"]["name"])


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'cluster.db'}")


def open_api(store: Store) -> Api:
    api = Api(store, FakeClock(), SeededIds(7))
    if api.current_revision() == 0:
        api.create({"kind": "Namespace", "metadata": {"name": "default"}})
    return api


def follow(api: Api, follower: Any) -> bool:
    with api.snapshot(informed=True):
        return api.follow("Pod", follower)


def test_a_follower_is_told_every_object_then_each_change(store: Store) -> None:
    controllers, writer = open_api(store), open_api(store)
    writer.create(pod("a"))
    writer.create(pod("b"))
    recorder = Recorder()
    assert follow(controllers, recorder)
    assert recorder.lists == [["a", "b"]]
    with controllers.snapshot(informed=True):
        first_a = controllers.get("Pod", "default", "a")
    live = writer.get("Pod", "default", "a")
    live["metadata"]["labels"] = {"changed": "yes"}
    writer.update(live)
    writer.delete("Pod", "default", "b")
    writer.create(pod("c"))
    assert follow(controllers, recorder)  # a second follow: told the changes, not the list
    assert recorder.lists == [["a", "b"]]
    assert [(name(old), name(new)) for old, new in recorder.changes] == [
        ("a", "a"),
        ("b", None),
        (None, "c"),
    ]
    old, new = recorder.changes[0]
    assert old is first_a  # the very object the informer held before
    assert new is not None and new["metadata"]["labels"] == {"changed": "yes"}


def test_a_compacted_log_hands_followers_the_new_list(store: Store) -> None:
    controllers, writer = open_api(store), open_api(store)
    writer.create(pod("a"))
    recorder = Recorder()
    follow(controllers, recorder)
    writer.delete("Pod", "default", "a")
    writer.create(pod("b"))
    writer.compact(writer.current_revision())
    follow(controllers, recorder)
    assert recorder.lists == [["a"], ["b"]]
    assert recorder.changes == []  # the changes compacted away are not made up


def test_reads_the_informer_does_not_serve_cannot_be_followed(store: Store) -> None:
    recorder = Recorder()
    assert not open_api(store).follow("Pod", recorder)
    assert recorder.lists == []
