"""The informer (controlplane/api/informer.py): what an informed read returns is what the store
holds in that snapshot, whoever changed it since, and objects it shares are never changed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

from controlplane.api.errors import ApiError
from controlplane.api.informer import Informer
from controlplane.api.informer_mutations import CacheMutated
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from controlplane.models.constants import Obj
from controlplane.models.meta import Change, Key, key_of
from controlplane.runtime.actions import Action
from controlplane.runtime.manager import Manager
from controlplane.store import Store

RS_UID = "rs-uid"


def pod(name: str, owner: str | None = None, namespace: str = "default", **labels: str) -> Obj:
    meta: dict[str, Any] = {"name": name, "namespace": namespace, "labels": labels}
    if owner is not None:
        meta["ownerReferences"] = [
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": "rs",
                "uid": owner,
                "controller": True,
            }
        ]
    return {"kind": "Pod", "metadata": meta, "spec": {"containers": [{"name": "c", "image": "i"}]}}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'cluster.db'}")


def open_api(store: Store, clock: FakeClock) -> Api:
    api = Api(store, clock, SeededIds(7))
    if api.current_revision() == 0:
        for namespace in ("default", "other"):
            api.create({"kind": "Namespace", "metadata": {"name": namespace}})
    return api


@pytest.fixture
def controllers(store: Store, clock: FakeClock) -> Api:
    """The API a manager reads through: its informer lives as long as it does."""
    return open_api(store, clock)


@pytest.fixture
def writer(store: Store, clock: FakeClock) -> Api:
    """Another process's API over the same store: its writes reach the first only by the log."""
    return open_api(store, clock)


def informed_list(api: Api, kind: str, namespace: str | None = None, **options: Any) -> list[Obj]:
    with api.snapshot(informed=True):
        return api.list(kind, namespace, **options)


def names(objects: Iterable[Obj]) -> list[str]:
    return [o["metadata"]["name"] for o in objects]


