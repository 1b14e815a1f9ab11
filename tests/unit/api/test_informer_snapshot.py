"""The informer saved for the next process (controlplane/api/informer_snapshot.py): a new
informer resumes from it without listing, sees every change made since, and lists again
when the store's log no longer continues from it (compacted past it, or a reset store)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from controlplane.api import informer_snapshot
from controlplane.api.informer import Informer
from controlplane.api.informer_mutations import CacheMutated
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.cluster import Cluster
from controlplane.ids import SeededIds
from controlplane.models.constants import Obj
from controlplane.models.node_registration import registered_node
from controlplane.store import Store
from controlplane.store.reader import Reader
from tests.scenarios.test_control_plane import deployment

RS_UID = "rs-uid"


def pod(name: str, **labels: str) -> Obj:
    return {
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": "default",
            "labels": {"app": "web", **labels},
            "ownerReferences": [
                {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": RS_UID}
            ],
        },
        "spec": {"containers": [{"name": "web", "image": "nginx:1.14.2"}]},
    }


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
    for name in ("a", "b", "c"):
        api.create(pod(name))
    return api


def saved(store: Store, path: Path) -> Informer:
    """An informer that has listed pods and saved itself at `path`."""
    informer = Informer(detect_mutations=True)
    with store.reader() as reader:
        informer.sync(reader)
        informer.list(reader, "Pod", None, None, False)
        assert informer.save(reader, path)
    return informer


class NoLists(Reader):
    """A reader that fails any list: what a resumed informer must not need."""

    def list_after(self, *args: Any, **kwargs: Any) -> list[Obj]:
        pytest.fail("the informer listed from the store")


def resumed(store: Store, path: Path, *, lists: bool = False) -> tuple[Informer, list[Obj]]:
    """A new informer resumed from `path` (or not), and the pods it then lists."""
    informer = Informer(detect_mutations=True)
    with store.reader() as reader:
        if not lists:
            reader = NoLists(reader._conn)
        informer.resume(reader, path)
        informer.sync(reader)
        return informer, informer.list(reader, "Pod", None, None, False)


def stored_pods(store: Store) -> list[Obj]:
    with store.reader() as reader:
        return [informer_snapshot_kept(p) for p in reader.list("Pod")]


def informer_snapshot_kept(obj: Obj) -> Obj:
    meta = {k: v for k, v in obj["metadata"].items() if k != "managedFields"}
    return {**obj, "metadata": meta}


def test_a_new_informer_resumes_from_the_snapshot_without_listing(
    writer: Api, store: Store, path: Path
) -> None:
    first = saved(store, path)
    with store.reader() as reader:
        before = first.list(reader, "Pod", None, None, False)
    informer, pods = resumed(store, path)
    assert pods == before == stored_pods(store)
    assert informer.revision == first.revision


def test_every_change_since_the_snapshot_is_applied(writer: Api, store: Store, path: Path) -> None:
    saved(store, path)
    live = writer.get("Pod", "default", "a")
    live["metadata"]["labels"]["changed"] = "yes"
    writer.update(live)
    writer.delete("Pod", "default", "b")
    writer.create(pod("d"))
    informer, pods = resumed(store, path)
    assert [p["metadata"]["name"] for p in pods] == ["a", "c", "d"]
    assert pods == stored_pods(store)
    assert informer.revision == writer.current_revision()


def test_a_log_compacted_past_the_snapshot_makes_it_list_again(
    writer: Api, store: Store, path: Path
) -> None:
    saved(store, path)
    writer.delete("Pod", "default", "a")
    writer.create(pod("e"))
    writer.compact(writer.current_revision())  # the change at the snapshot's revision: gone
    with pytest.raises(pytest.fail.Exception, match="listed"):
        resumed(store, path)
    _, pods = resumed(store, path, lists=True)
    assert [p["metadata"]["name"] for p in pods] == ["b", "c", "e"]


def test_a_reset_store_is_listed_again_even_past_the_snapshots_revision(
    writer: Api, store: Store, path: Path, clock: FakeClock
) -> None:
    first = saved(store, path)
    store.reset()
    again = Api(store, clock, SeededIds(8))
    again.create({"kind": "Namespace", "metadata": {"name": "default"}})
    for name in ("x", "y", "z", "w"):
        again.create(pod(name))
    assert again.current_revision() > first.revision  # the old revision exists again
    informer = Informer()
    with store.reader() as reader:
        assert not informer.resume(reader, path)
    _, pods = resumed(store, path, lists=True)
    assert [p["metadata"]["name"] for p in pods] == ["w", "x", "y", "z"]


def test_resetting_the_store_through_the_api_removes_the_snapshot(
    writer: Api, store: Store, path: Path
) -> None:
    saved(store, path)
    writer.reset_store()
    assert not path.exists()


def test_parts_shared_between_objects_stay_shared_once_loaded(
    writer: Api, store: Store, path: Path
) -> None:
    saved(store, path)
    _, pods = resumed(store, path)
    a, b, c = pods
    assert a["spec"]["containers"] is b["spec"]["containers"] is c["spec"]["containers"]
    assert a["metadata"]["ownerReferences"] is b["metadata"]["ownerReferences"]


@pytest.mark.parametrize("damage", ["foreign", "truncated", "other format", "empty"])
def test_a_file_it_cannot_read_is_ignored(
    writer: Api, store: Store, path: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved(store, path)
    whole = path.read_bytes()
    if damage == "foreign":
        path.write_bytes(b"not a snapshot at all" * 100)
    elif damage == "truncated":
        path.write_bytes(whole[: len(whole) - 40])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        monkeypatch.setattr(informer_snapshot, "FORMAT", informer_snapshot.FORMAT + 1)
    assert informer_snapshot.load(path) is None
    _, pods = resumed(store, path, lists=True)
    assert pods == stored_pods(store)


def test_the_file_is_private_and_replaced_whole(writer: Api, store: Store, path: Path) -> None:
    old = os.umask(0)
    try:
        saved(store, path)
        saved(store, path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir() if "informer" in p.name] == [path.name]


def test_a_store_in_no_file_of_its_own_keeps_no_snapshot() -> None:
    assert informer_snapshot.snapshot_file(None) is None
    assert informer_snapshot.snapshot_file("/x/cluster.informer") is None  # never the store
    assert informer_snapshot.snapshot_file("/x/cluster.db") == Path("/x/cluster.informer")
    assert Store("sqlite://").file is None


def test_it_is_saved_when_it_would_spare_the_next_process_much_reading(
    writer: Api, store: Store, path: Path
) -> None:
    def worth_saving(informer: Informer) -> bool:
        with store.reader() as reader:
            return informer.worth_saving(reader)

    listed = saved(store, path)
    assert worth_saving(listed)  # it listed every pod: the next need not
    informer, _ = resumed(store, path)
    assert not worth_saving(informer)  # nothing new since
    writer.create(pod("d"))
    informer, _ = resumed(store, path)
    assert worth_saving(informer)  # one change read: more than a thirty-second of 3 pods


def test_it_is_saved_anew_when_the_log_is_compacted_past_the_one_it_resumed_from(
    writer: Api, store: Store, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Few changes since, but the snapshot it resumed from is no longer usable: the command
    that compacts saves, so the next command need not list."""
    monkeypatch.setattr("controlplane.api.informer.SAVE_AFTER_SHARE", 0)  # never for reads
    saved(store, path)
    informer, _ = resumed(store, path)
    with store.reader() as reader:
        assert not informer.worth_saving(reader)
    writer.create(pod("d"))
    writer.compact(writer.current_revision())
    with store.reader() as reader:
        informer.sync(reader)
        assert informer.worth_saving(reader)
        assert informer.save(reader, path)
    _, pods = resumed(store, path)  # without listing
    assert [p["metadata"]["name"] for p in pods] == ["a", "b", "c", "d"]


