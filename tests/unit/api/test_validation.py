"""Validation: every rule of apps validation.go with its exact message; decoder type errors."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from controlplane.api import errors
from controlplane.api.defaults import apply_defaults
from controlplane.api.registry import kind_info
from controlplane.api.validation import decode_error, validate

Obj = dict[str, Any]

SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
LABEL = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
LABEL_VALUE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
KEY_NAME = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used "
    "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
PERCENT = (
    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or "
    "'93%', regex used for validation is '[0-9]+%')"
)
MISMATCH = "`selector` does not match template `labels`"


def deployment(kind: str = "Deployment") -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]},
            },
        },
    }


def pod() -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]},
    }


def problems(obj: Obj, old: Obj | None = None) -> list[str]:
    """What the API server reports: defaults first, then validation."""
    apply_defaults(obj)
    return [str(e) for e in validate(obj, old)]


def spec(obj: Obj) -> Obj:
    result: Obj = obj["spec"]
    return result


def template(obj: Obj) -> Obj:
    result: Obj = obj["spec"]["template"]["spec"]
    return result


def set_path(obj: Obj, path: str, value: Any) -> Obj:
    *parents, last = path.split(".")
    node = obj
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    key: Any = int(last) if isinstance(node, list) else last
    if value is _DELETE:
        del node[key]
    else:
        node[key] = value
    return obj


_DELETE = object()


@pytest.mark.parametrize("make", [deployment, lambda: deployment("ReplicaSet"), pod])
def test_valid_objects_have_no_problems(make: Callable[[], Obj]) -> None:
    assert problems(make()) == []


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            "spec.replicas",
            -1,
            ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"],
        ),
        (
            "spec.minReadySeconds",
            -2,
            ["spec.minReadySeconds: Invalid value: -2: must be greater than or equal to 0"],
        ),
        (
            "spec.revisionHistoryLimit",
            -1,
            ["spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"],
        ),
        (
            "spec.progressDeadlineSeconds",
            -1,
            [
                "spec.progressDeadlineSeconds: Invalid value: -1: must be greater than or equal "
                "to 0",
                "spec.progressDeadlineSeconds: Invalid value: -1: must be greater than "
                "minReadySeconds",
            ],
        ),
        (
            "spec.selector",
            _DELETE,
            [
                "spec.selector: Required value",
                f'spec.template.metadata.labels: Invalid value: {{"app":"web"}}: {MISMATCH}',
            ],
        ),
        (
            "spec.selector",
            {},
            ["spec.selector: Invalid value: {}: empty selector is invalid for deployment"],
        ),
        (
            "spec.selector",
            {"matchLabels": {"app": "web2"}},
            [
                f'spec.template.metadata.labels: Invalid value: {{"app":"web"}}: {MISMATCH}',
            ],
        ),
        (
            "spec.template.metadata.labels",
            None,
            [f"spec.template.metadata.labels: Invalid value: null: {MISMATCH}"],
        ),
        (
            "spec.selector",
            {"matchExpressions": [{"key": "app", "operator": "Is", "values": ["web"]}]},
            [
                'spec.selector.matchExpressions[0].operator: Invalid value: "Is": not a valid '
                "selector operator",
                "spec.selector: Invalid value: "
                '{"matchExpressions":[{"key":"app","operator":"Is","values":["web"]}]}: '
                "invalid label selector",
            ],
        ),
        (
            "spec.selector",
            {"matchExpressions": [{"key": "app", "operator": "In"}]},
            [
                "spec.selector.matchExpressions[0].values: Required value: must be specified when "
                "`operator` is "
                "'In' or 'NotIn'",
                "spec.selector: Invalid value: "
                '{"matchExpressions":[{"key":"app","operator":"In"}]}: '
                "invalid label selector",
            ],
        ),
        (
            "spec.selector",
            {"matchExpressions": [{"key": "app", "operator": "Exists", "values": ["x"]}]},
            [
                "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when "
                "`operator` is "
                "'Exists' or 'DoesNotExist'",
                "spec.selector: Invalid value: "
                '{"matchExpressions":[{"key":"app","operator":"Exists","values":["x"]}]}: '
                "invalid label selector",
            ],
        ),
        (
            "spec.selector",
            {"matchLabels": {"app": "-web"}},
            [
                f'spec.selector.matchLabels: Invalid value: "-web": {LABEL_VALUE}',
                'spec.selector: Invalid value: {"matchLabels":{"app":"-web"}}: invalid label '
                "selector",
            ],
        ),
        (
            "spec.strategy",
            {"type": "Recreate", "rollingUpdate": {}},
            [
                "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy "
                "`type` is 'Recreate'",
            ],
        ),
        (
            "spec.strategy",
            {"type": "Blue"},
            [
                'spec.strategy: Unsupported value: {"Type":"Blue","RollingUpdate":null}: '
                'supported values: "Recreate", "RollingUpdate"',
            ],
        ),
        (
            "spec.strategy.rollingUpdate",
            {"maxSurge": 0, "maxUnavailable": 0},
            [
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when "
                "`maxSurge` is 0",
            ],
        ),
        (
            "spec.strategy.rollingUpdate",
            {"maxSurge": "0%", "maxUnavailable": "0%"},
            [
                'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 '
                "when `maxSurge` is 0",
            ],
        ),
        (
            "spec.strategy.rollingUpdate.maxUnavailable",
            "150%",
            [
                'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be '
                "greater than 100%",
            ],
        ),
        ("spec.strategy.rollingUpdate.maxSurge", "150%", []),  # only maxUnavailable is capped
        (
            "spec.strategy.rollingUpdate.maxUnavailable",
            "abc",
            [
                f'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "abc": {PERCENT}',
            ],
        ),
        (
            "spec.strategy.rollingUpdate.maxSurge",
            -1,
            [
                "spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or "
                "equal to 0",
            ],
        ),
        (
            "spec.strategy.rollingUpdate",
            {"maxSurge": "x", "maxUnavailable": 0},
            [  # "x" counts as 0
                f'spec.strategy.rollingUpdate.maxSurge: Invalid value: "x": {PERCENT}',
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when "
                "`maxSurge` is 0",
            ],
        ),
        (
            "spec.template.spec.restartPolicy",
            "Never",
            [
                'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: '
                '"Always"',
            ],
        ),
        (
            "spec.template.spec.restartPolicy",
            "Sometimes",
            [
                'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported '
                "values: "
                '"Always", "OnFailure", "Never"',
                'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported '
                'values: "Always"',
            ],
        ),
        (
            "spec.template.spec.activeDeadlineSeconds",
            30,
            [
                "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in "
                "ReplicaSet is not "
                "Supported",
            ],
        ),
        ("spec.template.spec.containers", [], ["spec.template.spec.containers: Required value"]),
        (
            "spec.template.spec.containers.0.image",
            "",
            ["spec.template.spec.containers[0].image: Required value"],
        ),
        (
            "spec.template.spec.containers.0.name",
            "",
            ["spec.template.spec.containers[0].name: Required value"],
        ),
        (
            "spec.template.spec.containers.0.name",
            "Web_1",
            [
                f'spec.template.spec.containers[0].name: Invalid value: "Web_1": {LABEL}',
            ],
        ),
        (
            "spec.template.spec.dnsPolicy",
            "Google",
            [
                'spec.template.spec.dnsPolicy: Unsupported value: "Google": supported values: '
                '"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
            ],
        ),
        (
            "spec.template.metadata.labels",
            {"app": "web", "Bad Key": "x"},
            [
                f'spec.template.labels: Invalid value: "Bad Key": {KEY_NAME}',
            ],
        ),
        (
            "metadata.labels",
            {"app": "-web"},
            [f'metadata.labels: Invalid value: "-web": {LABEL_VALUE}'],
        ),
        (
            "spec.template.metadata.annotations",
            {"mkctl.dev/ready-delay": "later"},
            [
                'spec.template.annotations[mkctl.dev/ready-delay]: Invalid value: "later": must '
                'be a duration of zero or more, such as "500ms", "5s" or "1m30s"',
            ],
        ),
    ],
)
def test_deployment_rules(path: str, value: Any, expected: list[str]) -> None:
    assert problems(set_path(deployment(), path, value)) == expected


def test_progress_deadline_must_exceed_min_ready() -> None:
    obj = deployment()
    spec(obj).update(progressDeadlineSeconds=5, minReadySeconds=10)
    assert problems(obj) == [
        "spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds"
    ]


def test_all_container_problems_are_reported() -> None:
    obj = deployment()
    template(obj)["containers"] = [
        {"name": "web", "image": "nginx"},
        {"name": "web", "image": "nginx"},
        {"image": ""},
        {"name": "x", "image": "y", "imagePullPolicy": "Sometimes", "ports": [{"name": "HTTP"}]},
    ]
    assert problems(obj) == [
        'spec.template.spec.containers[1].name: Duplicate value: "web"',
        "spec.template.spec.containers[2].name: Required value",
        "spec.template.spec.containers[2].image: Required value",
        'spec.template.spec.containers[3].ports[0].name: Invalid value: "HTTP": '
        "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        'spec.template.spec.containers[3].ports[0].name: Invalid value: "HTTP": '
        "must contain at least one letter (a-z)",
        "spec.template.spec.containers[3].ports[0].containerPort: Required value",
        'spec.template.spec.containers[3].imagePullPolicy: Unsupported value: "Sometimes": '
        'supported values: "Always", "IfNotPresent", "Never"',
    ]


def test_the_two_cause_message_of_reference_2_2() -> None:
    obj = deployment()
    del spec(obj)["selector"]
    apply_defaults(obj)
    err = errors.invalid(kind_info("Deployment"), "web", validate(obj))
    assert err.message == (
        'Deployment.apps "web" is invalid: [spec.selector: Required value, '
        f'spec.template.metadata.labels: Invalid value: {{"app":"web"}}: {MISMATCH}]'
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("web-1.example", []),
        ("My_App", [f'metadata.name: Invalid value: "My_App": {SUBDOMAIN}']),
        (
            "a" * 254,
            [f'metadata.name: Invalid value: "{"a" * 254}": must be no more than 253 characters'],
        ),
        ("", ["metadata.name: Required value: name or generateName is required"]),
    ],
)
def test_workload_names_are_dns_subdomains(name: str, expected: list[str]) -> None:
    for kind in ("Deployment", "ReplicaSet"):
        obj = deployment(kind)
        obj["metadata"]["name"] = name
        assert problems(obj) == expected


def test_generate_name_is_checked_as_a_prefix() -> None:
    obj = deployment()
    obj["metadata"] = {"generateName": "web-", "namespace": "default"}
    assert problems(obj) == []
    obj["metadata"]["generateName"] = "Web-"
    assert problems(obj) == [f'metadata.generateName: Invalid value: "Web-": {SUBDOMAIN}']


def test_replica_set_rules() -> None:
    obj = deployment("ReplicaSet")
    spec(obj).update(replicas=-1, minReadySeconds=-1, selector={})
    assert problems(obj) == [
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0",
        "spec.selector: Invalid value: {}: empty selector is invalid for deployment",  # sic
    ]


@pytest.mark.parametrize("kind", ["Deployment", "ReplicaSet"])
def test_selector_is_immutable(kind: str) -> None:
    old = deployment(kind)
    apply_defaults(old)
    new = copy.deepcopy(old)
    spec(new)["selector"] = {"matchLabels": {"app": "web2"}}
    new["spec"]["template"]["metadata"]["labels"] = {"app": "web2"}
    assert problems(new, old) == [
        'spec.selector: Invalid value: {"matchLabels":{"app":"web2"}}: field is immutable'
    ]


def test_same_selector_spelled_differently_is_not_a_change() -> None:
    old = deployment()
    apply_defaults(old)
    new = copy.deepcopy(old)
    spec(new)["selector"] = {"matchLabels": {"app": "web"}, "matchExpressions": []}
    spec(new)["replicas"] = 5
    assert problems(new, old) == []


def test_names_are_not_rechecked_on_update() -> None:
    old = deployment()
    old["metadata"]["name"] = "Legacy_Name"
    apply_defaults(old)
    assert problems(copy.deepcopy(old), old) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda p: p["spec"].update(containers=[]), ["spec.containers: Required value"]),
        (
            lambda p: p["spec"]["containers"][0].update(image=""),
            ["spec.containers[0].image: Required value"],
        ),
        (
            lambda p: p["spec"]["containers"][0].update(image=" nginx"),
            [
                'spec.containers[0].image: Invalid value: " nginx": must not have leading or '
                "trailing whitespace",
            ],
        ),
        (lambda p: p["spec"].update(restartPolicy="Never"), []),
        (
            lambda p: p["spec"].update(restartPolicy="Sometimes"),
            [
                'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", '
                '"OnFailure", "Never"',
            ],
        ),
        (
            lambda p: p["spec"].update(initContainers=[{"name": "web", "image": "busybox"}]),
            [
                'spec.initContainers[0].name: Duplicate value: "web"',
            ],
        ),
        (
            lambda p: p["spec"]["containers"][0].update(
                ports=[{"containerPort": 70000, "protocol": "HTTP"}]
            ),
            [
                "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between "
                "1 and 65535, inclusive",
                'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported '
                'values: "SCTP", "TCP", "UDP"',
            ],
        ),
        (
            lambda p: p["spec"].update(nodeName="Node_1"),
            [f'spec.nodeName: Invalid value: "Node_1": {SUBDOMAIN}'],
        ),
        (
            lambda p: p["metadata"].update(
                annotations={"controller.kubernetes.io/pod-deletion-cost": "+10"}
            ),
            [
                "metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "
                '"+10": '
                "must be a 32bit integer",
            ],
        ),
        (
            lambda p: p["metadata"].update(
                annotations={"controller.kubernetes.io/pod-deletion-cost": "-10"}
            ),
            [],
        ),
        (
            lambda p: p["metadata"].update(
                annotations={"mkctl.dev/outcome": "crash", "mkctl.dev/pull-delay": "5 s"}
            ),
            [
                'metadata.annotations[mkctl.dev/outcome]: Unsupported value: "crash": supported '
                'values: "crashloop", "liveness-failure", "never-ready", "ok", "pull-failure", '
                '"startup-failure"',
                'metadata.annotations[mkctl.dev/pull-delay]: Invalid value: "5 s": must be a '
                'duration of zero or more, such as "500ms", "5s" or "1m30s"',
            ],
        ),
        (
            lambda p: p["metadata"].update(
                annotations={"mkctl.dev/outcome": "never-ready", "mkctl.dev/stop-delay": "1m30s"}
            ),
            [],
        ),
        (
            lambda p: p["metadata"].update(annotations={"-bad": "x"}),
            [
                f'metadata.annotations: Invalid value: "-bad": {KEY_NAME}',
            ],
        ),
        (
            lambda p: p["metadata"].update(annotations={"big": "x" * 262144}),
            [
                "metadata.annotations: Too long: may not be more than 262144 bytes",
            ],
        ),
    ],
)
def test_pod_rules(change: Callable[[Obj], None], expected: list[str]) -> None:
    obj = pod()
    change(obj)
    assert problems(obj) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("team-a", []),
        ("web.v1", ['metadata.name: Invalid value: "web.v1": must not contain dots']),
        ("Team_A", [f'metadata.name: Invalid value: "Team_A": {LABEL}']),
        (
            "a" * 64,
            [  # the defaulted kubernetes.io/metadata.name label is too long as well
                f'metadata.name: Invalid value: "{"a" * 64}": must be no more than 63 characters',
                f'metadata.labels: Invalid value: "{"a" * 64}": must be no more than 63 characters',
            ],
        ),
    ],
)
def test_namespace_names_are_dns_labels(name: str, expected: list[str]) -> None:
    assert (
        problems({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}) == expected
    )


def test_node_names_are_dns_subdomains() -> None:
    node: Obj = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1.zone"}}
    assert problems(node) == []
    node["metadata"]["name"] = "Node 1"
    assert problems(node) == [f'metadata.name: Invalid value: "Node 1": {SUBDOMAIN}']


def event(
    name: str = "web.17c2a4f0b1a3e5d2", namespace: str = "default", involved: str = "default"
) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": name, "namespace": namespace},
        "involvedObject": {"kind": "Pod", "name": "web", "namespace": involved},
        "reason": "Scheduled",
    }


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        (event(), []),
        (event(name="Any_Name.Is.Fine"), []),  # event names are only path segments
        (event(name="a/b"), ["metadata.name: Invalid value: \"a/b\": may not contain '/'"]),
        (event(name=".."), ["metadata.name: Invalid value: \"..\": may not be '..'"]),
        (event(name=""), ["metadata.name: Required value: name or generateName is required"]),
        (event(involved=""), []),  # cluster-scoped object, event in "default"
        (
            event(involved="other"),
            ['involvedObject.namespace: Invalid value: "other": does not match event.namespace'],
        ),
    ],
)
def test_event_rules(obj: Obj, expected: list[str]) -> None:
    assert problems(obj) == expected


def test_unknown_kinds_are_not_validated() -> None:
    assert validate({"kind": "HorizontalPodAutoscaler", "metadata": {}}) == []


# --- field types: what the JSON decoder refuses before any validation ---

HEAD = 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal'


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            "spec.replicas",
            "3",
            f"{HEAD} string into Go struct field DeploymentSpec.spec.replicas of type int32",
        ),
        (
            "spec.replicas",
            1.5,
            f"{HEAD} number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32",
        ),
        (
            "spec.replicas",
            2**31,
            f"{HEAD} number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type "
            "int32",
        ),
        (
            "spec.paused",
            "yes",
            f"{HEAD} string into Go struct field DeploymentSpec.spec.paused of type bool",
        ),
        (
            "spec.strategy.rollingUpdate.maxSurge",
            0.5,
            f"{HEAD} number 0.5 into Go struct field "
            "RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32",
        ),
        (
            "spec.strategy.type",
            1,
            f"{HEAD} number into Go struct field DeploymentStrategy.spec.strategy.type of type "
            "v1.DeploymentStrategyType",
        ),
        (
            "spec.template.spec.containers.0.image",
            ["nginx"],
            f"{HEAD} array into Go struct field Container.spec.template.spec.containers.image of "
            "type string",
        ),
        (
            "spec.template.spec.containers",
            {"name": "web"},
            f"{HEAD} object into Go struct field PodSpec.spec.template.spec.containers of type "
            "[]v1.Container",
        ),
        (
            "spec.template.spec.containers.0",
            "nginx",
            f"{HEAD} string into Go struct field PodSpec.spec.template.spec.containers of type "
            "v1.Container",
        ),
        (
            "spec.template.spec.containers.0.env",
            [{"name": "PORT", "value": 7070}],
            f"{HEAD} number into Go struct field EnvVar.spec.template.spec.containers.env.value "
            "of type string",
        ),
        (
            "spec.template.metadata.labels",
            {"app": True},
            f"{HEAD} bool into Go struct field ObjectMeta.spec.template.metadata.labels of type "
            "string",
        ),
        (
            "metadata.labels",
            ["app=web"],
            f"{HEAD} array into Go struct field ObjectMeta.metadata.labels of type "
            "map[string]string",
        ),
        (
            "spec",
            "replicas: 3",
            f"{HEAD} string into Go struct field Deployment.spec of type v1.DeploymentSpec",
        ),
    ],
)
def test_decode_errors(path: str, value: Any, message: str) -> None:
    obj = set_path(deployment(), path, value)
    assert decode_error(obj) == message
    assert validate(obj)  # validation refuses it too, whatever the caller does first


def test_integral_numbers_and_nulls_decode_fine() -> None:
    obj = deployment()
    spec(obj).update(replicas=3.0, minReadySeconds=None)
    assert decode_error(obj) is None


def test_decoder_reports_the_first_problem_in_sorted_key_order() -> None:
    obj = deployment()
    spec(obj).update(replicas="3", minReadySeconds="x")
    assert decode_error(obj) == (
        f"{HEAD} string into Go struct field DeploymentSpec.spec.minReadySeconds of type int32"
    )


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            "spec.replicas",
            "3",
            [
                'spec.replicas: Invalid value: "string": spec.replicas in body must be of type '
                'integer: "string"'
            ],
        ),
        (
            "spec.replicas",
            1.5,
            [
                'spec.replicas: Invalid value: "number": spec.replicas in body must be of type '
                'integer: "number"'
            ],
        ),
        (
            "spec.template.spec.containers.0.ports",
            [{"containerPort": "80"}],
            [
                'spec.template.spec.containers[0].ports[0].containerPort: Invalid value: "string": '
                "spec.template.spec.containers[0].ports[0].containerPort in body must be of type "
                'integer: "string"',
            ],
        ),
    ],
)
def test_validate_reports_every_mistyped_field(path: str, value: Any, expected: list[str]) -> None:
    obj = set_path(deployment(), path, value)
    assert problems(obj) == expected


def test_pod_decode_error_names_the_pod_kind() -> None:
    obj = pod()
    obj["spec"]["terminationGracePeriodSeconds"] = "30s"
    assert decode_error(obj) == (
        'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go '
        "struct field PodSpec.spec.terminationGracePeriodSeconds of type int64"
    )
