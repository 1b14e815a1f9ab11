"""A negative grace period is 1 (Kubernetes 1.27+), and an object's uid is its identity: a
write or patch naming another uid is a Conflict."""

from __future__ import annotations

import copy

import pytest

from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api


def pod(grace: int | None = None) -> dict:
    spec: dict = {"containers": [{"name": "c", "image": "busybox"}], "nodeName": "node-1"}
    if grace is not None:
        spec["terminationGracePeriodSeconds"] = grace
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}


def deployment(grace: int) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "terminationGracePeriodSeconds": grace,
                    "containers": [{"name": "c", "image": "nginx"}],
                },
            },
        },
    }


def test_a_negative_grace_period_is_stored_as_1(api: Api) -> None:
    assert api.create(pod(grace=-5))["spec"]["terminationGracePeriodSeconds"] == 1
    template = api.create(deployment(grace=-30))["spec"]["template"]
    assert template["spec"]["terminationGracePeriodSeconds"] == 1


def test_a_pod_stored_with_a_negative_grace_period_still_terminates(api: Api) -> None:
    """One written before the defaulting (an older store) waits 1 s, not forever."""
    stored = copy.deepcopy(api.create(pod()))
    stored["spec"]["terminationGracePeriodSeconds"] = -5
    with api.store.transaction() as txn:  # as an older mkctl left it
        txn.update(stored, int(stored["metadata"]["resourceVersion"]))
    marked = api.delete("Pod", "default", "p")
    assert marked["metadata"]["deletionGracePeriodSeconds"] == 1


@pytest.mark.parametrize("requested", [-5, -1])
def test_a_negative_grace_period_on_delete_is_1(api: Api, requested: int) -> None:
    api.create(pod())
    marked = api.delete("Pod", "default", "p", grace_period_seconds=requested)
    assert marked["metadata"]["deletionGracePeriodSeconds"] == 1


def test_a_patch_that_changes_the_uid_is_a_conflict(api: Api) -> None:
    created = api.create(deployment(grace=30))
    uid = created["metadata"]["uid"]
    with pytest.raises(ApiError) as conflict:
        api.patch("Deployment", "default", "web", {"metadata": {"uid": "other"}}, "merge")
    assert (conflict.value.reason, conflict.value.code) == ("Conflict", 409)
    assert conflict.value.message == (
        'Operation cannot be fulfilled on deployments.apps "web": StorageError: invalid object, '
        "Code: 4, Key: /registry/deployments/default/web, ResourceVersion: 0, AdditionalErrorMsg: "
        f"Precondition failed: UID in precondition: other, UID in object meta: {uid}"
    )
    assert api.get("Deployment", "default", "web")["metadata"]["uid"] == uid


def test_an_update_naming_the_same_uid_or_none_goes_through(api: Api) -> None:
    created = api.create(deployment(grace=30))
    same = copy.deepcopy(created)
    same["spec"]["replicas"] = 2
    assert api.update(same)["spec"]["replicas"] == 2
    unnamed = copy.deepcopy(api.get("Deployment", "default", "web"))
    del unnamed["metadata"]["uid"]
    unnamed["spec"]["replicas"] = 3
    assert api.update(unnamed)["metadata"]["uid"] == created["metadata"]["uid"]