def test_each_embedded_command_resumes_from_the_last(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three commands over one store, each a new API and controllers: the first lists and
    saves, the next heal a deleted pod from the snapshot, without listing pods."""
    url = f"sqlite:///{tmp_path / 'cluster.db'}"

    def command() -> Cluster:
        api = Api(Store(url), clock, SeededIds(len(listed) + 1))
        if api.current_revision() == 0:
            api.create({"kind": "Namespace", "metadata": {"name": "default"}})
            api.create(registered_node("node-1", 0, clock.now()))
        return Cluster(api)

    listed: list[str] = []
    listing = Informer._listed

    def recorded(self: Informer, reader: Reader, kind: str) -> Any:
        listed.append(kind)
        return listing(self, reader, kind)

    monkeypatch.setattr(Informer, "_listed", recorded)
    first = command()
    first.api.create(deployment(3))
    first.settle()
    assert "Pod" in listed and (tmp_path / "cluster.informer").exists()
    for _ in range(2):
        listed.clear()
        cluster = command()
        victim = cluster.api.list("Pod", "default")[0]["metadata"]["name"]
        cluster.api.delete("Pod", "default", victim)
        cluster.settle()
        pods = cluster.api.list("Pod", "default")
        assert victim not in [p["metadata"]["name"] for p in pods]
        assert [p["status"]["phase"] for p in pods] == ["Running"] * 3
        assert "Pod" not in listed


def test_objects_resumed_are_guarded_by_the_mutation_detector(
    writer: Api, store: Store, path: Path
) -> None:
    saved(store, path)
    informer, pods = resumed(store, path)
    pods[0]["metadata"]["labels"]["oops"] = "changed in place"
    with pytest.raises(CacheMutated, match="Pod default/a was changed"):
        informer.check()


def test_a_snapshot_further_behind_than_it_holds_objects_is_listed_instead(
    writer: Api, store: Store, path: Path
) -> None:
    saved(store, path)  # three pods
    for name in ("d", "e", "f", "g"):
        writer.create(pod(name))  # four changes since: more than it holds
    informer = Informer()
    with store.reader() as reader:
        assert not informer.resume(reader, path)
    _, pods = resumed(store, path, lists=True)
    assert pods == stored_pods(store)
