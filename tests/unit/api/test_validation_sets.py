"""StatefulSet, DaemonSet and ControllerRevision: defaults, validation messages, and the
API server's bookkeeping (generation, DaemonSet template generation), upstream's texts."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from controlplane.api.defaults import apply_defaults
from controlplane.api.errors import ApiError
from controlplane.api.validation import validate
from controlplane.api.verbs import Api

Obj = dict[str, Any]
MISMATCH = "`selector` does not match template `labels`"


def workload(kind: str, **spec: Any) -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]},
            },
            **spec,
        },
    }


def problems(obj: Obj, old: Obj | None = None) -> list[str]:
    apply_defaults(obj)
    return [str(e) for e in validate(obj, old)]


# --- defaults ---


def test_stateful_set_defaults() -> None:
    sts = workload("StatefulSet")
    apply_defaults(sts)
    spec = sts["spec"]
    assert spec["replicas"] == 1 and spec["revisionHistoryLimit"] == 10
    assert spec["podManagementPolicy"] == "OrderedReady"
    assert spec["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
    assert spec["persistentVolumeClaimRetentionPolicy"] == {
        "whenDeleted": "Retain",
        "whenScaled": "Retain",
    }
    assert spec["template"]["spec"]["restartPolicy"] == "Always"


def test_an_explicit_rolling_update_type_gets_no_rolling_update_block() -> None:
    sts = workload("StatefulSet", updateStrategy={"type": "RollingUpdate"})
    apply_defaults(sts)
    assert sts["spec"]["updateStrategy"] == {"type": "RollingUpdate"}


def test_daemon_set_defaults() -> None:
    ds = workload("DaemonSet")
    apply_defaults(ds)
    assert ds["spec"]["updateStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0},
    }
    assert ds["spec"]["revisionHistoryLimit"] == 10
    on_delete = workload("DaemonSet", updateStrategy={"type": "OnDelete"})
    apply_defaults(on_delete)
    assert on_delete["spec"]["updateStrategy"] == {"type": "OnDelete"}


# --- StatefulSet ---


@pytest.mark.parametrize("kind", ["StatefulSet", "DaemonSet"])
def test_valid_sets_have_no_problems(kind: str) -> None:
    assert problems(workload(kind)) == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            {"podManagementPolicy": "Random"},
            [
                "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or "
                "'Parallel'"
            ],
        ),
        (
            {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": -1}}},
            [
                "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater "
                "than or equal to 0"
            ],
        ),
        (
            {"updateStrategy": {"type": "OnDelete", "rollingUpdate": {"partition": 1}}},
            [
                'spec.updateStrategy.rollingUpdate: Invalid value: {"Partition":1,'
                "\"MaxUnavailable\":null}: only allowed for updateStrategy 'RollingUpdate'"
            ],
        ),
        (
            {"updateStrategy": {"type": "Blue"}},
            [
                'spec.updateStrategy: Invalid value: {"Type":"Blue","RollingUpdate":null}: must '
                "be 'RollingUpdate' or 'OnDelete'"
            ],
        ),
        (
            {"replicas": -1, "minReadySeconds": -1},
            [
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0",
            ],
        ),
        (
            {"selector": {"matchLabels": {"app": "other"}}},
            [f'spec.template.metadata.labels: Invalid value: {{"app":"web"}}: {MISMATCH}'],
        ),
        (
            {"selector": {}},
            ["spec.selector: Invalid value: {}: empty selector is invalid for statefulset"],
        ),
    ],
    ids=["policy", "partition", "on-delete-rolling", "strategy", "numbers", "mismatch", "empty"],
)
def test_stateful_set_validation(spec: Obj, expected: list[str]) -> None:
    assert problems(workload("StatefulSet", **spec)) == expected


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("web.v1", 'metadata.name: Invalid value: "web.v1": must not contain dots'),
        ("My_Web", 'metadata.name: Invalid value: "My_Web": a lowercase RFC 1123 label must'),
    ],
)
def test_stateful_set_names_are_dns_labels(name: str, start: str) -> None:
    sts = workload("StatefulSet")
    sts["metadata"]["name"] = name
    (problem,) = problems(sts)
    assert problem.startswith(start)


def test_a_stateful_sets_pod_spec_is_not_validated_with_the_set() -> None:
    sts = workload("StatefulSet")
    sts["spec"]["template"]["spec"]["containers"][0].pop("image")
    assert problems(sts) == []
    ds = workload("DaemonSet")
    ds["spec"]["template"]["spec"]["containers"][0].pop("image")
    assert problems(ds) == ["spec.template.spec.containers[0].image: Required value"]


FORBIDDEN = (
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', "
    "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' "
    "are forbidden"
)


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("replicas", 5, True),
        ("minReadySeconds", 3, True),
        ("updateStrategy", {"type": "OnDelete"}, True),
        ("serviceName", "other", False),
        ("selector", {"matchLabels": {"app": "web", "tier": "x"}}, False),
        ("podManagementPolicy", "Parallel", False),
        ("revisionHistoryLimit", 3, False),
    ],
)
def test_stateful_set_updates_may_change_only_some_fields(
    field: str, value: Any, allowed: bool
) -> None:
    old = workload("StatefulSet", serviceName="nginx")
    apply_defaults(old)
    new = copy.deepcopy(old)
    new["spec"][field] = value
    if field == "selector":
        new["spec"]["template"]["metadata"]["labels"]["tier"] = "x"
    assert problems(new, old) == ([] if allowed else [FORBIDDEN])


# --- DaemonSet ---


@pytest.mark.parametrize(
    ("rolling", "expected"),
    [
        (
            {"maxUnavailable": 0, "maxSurge": 0},
            [
                "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 "
                "when maxSurge is 0"
            ],
        ),
        (
            {"maxUnavailable": 1, "maxSurge": 1},
            [
                "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set "
                "when maxUnavailable is non-zero"
            ],
        ),
        (
            {"maxUnavailable": "150%", "maxSurge": 0},
            [
                'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must '
                "not be greater than 100%"
            ],
        ),
        ({"maxUnavailable": 0, "maxSurge": "20%"}, []),
    ],
)
def test_daemon_set_rolling_update_budgets(rolling: Obj, expected: list[str]) -> None:
    strategy = {"type": "RollingUpdate", "rollingUpdate": rolling}
    assert problems(workload("DaemonSet", updateStrategy=strategy)) == expected


def test_daemon_set_strategy_and_selector_rules() -> None:
    assert problems(workload("DaemonSet", updateStrategy={"type": "Blue"})) == [
        'spec.updateStrategy: Unsupported value: {"Type":"Blue","RollingUpdate":null}: '
        'supported values: "RollingUpdate", "OnDelete"'
    ]
    no_selector = workload("DaemonSet")
    del no_selector["spec"]["selector"]
    assert problems(no_selector) == [
        f'spec.template.metadata.labels: Invalid value: {{"app":"web"}}: {MISMATCH}'
    ]
    assert problems(workload("DaemonSet", selector={})) == [
        "spec.selector: Invalid value: {}: empty selector is invalid for daemonset"
    ]
    old = workload("DaemonSet")
    apply_defaults(old)
    new = copy.deepcopy(old)
    new["spec"]["selector"]["matchLabels"]["tier"] = "x"
    new["spec"]["template"]["metadata"]["labels"]["tier"] = "x"
    assert problems(new, old) == [
        'spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable'
    ]


# --- ControllerRevision ---


def test_controller_revision_data_is_required_and_immutable() -> None:
    revision = {
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": {"name": "web-1", "namespace": "default"},
        "revision": -1,
    }
    assert problems(revision) == [
        "data: Required value: data is mandatory",
        "revision: Invalid value: -1: must be greater than or equal to 0",
    ]
    old = {**revision, "data": {"a": 1}, "revision": 1}
    new = {**old, "data": {"a": 2}, "revision": 2}
    assert problems(new, old) == ['data: Invalid value: {"a":2}: field is immutable']
    assert problems({**old, "revision": 5}, old) == []


# --- what the API server stamps ---


def test_generation_and_template_generation(api: Api) -> None:
    created = api.create(workload("DaemonSet"))
    assert created["metadata"]["generation"] == 1
    assert created["metadata"]["annotations"] == {"deprecated.daemonset.template.generation": "1"}
    changed = copy.deepcopy(created)
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.26"
    changed = api.update(changed)
    assert changed["metadata"]["generation"] == 2
    assert changed["metadata"]["annotations"]["deprecated.daemonset.template.generation"] == "2"
    relimited = copy.deepcopy(changed)
    relimited["spec"]["revisionHistoryLimit"] = 3
    relimited = api.update(relimited)
    assert relimited["metadata"]["generation"] == 3
    assert relimited["metadata"]["annotations"]["deprecated.daemonset.template.generation"] == "2"
    sts = api.create(workload("StatefulSet"))
    assert sts["metadata"]["generation"] == 1 and "annotations" not in sts["metadata"]


def test_an_invalid_set_is_refused_with_kubernetes_text(api: Api) -> None:
    with pytest.raises(ApiError) as caught:
        api.create(workload("StatefulSet", podManagementPolicy="Random"))
    assert caught.value.message == (
        'StatefulSet.apps "web" is invalid: spec.podManagementPolicy: Invalid value: "Random": '
        "must be 'OrderedReady' or 'Parallel'"
    )
