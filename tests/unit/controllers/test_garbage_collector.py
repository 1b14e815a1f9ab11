"""The garbage collector's writes for each propagation policy, one table (upstream
pkg/controller/garbagecollector/garbagecollector.go: attemptToDeleteItem,
processDeletingDependentsItem, orphanDependents)."""

from __future__ import annotations

from typing import Any

import pytest

from controlplane.api.verbs import Api
from controlplane.controllers.garbage_collector import DELETED_OWNER, GarbageCollector
from controlplane.models.constants import FINALIZER_ORPHAN, Obj
from controlplane.models.meta import Key
from controlplane.runtime.actions import Action, Delete, Update


def config_map(api: Api, name: str, *owners: Obj, block: bool = True, **meta: Any) -> Obj:
    refs = [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "name": o["metadata"]["name"],
            "uid": o["metadata"]["uid"],
            "blockOwnerDeletion": block,
        }
        for o in owners
    ]
    metadata = {"name": name, "namespace": "default", **meta}
    if refs:
        metadata["ownerReferences"] = refs
    return api.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata})


def summary(actions: list[Action]) -> list[tuple[str, ...]]:
    """Each write as (verb, name, detail): the propagation of a delete, or what an update
    keeps of the owners and finalizers."""
    shown: list[tuple[str, ...]] = []
    for action in actions:
        if isinstance(action, Delete):
            shown.append(("delete", action.name, str(action.propagation)))
        elif isinstance(action, Update):
            meta = action.obj["metadata"]
            owners = ",".join(r["name"] for r in meta.get("ownerReferences") or [])
            finalizers = ",".join(meta.get("finalizers") or [])
            shown.append(("update", meta["name"], f"owners={owners} finalizers={finalizers}"))
    return shown


def background(api: Api) -> tuple[list[Key], list[tuple[str, ...]]]:
    owner = config_map(api, "owner")
    other = config_map(api, "other")
    config_map(api, "alone", owner)
    config_map(api, "shared", owner, other)
    api.delete("ConfigMap", "default", "owner", propagation="Background")
    keys = [Key(DELETED_OWNER, "default", owner["metadata"]["uid"])]
    return keys, [
        ("delete", "alone", "Background"),
        ("update", "shared", "owners=other finalizers="),
    ]


def foreground_waiting(api: Api) -> tuple[list[Key], list[tuple[str, ...]]]:
    owner = config_map(api, "owner")
    config_map(api, "blocking", owner)
    config_map(api, "not-blocking", owner, block=False)
    api.delete("ConfigMap", "default", "owner", propagation="Foreground")
    return [Key("ConfigMap", "default", "owner")], [("delete", "blocking", "Foreground")]


def foreground_done(api: Api) -> tuple[list[Key], list[tuple[str, ...]]]:
    owner = config_map(api, "owner", finalizers=["example.com/hold"])
    config_map(api, "not-blocking", owner, block=False)
    api.delete("ConfigMap", "default", "owner", propagation="Foreground")
    return [Key("ConfigMap", "default", "owner")], [
        ("update", "owner", "owners= finalizers=example.com/hold")
    ]


def orphan(api: Api) -> tuple[list[Key], list[tuple[str, ...]]]:
    owner = config_map(api, "owner")
    config_map(api, "child", owner)
    api.delete("ConfigMap", "default", "owner", propagation="Orphan")
    return [Key("ConfigMap", "default", "owner")], [
        ("update", "child", "owners= finalizers="),
        ("update", "owner", "owners= finalizers="),
    ]


def already_going(api: Api) -> tuple[list[Key], list[tuple[str, ...]]]:
    owner = config_map(api, "owner")
    config_map(api, "held", owner, finalizers=["example.com/hold"])
    api.delete("ConfigMap", "default", "held")  # marked, held by its finalizer
    api.delete("ConfigMap", "default", "owner")
    return [Key(DELETED_OWNER, "default", owner["metadata"]["uid"])], []


CASES = {
    "background: lone dependents go, shared ones lose the dead owner": background,
    "foreground: blocking dependents are deleted in the foreground first": foreground_waiting,
    "foreground: with no blocking dependent the finalizer goes": foreground_done,
    "orphan: dependents lose the owner, then the finalizer goes": orphan,
    "a dependent already being deleted is left to finish": already_going,
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_collector_writes_what_the_propagation_policy_asks(api: Api, case: Any) -> None:
    keys, expected = case(api)
    assert summary(GarbageCollector(api, api.clock, api.ids).reconcile(keys)) == expected


def test_only_owners_marked_for_foreground_or_orphan_deletion_are_its_keys(api: Api) -> None:
    collector = GarbageCollector(api, api.clock, api.ids)
    config_map(api, "owner", finalizers=["example.com/hold"])
    changes = api.changes_after(0)
    assert [k for c in changes for k in collector.keys_for(c)] == []
    api.delete("ConfigMap", "default", "owner", propagation="Orphan")
    marked = api.changes_after(changes[-1].revision)
    assert [k for c in marked for k in collector.keys_for(c)] == [
        Key("ConfigMap", "default", "owner")
    ]
    assert FINALIZER_ORPHAN in api.get("ConfigMap", "default", "owner")["metadata"]["finalizers"]
