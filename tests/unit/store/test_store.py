"""The store contract: one gapless revision counter, CAS updates, atomic transactions."""

from __future__ import annotations

import pytest

from controlplane.models.meta import Key
from controlplane.store import Compacted, KeyExists, KeyMissing, RevisionMismatch, Store
from controlplane.store.reader import Lease


def pod(name: str, owner: str | None = None) -> dict:
    meta: dict = {"name": name, "namespace": "default", "uid": f"uid-{name}"}
    if owner:
        meta["ownerReferences"] = [
            {"uid": owner, "controller": True, "kind": "ReplicaSet", "name": "rs"}
        ]
    return {"kind": "Pod", "metadata": meta}


def test_every_write_takes_the_next_revision_without_gaps(store: Store) -> None:
    with store.transaction() as txn:
        txn.create(pod("a"))
        txn.create(pod("b"))
    with store.transaction() as txn:
        a = txn.get(Key("Pod", "default", "a"))
        assert a is not None
        txn.update(a, 1)
        txn.delete(Key("Pod", "default", "b"))
    with store.reader() as r:
        assert r.current_revision() == 4
        assert [c.revision for c in r.changes_after(0)] == [1, 2, 3, 4]
        assert [c.type for c in r.changes_after(0)] == ["ADDED", "ADDED", "MODIFIED", "DELETED"]
        assert r.get(Key("Pod", "default", "a"))["metadata"]["resourceVersion"] == "3"


def test_changes_of_unread_kinds_come_back_partial_but_deletions_and_finalizers_whole(
    store: Store,
) -> None:
    with store.transaction() as txn:
        txn.create(pod("a"))
        txn.create(pod("b"))
        held = pod("c")
        held["metadata"]["finalizers"] = ["foregroundDeletion"]
        txn.create(held)
        txn.delete(Key("Pod", "default", "b"))
    with store.reader() as r:
        whole = r.changes_after(0)
        partial = r.changes_after(0, unread_kinds={"Pod"})
        assert r.changes_after(0, unread_kinds={"Service"}) == whole
    assert [c.partial for c in partial] == [True, True, False, False]
    assert partial[0].obj == {"kind": "Pod", "metadata": {"namespace": "default", "name": "a"}}
    assert [(c.revision, c.type, c.key) for c in partial] == [
        (c.revision, c.type, c.key) for c in whole
    ]
    assert partial[2:] == whole[2:]


def test_update_with_a_stale_revision_is_refused(store: Store) -> None:
    with store.transaction() as txn:
        txn.create(pod("a"))
    with pytest.raises(RevisionMismatch), store.transaction() as txn:
        stale = txn.get(Key("Pod", "default", "a"))
        assert stale is not None
        txn.update(dict(stale), 1)
        txn.update(stale, 1)  # the first update moved it to revision 2
    with store.reader() as r:
        assert r.current_revision() == 1  # the failed transaction left nothing behind


def test_create_of_an_existing_key_and_update_of_a_missing_one_fail(store: Store) -> None:
    with store.transaction() as txn:
        txn.create(pod("a"))
    with pytest.raises(KeyExists), store.transaction() as txn:
        txn.create(pod("a"))
    with pytest.raises(KeyMissing), store.transaction() as txn:
        txn.update(pod("ghost"), None)


def test_a_failed_transaction_writes_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as txn:
        txn.create(pod("a"))
        raise RuntimeError("interrupted")
    with store.reader() as r:
        assert r.list("Pod") == []
        assert r.current_revision() == 0


def test_lists_come_in_key_order_and_by_controller(store: Store) -> None:
    with store.transaction() as txn:
        for name, owner in (("c", "rs1"), ("a", "rs1"), ("b", None), ("d", "rs2")):
            txn.create(pod(name, owner))
    with store.reader() as r:
        assert [p["metadata"]["name"] for p in r.list("Pod")] == ["a", "b", "c", "d"]
        owned = r.list("Pod", "default", controller_uid="rs1")
        assert [p["metadata"]["name"] for p in owned] == ["a", "c"]
        claimable = r.list("Pod", "default", controller_uid="rs1", include_orphans=True)
        assert [p["metadata"]["name"] for p in claimable] == ["a", "b", "c"]
        assert r.dependents("rs2") == [Key("Pod", "default", "d")]


def test_two_stores_on_one_database_see_each_others_writes(store_url: str) -> None:
    first, second = Store(store_url), Store(store_url)
    with first.transaction() as txn:
        txn.create(pod("a"))
    with second.transaction() as txn:
        txn.create(pod("b"))
    with first.reader() as r:
        assert r.current_revision() == 2
        assert [c.obj["metadata"]["name"] for c in r.changes_after(1)] == ["b"]


