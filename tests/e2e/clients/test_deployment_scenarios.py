"""Kubernetes' Deployment e2e and integration scenarios, driven by the official Python client
against mkctl's daemon (test/e2e/apps/deployment.go, test/integration/deployment/
deployment_test.go). Numbers and expectations are upstream's; waits are seconds."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from kubernetes import client, watch
from kubernetes.client.exceptions import ApiException

from tests.e2e.clients.conftest import Kube, eventually
from tests.e2e.clients.workloads import (
    REVISION,
    complete,
    deployment,
    pods,
    replica_set,
    replica_sets,
    running,
)


def test_reaping_cascades_to_replica_sets_and_pods(kube: Kube) -> None:
    """deployment.go testDeleteDeployment (DEP-01)."""
    labels = {"name": "reap"}
    body = deployment("reap", labels=labels)
    body.metadata.annotations = {"test": "should-copy-to-replica-set"}
    kube.apps.create_namespaced_deployment(kube.namespace, body)
    done = complete(kube, "reap")
    assert done.metadata.annotations[REVISION] == "1"
    (owned,) = replica_sets(kube, labels)
    assert owned.metadata.annotations["test"] == "should-copy-to-replica-set"
    kube.apps.delete_namespaced_deployment("reap", kube.namespace)
    with pytest.raises(ApiException) as gone:
        eventually(lambda: kube.apps.read_namespaced_deployment("reap", kube.namespace) and None)
    assert gone.value.status == 404
    eventually(lambda: not replica_sets(kube, labels) and not pods(kube, labels))


def test_a_deployment_adopts_a_replica_set_and_continues_its_revisions(kube: Kube) -> None:
    """deployment.go testRollingUpdateDeployment (DEP-02): the adopted ReplicaSet's revision
    plus one."""
    labels = {"name": "sample-pod", "pod": "httpd"}
    kube.apps.create_namespaced_replica_set(
        kube.namespace,
        replica_set(
            "test-rolling-update-controller",
            1,
            labels,
            annotations={REVISION: "3546343826724305832"},
        ),
    )
    running(kube, labels, 1)
    kube.apps.create_namespaced_deployment(
        kube.namespace,
        deployment(
            "test-rolling-update-deployment", labels=labels, image="registry.k8s.io/agnhost:2.40"
        ),
    )
    done = complete(kube, "test-rolling-update-deployment")
    assert done.metadata.annotations[REVISION] == "3546343826724305833"
    old = [
        rs
        for rs in replica_sets(kube, labels)
        if rs.metadata.name == "test-rolling-update-controller"
    ]
    assert len(old) == 1 and old[0].spec.replicas == 0
    assert old[0].metadata.owner_references[0].name == "test-rolling-update-deployment"


def test_recreate_never_runs_old_and_new_pods_together(kube: Kube) -> None:
    """deployment.go testRecreateDeployment (DEP-03), observed through a watch."""
    kube.apps.create_namespaced_deployment(
        kube.namespace, deployment("recreate", 3, strategy={"type": "Recreate"})
    )
    first = complete(kube, "recreate")
    seen: list[Any] = []
    stream = watch.Watch()

    def observe() -> None:
        for event in stream.stream(
            kube.apps.list_namespaced_deployment,
            kube.namespace,
            field_selector="metadata.name=recreate",
            resource_version=first.metadata.resource_version,
            timeout_seconds=30,
        ):
            status = event["object"].status
            seen.append((status.replicas or 0, status.updated_replicas or 0))
            if event["object"].metadata.annotations.get(REVISION) == "2" and (
                status.updated_replicas == status.available_replicas == 3
            ):
                stream.stop()

    watcher = threading.Thread(target=observe)
    watcher.start()
    kube.apps.patch_namespaced_deployment(
        "recreate",
        kube.namespace,
        {"spec": {"template": {"spec": {"containers": [{"name": "redis", "image": "redis:7"}]}}}},
    )
    watcher.join(40)
    assert not watcher.is_alive(), "the rollout did not finish"
    assert seen, "the watch delivered nothing"
    assert all(updated == 0 or replicas == updated for replicas, updated in seen), seen


def test_revision_history_limit_zero_deletes_the_old_replica_set(kube: Kube) -> None:
    """deployment.go testDeploymentCleanUpPolicy (DEP-04): the adopted ReplicaSet gains the
    pod-template-hash without creating a pod, so the pod watch sees exactly one ADDED."""
    labels = {"name": "cleanup-pod", "pod": "httpd"}
    kube.apps.create_namespaced_replica_set(
        kube.namespace, replica_set("test-cleanup-controller", 1, labels)
    )
    running(kube, labels, 1)
    listed = kube.core.list_namespaced_pod(kube.namespace)
    added: list[str] = []
    stream = watch.Watch()

    def observe() -> None:
        for event in stream.stream(
            kube.core.list_namespaced_pod,
            kube.namespace,
            resource_version=listed.metadata.resource_version,
            timeout_seconds=3,  # the client watches again from where it was until stopped
        ):
            if event["type"] == "ADDED":
                added.append(event["object"].spec.containers[0].name)

    watcher = threading.Thread(target=observe)
    watcher.start()
    body = deployment(
        "test-cleanup-deployment", labels=labels, image="registry.k8s.io/agnhost:2.40"
    )
    body.spec.template.spec.containers[0].name = "agnhost"
    body.spec.revision_history_limit = 0
    kube.apps.create_namespaced_deployment(kube.namespace, body)
    complete(kube, "test-cleanup-deployment")
    eventually(lambda: len(replica_sets(kube, labels)) == 1)
    stream.stop()
    watcher.join(10)
    assert added == ["agnhost"]


def test_orphaned_replica_set_is_adopted_by_a_new_deployment(kube: Kube) -> None:
    """deployment.go testDeploymentsControllerRef (DEP-07)."""
    labels = {"name": "adopt"}
    kube.apps.create_namespaced_deployment(kube.namespace, deployment("first", labels=labels))
    first = complete(kube, "first")
    (owned,) = replica_sets(kube, labels)
    assert owned.metadata.owner_references[0].uid == first.metadata.uid
    kube.apps.delete_namespaced_deployment(
        "first",
        kube.namespace,
        body=client.V1DeleteOptions(
            propagation_policy="Orphan",
            preconditions=client.V1Preconditions(uid=first.metadata.uid),
        ),
    )
    eventually(lambda: not replica_sets(kube, labels)[0].metadata.owner_references)
    kube.apps.create_namespaced_deployment(kube.namespace, deployment("second", labels=labels))
    second = complete(kube, "second")
    (adopted,) = replica_sets(kube, labels)
    assert adopted.metadata.uid == owned.metadata.uid
    assert adopted.metadata.owner_references[0].uid == second.metadata.uid


@pytest.mark.parametrize("kind", ["deployment", "replica_set", "stateful_set"])
def test_the_scale_subresource(kube: Kube, kind: str) -> None:
    """DEP-08, RS-05, STS-10: GET scale, PUT it without a resourceVersion, PATCH it."""
    labels = {"name": f"scale-{kind.replace('_', '-')}"}
    name = labels["name"]
    if kind == "deployment":
        kube.apps.create_namespaced_deployment(kube.namespace, deployment(name, labels=labels))
    elif kind == "replica_set":
        kube.apps.create_namespaced_replica_set(kube.namespace, replica_set(name, 1, labels))
    else:
        body = replica_set(name, 1, labels).to_dict()
        body["spec"]["serviceName"] = "test"
        kube.apps.create_namespaced_stateful_set(
            kube.namespace, client.V1StatefulSet.from_dict(body)
        )
    running(kube, labels, 1)
    read = getattr(kube.apps, f"read_namespaced_{kind}_scale")
    scale = eventually(lambda: (s := read(name, kube.namespace)).status.replicas == 1 and s)
    assert scale.spec.replicas == 1 and scale.kind == "Scale"
    assert scale.status.selector == f"name={name}"
    scale.spec.replicas = 2
    scale.metadata.resource_version = None
    replaced = getattr(kube.apps, f"replace_namespaced_{kind}_scale")(name, kube.namespace, scale)
    assert replaced.spec.replicas == 2
    reader = getattr(kube.apps, f"read_namespaced_{kind}")
    assert reader(name, kube.namespace).spec.replicas == 2
    getattr(kube.apps, f"patch_namespaced_{kind}_scale")(
        name, kube.namespace, {"spec": {"replicas": 4}}
    )
    assert reader(name, kube.namespace).spec.replicas == 4
    running(kube, labels, 4)


def test_proportional_scaling_of_a_stuck_rollout(kube: Kube) -> None:
    """deployment.go testProportionalScalingDeployment (DEP-09), upstream's numbers."""
    labels = {"name": "proportional"}
    kube.apps.create_namespaced_deployment(
        kube.namespace,
        deployment(
            "proportional",
            10,
            labels=labels,
            strategy={
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": 3, "maxUnavailable": 2},
            },
        ),
    )
    complete(kube, "proportional")
    kube.apps.patch_namespaced_deployment(
        "proportional",
        kube.namespace,
        {
            "spec": {
                "template": {
                    "spec": {"containers": [{"name": "httpd", "image": "nginx:neverready"}]}
                }
            }
        },
    )

    def replicas() -> dict[str, int]:
        return {
            rs.metadata.annotations[REVISION]: rs.spec.replicas for rs in replica_sets(kube, labels)
        }

    eventually(lambda: replicas() == {"1": 8, "2": 5})
    kube.apps.patch_namespaced_deployment_scale(
        "proportional", kube.namespace, {"spec": {"replicas": 30}}
    )
    eventually(lambda: replicas() == {"1": 20, "2": 13})


