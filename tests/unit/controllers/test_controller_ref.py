"""The one ControllerRefManager (`claim_objects`) and the one collector of a sync's writes
(`SyncWrites`), which every claiming controller shares."""

from __future__ import annotations

from typing import Any

import pytest

from controlplane.controllers.controller_ref import claim_objects
from controlplane.controllers.sync_writes import SyncWrites
from controlplane.models.constants import Obj
from controlplane.models.meta import Key
from controlplane.runtime import actions as act

OWNER_UID = "owner-uid"


def owner(deleting: bool = False) -> Obj:
    meta: dict[str, Any] = {"name": "web", "namespace": "default", "uid": OWNER_UID}
    if deleting:
        meta["deletionTimestamp"] = "2024-01-01T00:00:00Z"
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": meta,
        "spec": {"selector": {"matchLabels": {"app": "web"}}},
    }


def ref(uid: str) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "name": "x",
        "uid": uid,
        "controller": True,
    }


def pod(
    labels: dict[str, str],
    controller: str | None = None,
    phase: str = "Running",
    deleting: bool = False,
    namespace: str = "default",
) -> Obj:
    meta: dict[str, Any] = {"name": "p", "namespace": namespace, "uid": "p-uid", "labels": labels}
    if controller is not None:
        meta["ownerReferences"] = [ref(controller)]
    if deleting:
        meta["deletionTimestamp"] = "2024-01-01T00:00:00Z"
    return {"kind": "Pod", "metadata": meta, "status": {"phase": phase}}


WEB, OTHER = {"app": "web"}, {"app": "other"}

# (case, the owner is being deleted, the candidate, claimed, what the claim writes)
CLAIMS = [
    ("ours and matching: claimed", False, pod(WEB, OWNER_UID), True, None),
    ("ours, no longer matching: released", False, pod(OTHER, OWNER_UID), False, "released"),
    ("ours, not matching, owner deleting: kept", True, pod(OTHER, OWNER_UID), False, None),
    ("ours, not matching, pod finished: kept", False, pod(OTHER, OWNER_UID, "Failed"), False, None),
    ("matching orphan: adopted", False, pod(WEB), True, "adopted"),
    ("matching orphan, owner deleting: left", True, pod(WEB), False, None),
    ("matching orphan being deleted: left", False, pod(WEB, deleting=True), False, None),
    ("matching orphan that finished: left", False, pod(WEB, phase="Succeeded"), False, None),
    ("orphan not matching: left", False, pod(OTHER), False, None),
    ("another controller's: ignored", False, pod(WEB, "someone-else"), False, None),
    ("another namespace's: ignored", False, pod(WEB, namespace="kube-system"), False, None),
]


@pytest.mark.parametrize(
    ("deleting", "candidate", "claimed", "written"),
    [c[1:] for c in CLAIMS],
    ids=[c[0] for c in CLAIMS],
)
def test_claim_objects_adopts_releases_and_ignores_as_upstream(
    deleting: bool, candidate: Obj, claimed: bool, written: str | None
) -> None:
    plan = SyncWrites(owner(deleting), "replicaset-controller", 0.0)
    got = claim_objects(plan, [candidate])
    assert bool(got) == claimed
    writes = plan.actions()
    if written is None:
        assert writes == []
        return
    (update,) = writes
    assert isinstance(update, act.Update)
    uids = [r["uid"] for r in update.obj["metadata"].get("ownerReferences") or []]
    assert uids == ([OWNER_UID] if written == "adopted" else [])
    assert candidate["metadata"].get("ownerReferences") != update.obj["metadata"].get(
        "ownerReferences"
    )  # the input is never edited in place


def test_a_statefulset_claims_only_what_it_accepts() -> None:
    plan = SyncWrites(owner(), "statefulset-controller", 0.0)
    assert claim_objects(plan, [pod(WEB)], accepts=lambda p: False) == []
    assert plan.actions() == []


def rs(name: str, replicas: int) -> Obj:
    meta = {"name": name, "namespace": "default", "uid": f"{name}-uid"}
    return {"kind": "ReplicaSet", "metadata": meta, "spec": {"replicas": replicas}}


def test_sync_writes_writes_each_object_once_in_the_place_of_its_first_edit() -> None:
    plan = SyncWrites(owner(), "deployment-controller", 0.0)
    first = plan.edit(rs("a", 1))
    first["spec"]["replicas"] = 2
    plan.event("ScalingReplicaSet", "Scaled up a")
    plan.delete(rs("gone", 0))
    again = plan.edit(rs("a", 1))  # a second edit starts from the first one's result
    assert again["spec"]["replicas"] == 2
    again["spec"]["replicas"] = 3
    unchanged = plan.edit(rs("b", 1))
    assert unchanged == rs("b", 1)
    new = rs("c", 0)
    plan.create(new)
    plan.edit(new)["spec"]["replicas"] = 1  # part of its Create
    plan.draft["status"] = {"replicas": 3}
    plan.requeue_after = 5.0
    actions = plan.actions()
    assert [type(a) for a in actions] == [
        act.Update,
        act.RecordEvent,
        act.Delete,
        act.Create,
        act.UpdateStatus,
        act.RequeueAfter,
    ]
    assert actions[0] == act.Update({**rs("a", 1), "spec": {"replicas": 3}})
    assert actions[3] == act.Create({**rs("c", 0), "spec": {"replicas": 1}})
    assert actions[-1] == act.RequeueAfter(Key("ReplicaSet", "default", "web"), 5.0)


def test_sync_writes_of_nothing_changed_is_nothing() -> None:
    plan = SyncWrites(owner(), "deployment-controller", 0.0)
    plan.edit(rs("a", 1))
    assert plan.actions() == []
