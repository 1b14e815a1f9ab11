"""API verbs: metadata stamping, generation, CAS, status subresource, deletion semantics."""

from __future__ import annotations

import copy

import pytest

from controlplane.api.errors import ApiError
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds


def deployment(name: str = "web", replicas: int = 3, image: str = "nginx:1.14.2") -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "nginx", "image": image}]},
            },
        },
    }


def test_create_stamps_metadata_and_defaults(api: Api) -> None:
    created = api.create(deployment())
    meta = created["metadata"]
    assert meta["generation"] == 1
    assert meta["creationTimestamp"] == "2023-11-14T22:13:20Z"
    assert len(meta["uid"]) == 36 and meta["resourceVersion"] == "2"
    assert created["spec"]["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
    }
    assert created["spec"]["revisionHistoryLimit"] == 10
    assert created["spec"]["progressDeadlineSeconds"] == 600


def test_generation_bumps_only_on_spec_change(api: Api) -> None:
    created = api.create(deployment())
    labelled = copy.deepcopy(created)
    labelled["metadata"]["labels"] = {"team": "a"}
    after_labels = api.update(labelled)
    assert after_labels["metadata"]["generation"] == 1
    scaled = copy.deepcopy(after_labels)
    scaled["spec"]["replicas"] = 5
    assert api.update(scaled)["metadata"]["generation"] == 2
    status = copy.deepcopy(api.get("Deployment", "default", "web"))
    status["status"] = {"replicas": 5}
    written = api.update_status(status)
    assert written["metadata"]["generation"] == 2 and written["status"] == {"replicas": 5}


def test_a_stale_update_is_a_conflict(api: Api) -> None:
    created = api.create(deployment())
    first = copy.deepcopy(created)
    first["spec"]["replicas"] = 4
    api.update(first)
    created["spec"]["replicas"] = 6
    with pytest.raises(ApiError) as caught:
        api.update(created)
    assert caught.value.reason == "Conflict" and caught.value.code == 409
    assert caught.value.message == (
        'Operation cannot be fulfilled on deployments.apps "web": the object has been '
        "modified; please apply your changes to the latest version and try again"
    )


def test_errors_are_kubernetes_status_shapes(api: Api) -> None:
    with pytest.raises(ApiError) as missing:
        api.get("Deployment", "default", "nope")
    assert missing.value.message == 'deployments.apps "nope" not found'
    api.create(deployment())
    with pytest.raises(ApiError) as exists:
        api.create(deployment())
    assert exists.value.reason == "AlreadyExists"
    assert exists.value.message == 'deployments.apps "web" already exists'


def test_invalid_objects_list_every_cause_and_write_nothing(api: Api) -> None:
    bad = deployment(replicas=-1)
    bad["spec"]["selector"] = {"matchLabels": {"app": "other"}}
    before = api.current_revision()
    with pytest.raises(ApiError) as caught:
        api.create(bad)
    assert caught.value.reason == "Invalid" and caught.value.code == 422
    assert [str(c) for c in caught.value.causes] == [
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not '
        "match template `labels`",
    ]
    assert api.current_revision() == before


def test_an_unchanged_update_writes_nothing(api: Api) -> None:
    created = api.create(deployment())
    assert api.update(copy.deepcopy(created)) == created
    assert api.current_revision() == int(created["metadata"]["resourceVersion"])


def pod(node: str | None = "node-1") -> dict:
    spec: dict = {"containers": [{"name": "c", "image": "busybox"}]}
    if node:
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}


def test_a_running_pod_terminates_gracefully(api: Api, clock: FakeClock) -> None:
    api.create(pod())
    marked = api.delete("Pod", "default", "p")
    assert marked["metadata"]["deletionGracePeriodSeconds"] == 30
    assert marked["metadata"]["deletionTimestamp"] == "2023-11-14T22:13:50Z"
    assert api.get("Pod", "default", "p")["metadata"]["deletionTimestamp"]
    api.delete("Pod", "default", "p", grace_period_seconds=0)  # what the kubelet does
    with pytest.raises(ApiError):
        api.get("Pod", "default", "p")


def test_an_unscheduled_pod_is_deleted_at_once(api: Api) -> None:
    api.create(pod(node=None))
    api.delete("Pod", "default", "p")
    assert api.list("Pod", "default") == []


def test_foreground_and_orphan_deletes_leave_a_finalizer_for_the_collector(api: Api) -> None:
    api.create(deployment("a"))
    api.create(deployment("b"))
    fg = api.delete("Deployment", "default", "a", propagation="Foreground")
    orphan = api.delete("Deployment", "default", "b", propagation="Orphan")
    assert fg["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert orphan["metadata"]["finalizers"] == ["orphan"]
    assert fg["metadata"]["deletionTimestamp"] and orphan["metadata"]["deletionTimestamp"]
    done = copy.deepcopy(api.get("Deployment", "default", "a"))
    done["metadata"]["finalizers"] = []
    api.update(done)  # the last finalizer removed: the object goes
    assert [d["metadata"]["name"] for d in api.list("Deployment", "default")] == ["b"]


def test_a_batch_commits_all_or_nothing(api: Api) -> None:
    with pytest.raises(ApiError), api.batch():
        api.create(deployment("one"))
        api.create(deployment("one"))
    assert api.list("Deployment", "default") == []


class _Suffixes(SeededIds):
    """Random names drawn from a script: uids stay seeded."""

    def __init__(self, *suffixes: str) -> None:
        super().__init__(1)
        self._suffixes = list(suffixes)

    def suffix(self) -> str:
        return self._suffixes.pop(0) if len(self._suffixes) > 1 else self._suffixes[0]


def _pod(**meta: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"namespace": "default", **meta},
        "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2"}]},
    }


def test_a_generated_name_that_is_taken_is_drawn_again(api: Api, clock: FakeClock) -> None:
    """RetryGenerateName: 27^5 suffixes collide within a few thousand pods."""
    api.create(_pod(name="web-bbbbb"))
    drawing = Api(api.store, clock, _Suffixes("bbbbb", "bbbbb", "ccccc"))
    assert drawing.create(_pod(generateName="web-"))["metadata"]["name"] == "web-ccccc"


def test_after_eight_taken_names_the_create_fails_as_already_exists(
    api: Api, clock: FakeClock
) -> None:
    api.create(_pod(name="web-bbbbb"))
    unlucky = Api(api.store, clock, _Suffixes("bbbbb"))
    with pytest.raises(ApiError) as failed:
        unlucky.create(_pod(generateName="web-"))
    assert failed.value.reason == "AlreadyExists"
    with pytest.raises(ApiError) as named:
        api.create(_pod(name="web-bbbbb"))  # a name the client chose is never redrawn
    assert named.value.reason == "AlreadyExists"