def test_status_endpoints(kube: Kube) -> None:
    """deployment.go "should validate Deployment Status endpoints" (DEP-12), and the
    controller writing the real counts back over a patched status (DEP-11)."""
    kube.apps.create_namespaced_deployment(kube.namespace, deployment("status", 2))
    complete(kube, "status")
    current = kube.apps.read_namespaced_deployment_status("status", kube.namespace)
    current.status.conditions.append(
        client.V1DeploymentCondition(
            type="StatusUpdate", status="True", reason="E2E", message="Set from e2e test"
        )
    )
    updated = kube.apps.replace_namespaced_deployment_status("status", kube.namespace, current)
    assert "StatusUpdate" in [c.type for c in updated.status.conditions]
    assert updated.metadata.generation == current.metadata.generation
    kube.apps.patch_namespaced_deployment_status(
        "status",
        kube.namespace,
        {"status": {"readyReplicas": 0, "availableReplicas": 0}},
    )
    eventually(
        lambda: (
            kube.apps.read_namespaced_deployment_status(
                "status", kube.namespace
            ).status.ready_replicas
            == 2
        )
    )


def test_lifecycle_watch_patch_replace_and_delete_collection(kube: Kube) -> None:
    """deployment.go "should run the lifecycle of a Deployment" (DEP-11)."""
    labels = {"test-deployment-static": "true"}
    events: list[str] = []
    listed = kube.apps.list_namespaced_deployment(kube.namespace)
    stream = watch.Watch()

    def observe() -> None:
        for event in stream.stream(
            kube.apps.list_namespaced_deployment,
            kube.namespace,
            label_selector="test-deployment-static=true",
            resource_version=listed.metadata.resource_version,
            timeout_seconds=60,
        ):
            events.append(event["type"])
            if event["type"] == "DELETED":
                stream.stop()

    watcher = threading.Thread(target=observe)
    watcher.start()
    kube.apps.create_namespaced_deployment(
        kube.namespace, deployment("test-deployment", 2, labels=labels)
    )
    complete(kube, "test-deployment")
    kube.apps.patch_namespaced_deployment(
        "test-deployment",
        kube.namespace,
        {
            "metadata": {"labels": {"test-deployment": "patched"}},
            "spec": {
                "replicas": 1,
                "template": {
                    "spec": {
                        "terminationGracePeriodSeconds": 2,
                        "containers": [{"name": "httpd", "image": "nginx:1.25"}],
                    }
                },
            },
        },
    )
    patched = complete(kube, "test-deployment")
    assert patched.spec.template.spec.containers[0].image == "nginx:1.25"
    everywhere = client.AppsV1Api(kube.api_client).list_deployment_for_all_namespaces(
        label_selector="test-deployment-static=true"
    )
    assert [d.metadata.name for d in everywhere.items] == ["test-deployment"]
    patched.spec.replicas = 2
    patched.metadata.labels["test-deployment"] = "updated"
    kube.apps.replace_namespaced_deployment("test-deployment", kube.namespace, patched)
    complete(kube, "test-deployment")
    kube.apps.delete_collection_namespaced_deployment(
        kube.namespace, label_selector="test-deployment-static=true"
    )
    watcher.join(30)
    assert events[0] == "ADDED" and "MODIFIED" in events and events[-1] == "DELETED", events


