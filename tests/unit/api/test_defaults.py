"""API defaults (pkg/apis/apps/v1/defaults.go): workloads, templates, admitted pods, namespaces."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from controlplane.api.defaults import admit_pod, apply_defaults, image_tag, pull_policy_for

TOLERATIONS = [
    {
        "key": "node.kubernetes.io/not-ready",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    },
    {
        "key": "node.kubernetes.io/unreachable",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    },
]
TEMPLATE_SPEC = {
    "containers": [
        {
            "name": "web",
            "image": "nginx:1.25",
            "imagePullPolicy": "IfNotPresent",
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
            "resources": {},
            "ports": [{"containerPort": 80, "protocol": "TCP"}],
        }
    ],
    "dnsPolicy": "ClusterFirst",
    "restartPolicy": "Always",
    "securityContext": {},
    "terminationGracePeriodSeconds": 30,
    "schedulerName": "default-scheduler",
}


def deployment(**spec: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {"name": "web", "image": "nginx:1.25", "ports": [{"containerPort": 80}]}
                    ]
                },
            },
        },
    }
    obj["spec"].update(spec)
    return obj


def pod(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}], **spec},
    }


def defaulted(obj: dict[str, Any]) -> dict[str, Any]:
    apply_defaults(obj)
    return obj


def test_deployment_defaults() -> None:
    spec = defaulted(deployment())["spec"]
    assert spec == {
        "replicas": 1,
        "selector": {"matchLabels": {"app": "web"}},
        "strategy": {
            "type": "RollingUpdate",
            "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"},
        },
        "revisionHistoryLimit": 10,
        "progressDeadlineSeconds": 600,
        "template": {"metadata": {"labels": {"app": "web"}}, "spec": TEMPLATE_SPEC},
    }


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"type": "RollingUpdate"}, {"maxUnavailable": "25%", "maxSurge": "25%"}),
        ({"rollingUpdate": {"maxSurge": 1}}, {"maxUnavailable": "25%", "maxSurge": 1}),
        ({"rollingUpdate": {"maxUnavailable": 0}}, {"maxUnavailable": 0, "maxSurge": "25%"}),
        ({"rollingUpdate": None}, {"maxUnavailable": "25%", "maxSurge": "25%"}),
    ],
)
def test_rolling_update_fields_default_independently(
    given: dict[str, Any], expected: dict[str, Any]
) -> None:
    strategy = defaulted(deployment(strategy=given))["spec"]["strategy"]
    assert strategy == {"type": "RollingUpdate", "rollingUpdate": expected}


def test_recreate_gets_no_rolling_update() -> None:
    strategy = defaulted(deployment(strategy={"type": "Recreate"}))["spec"]["strategy"]
    assert strategy == {"type": "Recreate"}


@pytest.mark.parametrize(
    ("given", "expected"),
    [(0, 0), (5, 5), (None, 1)],  # null is unset; 0 is a value
)
def test_replicas_default_only_when_unset(given: int | None, expected: int) -> None:
    assert defaulted(deployment(replicas=given))["spec"]["replicas"] == expected


def test_user_values_are_kept() -> None:
    spec = defaulted(deployment(revisionHistoryLimit=0, progressDeadlineSeconds=30))["spec"]
    assert (spec["revisionHistoryLimit"], spec["progressDeadlineSeconds"]) == (0, 30)


def test_missing_template_is_defaulted_like_go_zero_struct() -> None:
    obj = deployment()
    del obj["spec"]["template"]
    assert defaulted(obj)["spec"]["template"]["spec"]["restartPolicy"] == "Always"


def test_replica_set_defaults() -> None:
    rs = deployment()
    rs["kind"] = "ReplicaSet"
    spec = defaulted(rs)["spec"]
    assert spec["replicas"] == 1
    assert "strategy" not in spec and "revisionHistoryLimit" not in spec
    assert spec["template"]["spec"] == TEMPLATE_SPEC


def test_templates_get_no_pod_only_fields() -> None:
    template_spec = defaulted(deployment())["spec"]["template"]["spec"]
    for pod_only in ("enableServiceLinks", "serviceAccountName", "priority", "tolerations"):
        assert pod_only not in template_spec


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("nginx:1.25", "IfNotPresent"),
        ("nginx@sha256:" + "a" * 64, "IfNotPresent"),
        ("nginx:latest@sha256:" + "a" * 64, "Always"),
        ("registry.local:5000/team/nginx", "Always"),
        ("registry.local:5000/team/nginx:1.25", "IfNotPresent"),
        ("Nginx", "IfNotPresent"),  # does not parse: no tag found, so not Always
        ("", "IfNotPresent"),
    ],
)
def test_image_pull_policy(image: str, policy: str) -> None:
    assert pull_policy_for(image) == policy
    obj = pod()
    obj["spec"]["containers"][0]["image"] = image
    assert defaulted(obj)["spec"]["containers"][0]["imagePullPolicy"] == policy


def test_explicit_pull_policy_is_kept() -> None:
    obj = pod()
    obj["spec"]["containers"][0]["imagePullPolicy"] = "Never"
    assert defaulted(obj)["spec"]["containers"][0]["imagePullPolicy"] == "Never"


def test_image_tag() -> None:
    assert image_tag("nginx") == "latest"
    assert image_tag("nginx:1.25-alpine") == "1.25-alpine"
    assert image_tag("nginx@sha256:" + "0" * 64) == ""


def test_pod_defaults_and_admission() -> None:
    spec = defaulted(pod())["spec"]
    assert spec == {
        "containers": [
            {
                "name": "web",
                "image": "nginx:1.25",
                "imagePullPolicy": "IfNotPresent",
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
                "resources": {},
            }
        ],
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": "Always",
        "securityContext": {},
        "terminationGracePeriodSeconds": 30,
        "schedulerName": "default-scheduler",
        "enableServiceLinks": True,
        "serviceAccountName": "default",
        "serviceAccount": "default",
        "priority": 0,
        "preemptionPolicy": "PreemptLowerPriority",
        "tolerations": TOLERATIONS,
    }


def test_defaulting_a_pod_twice_changes_nothing() -> None:
    once = defaulted(pod())
    assert defaulted(copy.deepcopy(once)) == once


def test_pod_keeps_user_choices() -> None:
    spec = defaulted(
        pod(
            restartPolicy="Never",
            enableServiceLinks=False,
            serviceAccountName="builder",
            terminationGracePeriodSeconds=0,
            priority=5,
        )
    )["spec"]
    assert spec["restartPolicy"] == "Never"
    assert spec["enableServiceLinks"] is False
    assert (spec["serviceAccountName"], spec["serviceAccount"]) == ("builder", "builder")
    assert spec["terminationGracePeriodSeconds"] == 0
    assert spec["priority"] == 5 and "preemptionPolicy" not in spec


def test_deprecated_service_account_fills_the_new_field() -> None:
    spec = defaulted(pod(serviceAccount="legacy"))["spec"]
    assert (spec["serviceAccountName"], spec["serviceAccount"]) == ("legacy", "legacy")


@pytest.mark.parametrize(
    ("existing", "added"),
    [
        ([], TOLERATIONS),
        ([{"operator": "Exists"}], []),  # tolerates every taint
        ([{"key": "node.kubernetes.io/not-ready", "operator": "Exists"}], TOLERATIONS[1:]),
        (
            [
                {
                    "key": "node.kubernetes.io/unreachable",
                    "operator": "Exists",
                    "effect": "NoSchedule",
                }
            ],
            TOLERATIONS,
        ),
    ],
)
def test_default_toleration_seconds(
    existing: list[dict[str, Any]], added: list[dict[str, Any]]
) -> None:
    obj = pod(tolerations=copy.deepcopy(existing))
    admit_pod(obj)
    assert obj["spec"]["tolerations"] == existing + added


def test_pod_container_details() -> None:
    probe = {"httpGet": {"port": 80}}
    obj = pod(hostNetwork=True)
    obj["spec"]["containers"][0].update(
        ports=[{"containerPort": 80}, {"containerPort": 53, "protocol": "UDP"}],
        livenessProbe=probe,
        resources={"limits": {"cpu": "500m"}},
    )
    container = defaulted(obj)["spec"]["containers"][0]
    assert container["ports"] == [
        {"containerPort": 80, "protocol": "TCP", "hostPort": 80},
        {"containerPort": 53, "protocol": "UDP", "hostPort": 53},
    ]
    assert container["livenessProbe"] == {
        "httpGet": {"port": 80, "path": "/", "scheme": "HTTP"},
        "timeoutSeconds": 1,
        "periodSeconds": 10,
        "successThreshold": 1,
        "failureThreshold": 3,
    }
    assert container["resources"] == {"limits": {"cpu": "500m"}, "requests": {"cpu": "500m"}}


def test_namespace_defaults() -> None:
    ns = defaulted({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    assert ns == {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "dev", "labels": {"kubernetes.io/metadata.name": "dev"}},
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


def test_namespace_keeps_a_removed_finalizer_and_its_phase() -> None:
    ns = {
        "kind": "Namespace",
        "metadata": {"name": "dev"},
        "spec": {"finalizers": []},
        "status": {"phase": "Terminating"},
    }
    apply_defaults(ns)
    assert ns["spec"] == {"finalizers": []} and ns["status"] == {"phase": "Terminating"}


def test_node_allocatable_defaults_to_capacity() -> None:
    node = defaulted(
        {"kind": "Node", "metadata": {"name": "n1"}, "status": {"capacity": {"pods": "110"}}}
    )
    assert node["status"]["allocatable"] == {"pods": "110"}


@pytest.mark.parametrize(
    "obj",
    [
        {"kind": "Event", "metadata": {"name": "e"}, "reason": "Scheduled"},
        {"kind": "ConfigMap", "metadata": {"name": "c"}},
        {"kind": "Node", "metadata": {"name": "n1"}},
    ],
)
def test_kinds_without_defaults_are_untouched(obj: dict[str, Any]) -> None:
    before = copy.deepcopy(obj)
    apply_defaults(obj)
    assert obj == before


def test_wrong_types_are_left_for_validation() -> None:
    obj = deployment(replicas="3", strategy="RollingUpdate")
    obj["spec"]["template"]["spec"]["containers"] = "nginx"
    apply_defaults(obj)  # does not raise
    assert obj["spec"]["replicas"] == "3" and obj["spec"]["strategy"] == "RollingUpdate"