def test_a_second_list_in_the_same_process_reads_nothing_from_the_store(
    controllers: Api, writer: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer.create(pod("a"))
    first = informed_list(controllers, "Pod")
    for read in ("list", "list_after"):
        monkeypatch.setattr(
            f"controlplane.store.store.Reader.{read}", lambda *a, **k: pytest.fail("listed again")
        )
    again = informed_list(controllers, "Pod")
    assert [id(o) for o in again] == [id(o) for o in first]


def test_changes_by_another_writer_between_passes_are_seen(controllers: Api, writer: Api) -> None:
    writer.create(pod("a"))
    writer.create(pod("b"))
    assert names(informed_list(controllers, "Pod")) == ["a", "b"]
    live = writer.get("Pod", "default", "a")
    live["metadata"]["labels"] = {"changed": "yes"}
    updated = writer.update(live)
    writer.delete("Pod", "default", "b")
    writer.create(pod("c"))
    with controllers.snapshot(informed=True):
        listed = controllers.list("Pod")
        got = controllers.get("Pod", "default", "a")
        with pytest.raises(ApiError, match="not found"):
            controllers.get("Pod", "default", "b")
    assert names(listed) == ["a", "c"]
    assert listed[0]["metadata"]["labels"] == {"changed": "yes"}
    assert got["metadata"]["resourceVersion"] == updated["metadata"]["resourceVersion"]


def test_an_informed_snapshot_reads_at_one_revision(controllers: Api, writer: Api) -> None:
    """A write that commits while a pass runs is not half-seen by it: the pass's snapshot
    started before, and the next pass sees all of it."""
    writer.create(pod("a"))
    informed_list(controllers, "Pod")
    with controllers.snapshot(informed=True):
        before = controllers.list("Pod")
        writer.create(pod("b"))
        assert names(controllers.list("Pod")) == names(before) == ["a"]
    assert names(informed_list(controllers, "Pod")) == ["a", "b"]


@pytest.mark.parametrize("by_controller_first", [False, True])
def test_filters_and_order_are_the_stores(
    controllers: Api, writer: Api, by_controller_first: bool
) -> None:
    """The index by controller is made at the first list by controller: before the changes
    below, which keep it current, or after them."""
    for name, owner, namespace in [
        ("d", RS_UID, "default"),
        ("b", None, "default"),
        ("a", RS_UID, "other"),
        ("c", "another", "default"),
        ("e", RS_UID, "default"),
    ]:
        writer.create(pod(name, owner, namespace, app="web"))
    first = {"controller_uid": RS_UID} if by_controller_first else {}
    informed_list(controllers, "Pod", **first)  # cached from here on
    adopted = writer.get("Pod", "default", "b")  # an orphan adopted, an owned pod released
    adopted["metadata"]["ownerReferences"] = pod("b", RS_UID)["metadata"]["ownerReferences"]
    writer.update(adopted)
    released = writer.get("Pod", "default", "e")
    released["metadata"]["ownerReferences"] = []
    writer.update(released)
    queries: list[dict[str, Any]] = [
        {},
        {"namespace": "default"},
        {"controller_uid": RS_UID},
        {"namespace": "default", "controller_uid": RS_UID},
        {"namespace": "default", "controller_uid": RS_UID, "include_orphans": True},
        {"controller_uid": "another", "include_orphans": True},
        {"label_selector": {"matchLabels": {"app": "web"}}},
    ]
    for query in queries:
        options = {k: v for k, v in query.items() if k != "namespace"}
        assert names(informed_list(controllers, "Pod", query.get("namespace"), **options)) == (
            names(writer.list("Pod", query.get("namespace"), **options))
        ), query


def test_a_compacted_log_makes_it_list_again(controllers: Api, writer: Api) -> None:
    writer.create(pod("a"))
    assert names(informed_list(controllers, "Pod")) == ["a"]
    writer.delete("Pod", "default", "a")
    writer.create(pod("b"))
    writer.compact(writer.current_revision())
    assert names(informed_list(controllers, "Pod")) == ["b"]


def test_reads_outside_an_informed_snapshot_get_their_own_copies(controllers: Api) -> None:
    controllers.create(pod("a"))
    shared = informed_list(controllers, "Pod")[0]
    with controllers.snapshot():
        own = controllers.get("Pod", "default", "a")
    own["metadata"]["labels"]["edited"] = "by a command"
    assert own is not shared
    assert "edited" not in informed_list(controllers, "Pod")[0]["metadata"]["labels"]


def test_a_changed_object_is_caught_by_the_mutation_detector(controllers: Api) -> None:
    controllers.create(pod("a"))
    informer = Informer(detect_mutations=True)
    controllers._informer = informer
    listed = informed_list(controllers, "Pod")
    listed[0]["metadata"]["labels"]["oops"] = "changed in place"
    with pytest.raises(CacheMutated, match="Pod default/a was changed"):
        informed_list(controllers, "Pod")


class Relabeler:
    """A controller with the bug the detector exists for: it edits what it listed."""

    name = "relabeler"

    def __init__(self, api: Api) -> None:
        self.api = api

    def keys_for(self, change: Change) -> Iterable[Key]:
        return [key_of(change.obj)] if change.obj["kind"] == "Pod" else []

    def reconcile(self, keys: Sequence[Key]) -> list[Action]:
        for obj in self.api.list("Pod"):
            obj["metadata"]["labels"]["seen"] = "yes"
        return []


def test_a_controller_that_edits_what_it_listed_fails_the_manager(controllers: Api) -> None:
    controllers._informer = Informer(detect_mutations=True)
    manager = Manager(controllers, [Relabeler(controllers)])
    controllers.create(pod("a"))
    with pytest.raises(CacheMutated):
        manager.run_until_settled()


def test_an_emptied_store_is_listed_again(controllers: Api, writer: Api) -> None:
    writer.create(pod("a"))
    writer.create(pod("b"))
    assert names(informed_list(controllers, "Pod")) == ["a", "b"]
    writer.store.reset()
    assert informed_list(controllers, "Pod") == []


def test_changes_read_past_a_gap_are_not_taken_for_all_of_them(
    controllers: Api, writer: Api
) -> None:
    """The manager's reads of the log feed the informer only when they continue from its
    revision: a read that starts later must not let it skip the changes in between."""
    writer.create(pod("a"))
    writer.create(pod("b"))
    informed_list(controllers, "Pod")
    cached_at = controllers.current_revision()
    live = writer.get("Pod", "default", "a")
    live["metadata"]["labels"] = {"changed": "yes"}
    writer.update(live)  # cached_at + 1, not read below
    writer.delete("Pod", "default", "b")  # cached_at + 2
    with controllers.snapshot(informed=True):
        assert [c.type for c in controllers.changes_after(cached_at + 1)] == ["DELETED"]
        listed = controllers.list("Pod")
    assert names(listed) == ["a"]
    assert listed[0]["metadata"]["labels"] == {"changed": "yes"}
