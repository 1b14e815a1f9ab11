"""Kubernetes' ReplicaSet, StatefulSet, DaemonSet and garbage-collector e2e scenarios, driven
by the official Python client against mkctl's daemon (test/e2e/apps/replica_set.go,
statefulset.go, daemon_set.go, test/e2e/apimachinery/garbage_collector.go)."""

from __future__ import annotations

from typing import Any

from kubernetes import client

from tests.e2e.clients.conftest import Kube, eventually
from tests.e2e.clients.workloads import (
    complete,
    deployment,
    pod_template,
    pods,
    replica_set,
    replica_sets,
    running,
    selector,
)


def stateful_set(name: str, replicas: int, **spec: Any) -> Any:
    labels = {"foo": "bar", "baz": "blah"}
    return client.V1StatefulSet.from_dict(
        {
            "metadata": {"name": name, "labels": labels},
            "spec": {
                "replicas": replicas,
                "serviceName": "test",
                "selector": {"matchLabels": labels},
                "template": pod_template(labels, "httpd:2.4.38-alpine", name="webserver"),
                **spec,
            },
        }
    )


def daemon_set(name: str, **pod_spec: Any) -> Any:
    labels = {"daemonset-name": name}
    template = pod_template(labels, "httpd:2.4.38-alpine", name="app")
    template["spec"].update(pod_spec)
    return client.V1DaemonSet.from_dict(
        {
            "metadata": {"name": name},
            "spec": {"selector": {"matchLabels": labels}, "template": template},
        }
    )


def images(kube: Kube, labels: dict[str, str]) -> dict[str, str]:
    return {
        p.metadata.name: p.spec.containers[0].image
        for p in pods(kube, labels)
        if p.metadata.deletion_timestamp is None
    }


def test_replica_set_adopts_a_matching_pod_and_releases_it(kube: Kube) -> None:
    """replica_set.go testRSAdoptMatchingAndReleaseNotMatching (RS-04)."""
    labels = {"name": "pod-adoption-release"}
    bare = pod_template(labels, "nginx")
    bare["metadata"]["name"] = "pod-adoption-release"
    kube.core.create_namespaced_pod(kube.namespace, client.V1Pod.from_dict(bare))
    running(kube, labels, 1)
    kube.apps.create_namespaced_replica_set(
        kube.namespace, replica_set("pod-adoption-release", 1, labels)
    )
    rs = kube.apps.read_namespaced_replica_set("pod-adoption-release", kube.namespace)

    def adopted() -> bool:
        pod = kube.core.read_namespaced_pod("pod-adoption-release", kube.namespace)
        refs = pod.metadata.owner_references or []
        return any(r.uid == rs.metadata.uid and r.controller for r in refs)

    eventually(adopted)
    kube.core.patch_namespaced_pod(
        "pod-adoption-release",
        kube.namespace,
        {"metadata": {"labels": {"name": "not-matching-name"}}},
    )
    eventually(
        lambda: (
            not kube.core.read_namespaced_pod(
                "pod-adoption-release", kube.namespace
            ).metadata.owner_references
        )
    )
    replacement = running(kube, labels, 1)
    assert replacement[0].metadata.name != "pod-adoption-release"


def test_replica_set_replace_patch_and_delete_collection(kube: Kube) -> None:
    """replica_set.go "Replace and Patch tests" and "list and delete a collection" (RS-06/07)."""
    labels = {"e2e": "rs-collection"}
    kube.apps.create_namespaced_replica_set(kube.namespace, replica_set("affinity-rs", 1, labels))
    running(kube, labels, 1)
    current = kube.apps.read_namespaced_replica_set("affinity-rs", kube.namespace)
    current.spec.replicas = 2
    kube.apps.replace_namespaced_replica_set("affinity-rs", kube.namespace, current)
    running(kube, labels, 2)
    kube.apps.patch_namespaced_replica_set(
        "affinity-rs",
        kube.namespace,
        {
            "metadata": {"labels": {"test-rs": "patched"}},
            "spec": {
                "replicas": 3,
                "template": {
                    "spec": {
                        "terminationGracePeriodSeconds": 0,
                        "containers": [{"name": "httpd", "image": "registry.k8s.io/pause:3.10"}],
                    }
                },
            },
        },
    )
    eventually(
        lambda: (
            (
                rs := kube.apps.read_namespaced_replica_set("affinity-rs", kube.namespace)
            ).status.ready_replicas
            == 3
            and rs.metadata.labels.get("test-rs") == "patched"
        )
    )
    everywhere = kube.apps.list_replica_set_for_all_namespaces(label_selector=selector(labels))
    assert len(everywhere.items) == 1
    kube.apps.delete_collection_namespaced_replica_set(
        kube.namespace, label_selector=selector(labels)
    )
    eventually(lambda: not replica_sets(kube, labels))


