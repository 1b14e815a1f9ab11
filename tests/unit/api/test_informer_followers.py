"""Followers' states saved with the informer (controlplane/api/informer_followers.py): the
next process's follower starts from its state instead of walking the kind, and is told
every change since the snapshot, those applied before it registered included; it walks the
kind as before when the state is missing, cannot be taken, is outgrown by the changes, or
the informer lists the kind again."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from controlplane.api import informer_snapshot
from controlplane.api.informer import Informer
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from controlplane.models.constants import Obj
from controlplane.models.node_registration import registered_node
from controlplane.store import Store


def pod(name: str) -> Obj:
    """A new pod: Pending."""
    return {
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"containers": [{"name": "c", "image": "i"}]},
    }


class Phases:
    """A follower that counts the pods of each phase and saves its count, as the scheduler
    and the ReplicaSet controller save theirs: plain data, objects by place."""

    saved_as = "phases"

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.names: dict[int, str] = {}  # id(pod) -> name: the objects it was told of
        self.walks = 0
        self.told: list[tuple[str | None, str | None]] = []

    def relisted(self, objects: list[Obj]) -> None:
        self.walks += 1
        self.counts, self.names = {}, {}
        for obj in objects:
            self._count(obj, 1)

    def changed(self, old: Obj | None, new: Obj | None) -> None:
        self.told.append((name(old), name(new)))
        if old is not None:
            assert self.names.pop(id(old)) == name(old), "told of an object it never held"
            self._count(old, -1)
        if new is not None:
            self._count(new, 1)

    def saved(self, position: Mapping[int, int]) -> Any:
        return (self.counts, sorted(position[ident] for ident in self.names))

    def resumed(self, state: Any, objects: list[Obj]) -> None:
        counts, places = state
        self.counts = dict(counts)
        self.names = {id(objects[p]): name(objects[p]) for p in places}

    def _count(self, obj: Obj, sign: int) -> None:
        phase = obj["status"]["phase"]
        self.counts[phase] = self.counts.get(phase, 0) + sign
        if sign > 0:
            self.names[id(obj)] = name(obj)


def name(obj: Obj | None) -> str | None:
    return None if obj is None else str(obj["metadata"]["name"])


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'cluster.db'}")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "cluster.informer"


@pytest.fixture
def writer(store: Store, clock: FakeClock) -> Api:
    api = Api(store, clock, SeededIds(7))
    api.create({"kind": "Namespace", "metadata": {"name": "default"}})
    for pod_name in ("a", "b", "c", "d"):
        api.create(pod(pod_name))
        set_phase(api, pod_name, "Running")
    return api


def followed(store: Store, path: Path | None = None) -> tuple[Informer, Phases]:
    """A new informer (resumed from `path` if given) and a follower of its pods."""
    informer, follower = Informer(detect_mutations=True), Phases()
    with store.reader() as reader:
        if path is not None:
            informer.resume(reader, path)
        informer.sync(reader)
        informer.follow(reader, "Pod", follower)
    return informer, follower


def save(informer: Informer, store: Store, path: Path) -> None:
    with store.reader() as reader:
        informer.sync(reader)
        assert informer.save(reader, path)


def set_phase(api: Api, pod_name: str, phase: str) -> None:
    live = api.get("Pod", "default", pod_name)
    api.update_status({**live, "status": {"phase": phase}})


def test_a_follower_resumes_its_state_and_is_told_every_change_since(
    writer: Api, store: Store, path: Path
) -> None:
    first, _ = followed(store)
    save(first, store, path)
    set_phase(writer, "a", "Failed")
    writer.delete("Pod", "default", "b")
    writer.create(pod("e"))
    _, follower = followed(store, path)
    assert follower.walks == 0
    assert follower.told == [("a", "a"), ("b", None), (None, "e")]
    assert follower.counts == {"Running": 2, "Failed": 1, "Pending": 1}
    assert follower.counts == walked(store)


def walked(store: Store) -> dict[str, int]:
    """What a follower that walks every pod counts."""
    _, fresh = followed(store)
    assert fresh.walks == 1
    return {phase: n for phase, n in fresh.counts.items() if n}


def test_changes_applied_before_the_follower_registers_are_told_once(
    writer: Api, store: Store, path: Path
) -> None:
    """The informer applies changes as it syncs, before any follower asks; then a follower
    registers and is told those; the changes after it registered come as they are made."""
    first, _ = followed(store)
    save(first, store, path)
    informer = Informer(detect_mutations=True)
    with store.reader() as reader:
        assert informer.resume(reader, path)
    set_phase(writer, "c", "Succeeded")
    with store.reader() as reader:
        informer.sync(reader)  # applied, with no follower yet
    follower = Phases()
    with store.reader() as reader:
        informer.follow(reader, "Pod", follower)
    set_phase(writer, "d", "Failed")
    with store.reader() as reader:
        informer.sync(reader)
    assert follower.walks == 0
    assert follower.told == [("c", "c"), ("d", "d")]
    assert follower.counts == walked(store) == {"Running": 2, "Succeeded": 1, "Failed": 1}


def test_the_saved_state_is_the_followers_at_the_informers_revision(
    writer: Api, store: Store, path: Path
) -> None:
    """Saved again after changes, the state carries them: the next resumes it, told none."""
    first, _ = followed(store)
    save(first, store, path)
    informer, _ = followed(store, path)
    set_phase(writer, "a", "Failed")
    save(informer, store, path)
    _, again = followed(store, path)
    assert (again.walks, again.told) == (0, [])
    assert again.counts == {"Running": 3, "Failed": 1}


def test_without_a_saved_state_it_walks_and_the_next_snapshot_is_worth_saving(
    writer: Api, store: Store, path: Path
) -> None:
    listed = Informer()
    with store.reader() as reader:
        listed.sync(reader)
        listed.list(reader, "Pod", None, None, False)  # no follower: no state saved
        assert listed.save(reader, path)
    informer, follower = followed(store, path)
    assert follower.walks == 1
    with store.reader() as reader:
        assert informer.worth_saving(reader)  # else each next process would walk again
        informer.save(reader, path)
    _, again = followed(store, path)
    assert again.walks == 0


def test_a_state_of_another_shape_is_walked_instead(writer: Api, store: Store, path: Path) -> None:
    first, _ = followed(store)
    save(first, store, path)
    snapshot = informer_snapshot.load(path)
    assert snapshot is not None and snapshot.followers["Pod"]["phases"]
    snapshot.followers["Pod"]["phases"] = ({"Running": 4}, [0, 1, 2, 99])  # no pod 99
    informer_snapshot.save(path, snapshot)
    _, follower = followed(store, path)
    assert follower.walks == 1
    assert follower.counts == {"Running": 4}


def test_more_changes_than_objects_are_walked_instead_of_told(
    writer: Api, store: Store, path: Path
) -> None:
    first, _ = followed(store)
    save(first, store, path)
    informer = Informer(detect_mutations=True)
    with store.reader() as reader:
        assert informer.resume(reader, path)
    for pod_name in "abcd":
        set_phase(writer, pod_name, "Failed")
    writer.create(pod("e"))  # five changes since, four pods saved
    with store.reader() as reader:
        informer.sync(reader)
        follower = Phases()
        informer.follow(reader, "Pod", follower)
    assert (follower.walks, follower.told) == (1, [])
    assert follower.counts == {"Failed": 4, "Pending": 1}


def test_a_relist_drops_the_saved_states(writer: Api, store: Store, path: Path) -> None:
    first, _ = followed(store)
    save(first, store, path)
    informer = Informer(detect_mutations=True)
    with store.reader() as reader:
        assert informer.resume(reader, path)
    writer.delete("Pod", "default", "a")
    writer.create(pod("e"))
    writer.compact(writer.current_revision())  # the change after the informer's: gone
    with store.reader() as reader:
        informer.sync(reader)
        follower = Phases()
        informer.follow(reader, "Pod", follower)
    assert (follower.walks, follower.told) == (1, [])
    assert follower.counts == {"Running": 3, "Pending": 1}


def test_a_state_not_taken_is_saved_again_while_its_kind_is_unchanged(
    writer: Api, store: Store, path: Path
) -> None:
    """A command whose follower never ran keeps the state for the next, if nothing of the
    kind changed; if something did, the state is dropped and the next walks."""
    first, _ = followed(store)
    save(first, store, path)
    writer.create(registered_node("node-1", 0, 0.0))
    informer = Informer()
    with store.reader() as reader:
        informer.resume(reader, path)
        informer.sync(reader)
        informer.list(reader, "Node", None, None, False)
        informer.save(reader, path)
    _, follower = followed(store, path)
    assert (follower.walks, follower.counts) == (0, {"Running": 4})
    informer = Informer()
    with store.reader() as reader:
        informer.resume(reader, path)
    writer.create(pod("e"))
    with store.reader() as reader:
        informer.sync(reader)
        informer.save(reader, path)
    _, follower = followed(store, path)
    assert (follower.walks, follower.counts) == (1, {"Running": 4, "Pending": 1})
