"""The namespace deleter's planner: what one sync of a terminating namespace writes.

Expected conditions are upstream's (pkg/controller/namespace/deletion/status_condition_utils.go).
"""

from __future__ import annotations

from controlplane.clock import rfc3339
from controlplane.controllers.namespace import plan_namespace_deletion, updated_status
from controlplane.models.constants import Obj
from controlplane.models.meta import Key
from controlplane.runtime.actions import Delete, FinalizeNamespace, RequeueAfter, UpdateStatus

NOW = 1_700_000_000.0


def namespace(deleted_at: float = NOW) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "shop", "uid": "ns-uid", "deletionTimestamp": rfc3339(deleted_at)},
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Terminating"},
    }


def pod(name: str, *, deleting: bool = False, finalizers: list[str] | None = None) -> Obj:
    meta: dict = {"name": name, "namespace": "shop", "uid": f"uid-{name}"}
    if deleting:
        meta["deletionTimestamp"] = rfc3339(NOW + 30)
    if finalizers:
        meta["finalizers"] = finalizers
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {"nodeName": "node-1", "terminationGracePeriodSeconds": 30},
        "status": {"phase": "Running"},
    }


def deployment() -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "shop", "uid": "uid-web"},
        "spec": {},
    }


def condition(ctype: str, status: str, reason: str, message: str) -> dict:
    return {
        "type": ctype,
        "status": status,
        "lastTransitionTime": rfc3339(NOW),
        "reason": reason,
        "message": message,
    }


def test_an_empty_terminating_namespace_is_finalized() -> None:
    assert plan_namespace_deletion(namespace(), [], NOW) == [
        FinalizeNamespace("shop", "kubernetes")
    ]


def test_content_is_deleted_in_the_background_and_the_namespace_waits_for_grace() -> None:
    content = [deployment(), pod("a"), pod("b", deleting=True)]
    actions = plan_namespace_deletion(namespace(), content, NOW)
    status, *deletes, requeue = actions
    assert isinstance(status, UpdateStatus)
    assert status.obj["status"]["conditions"] == [
        condition(
            "NamespaceDeletionDiscoveryFailure",
            "False",
            "ResourcesDiscovered",
            "All resources successfully discovered",
        ),
        condition(
            "NamespaceDeletionGroupVersionParsingFailure",
            "False",
            "ParsedGroupVersions",
            "All legacy kube types successfully parsed",
        ),
        condition(
            "NamespaceDeletionContentFailure",
            "False",
            "ContentDeleted",
            "All content successfully deleted, may be waiting on finalization",
        ),
        condition(
            "NamespaceContentRemaining",
            "True",
            "SomeResourcesRemain",
            "Some resources are remaining: deployments.apps has 1 resource instances, "
            "pods. has 2 resource instances",
        ),
        condition(
            "NamespaceFinalizersRemaining",
            "False",
            "ContentRemoved",
            "All content successfully removed",
        ),
    ]
    # The pod already terminating is left to the kubelet.
    assert deletes == [
        Delete("Deployment", "shop", "web", uid="uid-web", propagation="Background"),
        Delete("Pod", "shop", "a", uid="uid-a", propagation="Background"),
    ]
    assert requeue == RequeueAfter(Key("Namespace", "", "shop"), 30)


def test_once_the_grace_period_has_passed_finalizers_get_the_default_estimate() -> None:
    content = [pod("a", deleting=True, finalizers=["example.com/hold"])]
    actions = plan_namespace_deletion(namespace(deleted_at=NOW - 60), content, NOW)
    status = actions[0]
    assert isinstance(status, UpdateStatus)
    remaining = status.obj["status"]["conditions"][-1]
    assert (remaining["status"], remaining["reason"], remaining["message"]) == (
        "True",
        "SomeFinalizerRemain",
        "Some finalizers are remaining: example.com/hold in 1 resource instances",
    )
    assert actions[-1] == RequeueAfter(Key("Namespace", "", "shop"), 15)


def test_a_condition_keeps_its_transition_time_when_only_its_message_changes() -> None:
    first = updated_status(namespace(), [pod("a"), pod("b")], NOW)
    assert first is not None
    second = updated_status(first, [pod("a")], NOW + 5)
    assert second is not None
    remaining = second["status"]["conditions"][3]
    assert remaining["message"] == "Some resources are remaining: pods. has 1 resource instances"
    assert remaining["lastTransitionTime"] == rfc3339(NOW)
    assert updated_status(second, [pod("a")], NOW + 9) is None  # nothing to write
    cleared = updated_status(second, [pod("a", finalizers=["x"])], NOW + 7)
    assert cleared is not None
    finalizers = cleared["status"]["conditions"][4]
    assert (finalizers["status"], finalizers["lastTransitionTime"]) == ("True", rfc3339(NOW + 7))
