"""What a write transaction remembers of its rows: a namespace looked at once per revision,
and the ownerReferences an update compares without decoding the stored row again."""

from __future__ import annotations

from controlplane.models.meta import Key
from controlplane.store import Store

NS = Key("Namespace", "", "team")


def namespace(phase: str) -> dict:
    return {
        "kind": "Namespace",
        "metadata": {"name": "team", "uid": "ns"},
        "status": {"phase": phase},
    }


def owned_pod(owner: str) -> dict:
    ref = {"uid": owner, "controller": True, "kind": "ReplicaSet", "name": owner}
    meta = {"name": "p", "namespace": "team", "uid": "p", "ownerReferences": [ref]}
    return {"kind": "Pod", "metadata": meta}


def test_a_peek_sees_each_new_revision_of_the_row_within_one_transaction(store: Store) -> None:
    with store.transaction() as txn:
        assert txn.peek(NS) is None
        txn.create(namespace("Active"))
        assert txn.peek(NS)["status"]["phase"] == "Active"
        terminating = txn.get(NS)
        terminating["status"]["phase"] = "Terminating"
        txn.update(terminating, None)
        assert txn.peek(NS)["status"]["phase"] == "Terminating"
        txn.delete(NS)
        assert txn.peek(NS) is None


def test_an_update_after_a_get_rewrites_changed_owner_references(store: Store) -> None:
    with store.transaction() as txn:
        txn.create(owned_pod("rs1"))
    with store.transaction() as txn:
        stored = txn.get(Key("Pod", "team", "p"))
        stored["metadata"]["ownerReferences"][0]["uid"] = "rs2"  # the caller edits in place
        txn.update(stored, int(stored["metadata"]["resourceVersion"]))
    with store.reader() as r:
        assert (r.dependents("rs1"), r.dependents("rs2")) == ([], [Key("Pod", "team", "p")])
    with store.transaction() as txn:  # an update with no get before it reads the row
        txn.update(owned_pod("rs3"), None)
    with store.reader() as r:
        assert (r.dependents("rs1"), r.dependents("rs2")) == ([], [])
        assert r.dependents("rs3") == [Key("Pod", "team", "p")]


def test_an_update_that_keeps_owner_references_keeps_the_dependents(store: Store) -> None:
    with store.transaction() as txn:
        txn.create(owned_pod("rs1"))
        again = txn.get(Key("Pod", "team", "p"))
        again["metadata"]["labels"] = {"a": "b"}
        txn.update(again, None)
    with store.reader() as r:
        assert r.dependents("rs1") == [Key("Pod", "team", "p")]