def test_stateful_set_partitions_phase_a_rolling_update(kube: Kube) -> None:
    """statefulset.go "canary updates and phased rolling updates" (STS-05)."""
    labels = {"foo": "bar", "baz": "blah"}
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"partition": 3}}
    kube.apps.create_namespaced_stateful_set(
        kube.namespace, stateful_set("ss2", 3, updateStrategy=strategy)
    )
    running(kube, labels, 3)
    old = "httpd:2.4.38-alpine"
    new = "httpd:2.4.39-alpine"
    kube.apps.patch_namespaced_stateful_set(
        "ss2",
        kube.namespace,
        {"spec": {"template": {"spec": {"containers": [{"name": "webserver", "image": new}]}}}},
    )
    status = eventually(
        lambda: (
            (
                s := kube.apps.read_namespaced_stateful_set("ss2", kube.namespace).status
            ).update_revision
            != s.current_revision
            and s
        )
    )
    assert status.update_revision != status.current_revision
    assert images(kube, labels) == {"ss2-0": old, "ss2-1": old, "ss2-2": old}
    for partition, expected in ((2, [old, old, new]), (1, [old, new, new]), (0, [new, new, new])):
        kube.apps.patch_namespaced_stateful_set(
            "ss2",
            kube.namespace,
            {"spec": {"updateStrategy": {"rollingUpdate": {"partition": partition}}}},
        )
        want = {f"ss2-{i}": image for i, image in enumerate(expected)}
        eventually(
            lambda want=want: images(kube, labels) == want and len(running(kube, labels, 3)) == 3
        )
    final = eventually(
        lambda: (
            (
                s := kube.apps.read_namespaced_stateful_set("ss2", kube.namespace).status
            ).current_revision
            == s.update_revision
            and s
        )
    )
    assert final.updated_replicas == 3


def test_stateful_set_on_delete_replaces_only_deleted_pods(kube: Kube) -> None:
    """statefulset.go "legacy replacement when the update strategy is OnDelete" (STS-06)."""
    labels = {"foo": "bar", "baz": "blah"}
    kube.apps.create_namespaced_stateful_set(
        kube.namespace, stateful_set("ss", 3, updateStrategy={"type": "OnDelete"})
    )
    running(kube, labels, 3)
    new = "httpd:2.4.39-alpine"
    kube.apps.patch_namespaced_stateful_set(
        "ss",
        kube.namespace,
        {"spec": {"template": {"spec": {"containers": [{"name": "webserver", "image": new}]}}}},
    )
    eventually(
        lambda: (
            (
                s := kube.apps.read_namespaced_stateful_set("ss", kube.namespace).status
            ).update_revision
            != s.current_revision
        )
    )
    assert set(images(kube, labels).values()) == {"httpd:2.4.38-alpine"}
    kube.core.delete_collection_namespaced_pod(kube.namespace, label_selector=selector(labels))
    eventually(lambda: images(kube, labels) == {f"ss-{i}": new for i in range(3)})


def test_daemon_set_runs_everywhere_and_replaces_a_deleted_pod(kube: Kube) -> None:
    """daemon_set.go "should run and stop simple daemon" (DS-01)."""
    labels = {"daemonset-name": "daemon-set"}
    kube.apps.create_namespaced_daemon_set(kube.namespace, daemon_set("daemon-set"))
    nodes = {n.metadata.name for n in kube.core.list_node().items}
    first = running(kube, labels, len(nodes))
    assert {p.spec.node_name for p in first} == nodes
    kube.core.delete_namespaced_pod(first[0].metadata.name, kube.namespace)
    again = eventually(
        lambda: (
            (found := running(kube, labels, len(nodes)))
            and first[0].metadata.name not in {p.metadata.name for p in found}
            and found
        )
    )
    assert {p.spec.node_name for p in again} == nodes