def test_the_selector_is_immutable(kube: Kube) -> None:
    """deployment_test.go TestDeploymentSelectorImmutability (INT-03)."""
    kube.apps.create_namespaced_deployment(kube.namespace, deployment("fixed"))
    with pytest.raises(ApiException) as refused:
        kube.apps.patch_namespaced_deployment(
            "fixed", kube.namespace, {"spec": {"selector": {"matchLabels": {"name": "other"}}}}
        )
    assert refused.value.status == 422
    assert "field is immutable" in refused.value.body


def test_paused_deployments_create_nothing_until_resumed(kube: Kube) -> None:
    """deployment_test.go TestPausedDeployment and TestScalePausedDeployment (INT-04/05)."""
    labels = {"name": "paused"}
    kube.apps.create_namespaced_deployment(
        kube.namespace, deployment("paused", labels=labels, paused=True)
    )

    def observed() -> bool:
        status = kube.apps.read_namespaced_deployment("paused", kube.namespace).status
        return status is not None and status.observed_generation == 1

    eventually(observed)
    assert replica_sets(kube, labels) == []
    kube.apps.patch_namespaced_deployment("paused", kube.namespace, {"spec": {"paused": False}})
    complete(kube, "paused")
    kube.apps.patch_namespaced_deployment(
        "paused", kube.namespace, {"spec": {"paused": True, "replicas": 10}}
    )
    complete(kube, "paused")
    (only,) = replica_sets(kube, labels)
    assert only.spec.replicas == 10


def test_overlapping_deployments_each_get_their_own_replica_set(kube: Kube) -> None:
    """deployment_test.go TestOverlappingDeployments (INT-08)."""
    labels = {"name": "overlap"}
    for name in ("one", "two"):
        kube.apps.create_namespaced_deployment(kube.namespace, deployment(name, labels=labels))
        complete(kube, name)
    owners = {rs.metadata.owner_references[0].name for rs in replica_sets(kube, labels)}
    assert owners == {"one", "two"}
    kube.apps.patch_namespaced_deployment_scale("one", kube.namespace, {"spec": {"replicas": 3}})
    complete(kube, "one")
    by_owner = {
        rs.metadata.owner_references[0].name: rs.spec.replicas for rs in replica_sets(kube, labels)
    }
    assert by_owner == {"one": 3, "two": 1}