def test_a_name_prefix_reads_a_range_of_names(store: Store) -> None:
    with store.transaction() as txn:
        for name in ("web.17a", "web.17b", "web-1.17a", "web/x", "wea.1", "web"):
            txn.create(pod(name))
        found = txn.list_with_name_prefix("Pod", "default", "web.")
    assert [o["metadata"]["name"] for o in found] == ["web.17a", "web.17b"]


def test_a_list_by_names_returns_only_those_and_none_for_no_names(store: Store) -> None:
    with store.transaction() as txn:
        for name in ("a", "b", "c"):
            txn.create(pod(name))
    with store.reader() as r:
        assert [p["metadata"]["name"] for p in r.list("Pod", names=["c", "a", "x"])] == ["a", "c"]
        assert r.list("Pod", names=[]) == []


def test_a_lease_is_saved_then_replaced(store: Store) -> None:
    with store.transaction() as txn:
        assert txn.lease("controllers") is None
        txn.save_lease("controllers", Lease("cli-1", 1_790_000_000.25, 7, [["Pod", "a"]]))
        txn.save_lease("controllers", Lease("cli-2", 1_790_000_001.5, 9, []))
    with store.reader() as r:
        assert r.lease("controllers") == Lease("cli-2", 1_790_000_001.5, 9, [])


def test_compaction_drops_old_changes_and_a_read_before_it_says_so(store: Store) -> None:
    with store.transaction() as txn:
        for name in ("a", "b", "c"):
            txn.create(pod(name))
    with store.transaction() as txn:
        assert txn.compact(3) == 2
    with store.reader() as r:
        assert [c.revision for c in r.changes_after(2)] == [3]
        with pytest.raises(Compacted) as gone:
            r.changes_after(0)
    assert (gone.value.requested, gone.value.compacted) == (0, 2)


def test_reset_empties_the_store_back_to_revision_zero(store: Store) -> None:
    with store.transaction() as txn:
        txn.create(pod("a", owner="rs1"))
        txn.save_lease("controllers", Lease("cli-1", 1.0, 1, []))
    store.reset()
    with store.reader() as r:
        assert (r.current_revision(), r.list("Pod"), r.dependents("rs1")) == (0, [], [])
        assert r.lease("controllers") is None


def test_a_sqlite_file_is_opened_with_every_setting_engine_py_documents(store: Store) -> None:
    if store.dialect != "sqlite":
        pytest.skip("SQLite's settings")
    with store._db.transaction(write=False) as connection:
        settings = [
            connection.rows(f"PRAGMA {name}")[0][0]
            for name in ("journal_mode", "wal_autocheckpoint", "synchronous", "busy_timeout")
        ]
    assert settings == ["wal", 16_384, 1, 30_000]  # synchronous 1 is NORMAL


def test_a_reader_sees_one_snapshot_whatever_commits_meanwhile(store_url: str) -> None:
    reading, writing = Store(store_url), Store(store_url)
    with writing.transaction() as txn:
        txn.create(pod("a"))
    with reading.reader() as r:
        assert r.current_revision() == 1
        with writing.transaction() as txn:
            txn.create(pod("b"))
        assert r.current_revision() == 1 and r.get(Key("Pod", "default", "b")) is None
    with reading.reader() as r:
        assert r.current_revision() == 2
    reading.dispose()
    writing.dispose()


def test_a_delete_given_the_object_it_read_logs_the_same_last_state(store: Store) -> None:
    with store.transaction() as txn:
        txn.create(pod("a"))
        txn.create(pod("b"))
    with store.transaction() as txn:
        read = txn.get(Key("Pod", "default", "a"))
        stale = txn.get(Key("Pod", "default", "b"))
        assert read is not None and stale is not None
        txn.update(txn.get(Key("Pod", "default", "b")) or {}, None)  # `stale` is behind now
        stale["metadata"]["labels"] = {"changed": "after the read"}
        txn.delete(Key("Pod", "default", "a"), read=read)
        txn.delete(Key("Pod", "default", "b"), read=stale)
    with store.reader() as r:
        deleted = [c.obj for c in r.changes_after(3)]
    assert [o["metadata"]["resourceVersion"] for o in deleted] == ["4", "5"]
    assert deleted[0] == {**pod("a"), "metadata": {**pod("a")["metadata"], "resourceVersion": "4"}}
    assert "labels" not in deleted[1]["metadata"]  # decoded from the row, not the stale read