def test_daemon_set_follows_a_node_label(kube: Kube) -> None:
    """daemon_set.go "should run and stop complex daemon" (DS-02)."""
    labels = {"daemonset-name": "complex"}
    kube.apps.create_namespaced_daemon_set(
        kube.namespace, daemon_set("complex", nodeSelector={"daemonset-color": "blue"})
    )
    node = kube.core.list_node().items[0].metadata.name
    try:
        kube.core.patch_node(node, {"metadata": {"labels": {"daemonset-color": "blue"}}})
        (pod,) = running(kube, labels, 1)
        assert pod.spec.node_name == node
        kube.core.patch_node(node, {"metadata": {"labels": {"daemonset-color": "green"}}})
        eventually(
            lambda: not [p for p in pods(kube, labels) if p.metadata.deletion_timestamp is None]
        )
        kube.apps.patch_namespaced_daemon_set(
            "complex",
            kube.namespace,
            {"spec": {"template": {"spec": {"nodeSelector": {"daemonset-color": "green"}}}}},
        )
        (pod,) = running(kube, labels, 1)
        assert pod.spec.node_name == node
    finally:
        kube.core.patch_node(node, {"metadata": {"labels": {"daemonset-color": None}}})


def test_daemon_set_rolling_update_and_history(kube: Kube) -> None:
    """daemon_set.go "should update pod when spec was updated and update strategy is
    RollingUpdate" (DS-06)."""
    labels = {"daemonset-name": "rolling"}
    kube.apps.create_namespaced_daemon_set(kube.namespace, daemon_set("rolling"))
    count = len(kube.core.list_node().items)
    running(kube, labels, count)
    kube.apps.patch_namespaced_daemon_set(
        "rolling",
        kube.namespace,
        {"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "redis:7"}]}}}},
    )
    eventually(
        lambda: (
            set(images(kube, labels).values()) == {"redis:7"}
            and len(running(kube, labels, count)) == count
        )
    )
    history = kube.apps.list_namespaced_controller_revision(kube.namespace).items
    assert sorted(r.revision for r in history) == [1, 2]
    newest = max(history, key=lambda r: r.revision)
    hashes = {p.metadata.labels["controller-revision-hash"] for p in pods(kube, labels)}
    assert hashes == {newest.metadata.labels["controller-revision-hash"]}


def test_foreground_deletion_removes_dependents_before_the_owner(kube: Kube) -> None:
    """garbage_collector.go "should keep the rc around until all its pods are deleted if the
    deleteOptions says so" (GC-03), and Orphan (GC-06)."""
    labels = {"name": "gc"}
    slow = deployment("gc", 2, labels=labels)
    # pods that take two seconds to stop keep the owner visible while it waits for them
    slow.spec.template.metadata.annotations = {"mkctl.dev/stop-delay": "2s"}
    slow.spec.template.spec.termination_grace_period_seconds = 30
    kube.apps.create_namespaced_deployment(kube.namespace, slow)
    complete(kube, "gc")
    kube.apps.delete_namespaced_deployment(
        "gc", kube.namespace, body=client.V1DeleteOptions(propagation_policy="Foreground")
    )
    held = kube.apps.read_namespaced_deployment("gc", kube.namespace)
    assert held.metadata.deletion_timestamp is not None
    assert "foregroundDeletion" in held.metadata.finalizers
    eventually(lambda: not replica_sets(kube, labels) and not pods(kube, labels))
    eventually(lambda: not kube.apps.list_namespaced_deployment(kube.namespace).items)

    kube.apps.create_namespaced_deployment(kube.namespace, deployment("kept", 2, labels=labels))
    complete(kube, "kept")
    kube.apps.delete_namespaced_deployment(
        "kept", kube.namespace, body=client.V1DeleteOptions(propagation_policy="Orphan")
    )
    eventually(lambda: not kube.apps.list_namespaced_deployment(kube.namespace).items)
    (orphan,) = replica_sets(kube, labels)
    eventually(
        lambda: (
            not kube.apps.read_namespaced_replica_set(
                orphan.metadata.name, kube.namespace
            ).metadata.owner_references
        )
    )
    assert len(running(kube, labels, 2)) == 2


def test_nodes_list_through_the_typed_client(kube: Kube) -> None:
    """The client validates NodeSystemInfo: machineID, systemUUID and bootID are required."""
    nodes = kube.core.list_node().items
    assert len(nodes) == 3
    assert all(n.status.node_info.machine_id and n.status.node_info.boot_id for n in nodes)
