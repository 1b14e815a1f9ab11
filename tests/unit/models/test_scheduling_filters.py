"""kube-scheduler's filter reasons and FitError message, table by table."""

from __future__ import annotations

from decimal import Decimal

import pytest

from controlplane.models.node_registration import registered_node
from controlplane.models.scheduling import (
    NodeUsage,
    allocatable_of,
    fit_error,
    placement_reasons,
    resource_fit_reasons,
)

NODE = registered_node("node-1", 0, 0.0)


def with_spec(**spec: object) -> dict:
    return {**NODE, "spec": {**NODE["spec"], **spec}}


@pytest.mark.parametrize(
    ("pod_spec", "node", "reasons"),
    [
        ({}, NODE, []),
        ({}, with_spec(unschedulable=True), ["node(s) were unschedulable"]),
        (  # a toleration of the cordon's taint lets a pod past NodeUnschedulable
            {"tolerations": [{"key": "node.kubernetes.io/unschedulable", "operator": "Exists"}]},
            with_spec(unschedulable=True),
            [],
        ),
        (
            {},
            with_spec(taints=[{"key": "gpu", "value": "yes", "effect": "NoSchedule"}]),
            ["node(s) had untolerated taint {gpu: yes}"],
        ),
        (
            {"nodeSelector": {"disk": "ssd"}},
            NODE,
            ["node(s) didn't match Pod's node affinity/selector"],
        ),
        ({"nodeName": "node-2"}, NODE, ["node(s) didn't match the requested node name"]),
        (  # the first failing filter speaks: unschedulable before affinity
            {"nodeSelector": {"disk": "ssd"}},
            with_spec(unschedulable=True),
            ["node(s) were unschedulable"],
        ),
        (  # a node that is not Ready carries the not-ready taint
            {},
            {**NODE, "status": {**NODE["status"], "conditions": []}},
            ["node(s) had untolerated taint {node.kubernetes.io/not-ready: }"],
        ),
    ],
)
def test_placement_reasons(pod_spec: dict, node: dict, reasons: list[str]) -> None:
    assert placement_reasons(pod_spec, node) == reasons


@pytest.mark.parametrize(
    ("requests", "used", "reasons"),
    [
        ({}, NodeUsage(109), []),
        ({}, NodeUsage(110), ["Too many pods"]),
        ({"cpu": Decimal("0.5")}, NodeUsage(1, {"cpu": Decimal("1.5")}), []),
        ({"cpu": Decimal("0.6")}, NodeUsage(1, {"cpu": Decimal("1.5")}), ["Insufficient cpu"]),
        (
            {"cpu": Decimal(3), "memory": Decimal(9 * 2**30)},
            NodeUsage(110),
            ["Too many pods", "Insufficient cpu", "Insufficient memory"],
        ),
    ],
)
def test_resource_fit_reasons(
    requests: dict[str, Decimal], used: NodeUsage, reasons: list[str]
) -> None:
    assert resource_fit_reasons(requests, allocatable_of(NODE), used) == reasons


def test_fit_error_counts_reasons_sorted_as_strings_and_diagnoses_preemption() -> None:
    message = fit_error(
        4,
        {
            "a": ["Insufficient cpu"],
            "b": ["Insufficient cpu", "Insufficient memory"],
            "c": ["node(s) were unschedulable"],
            "d": ["Insufficient memory"],
        },
    )
    assert message == (
        "0/4 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu, "
        "2 Insufficient memory. preemption: 0/4 nodes are available: 1 Preemption is not "
        "helpful for scheduling, 3 No preemption victims found for incoming pod.."
    )
    assert fit_error(0, {}) == "no nodes available to schedule pods"


def test_requests_are_parsed_once_per_shared_template_and_again_for_other_parts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`SharedRequests`: pods that share their containers (as the informer's pods of one
    template do) are parsed once; an equal but other list, or an added overhead, anew."""
    from controlplane.models import scheduling

    containers = [{"name": "c", "resources": {"requests": {"cpu": "250m", "memory": "64Mi"}}}]
    pods = [{"spec": {"containers": containers, "nodeName": f"n{i}"}} for i in range(3)]
    parsed: list[object] = []
    real = scheduling.requests_of
    monkeypatch.setattr(scheduling, "requests_of", lambda pod: parsed.append(pod) or real(pod))
    requests = scheduling.SharedRequests()
    assert [requests.of(p) for p in pods] == [real(pods[0])] * 3
    assert len(parsed) == 1
    equal = {"spec": {"containers": [dict(containers[0])]}}
    assert requests.of(equal) == real(pods[0]) and len(parsed) == 2
    overhead = {"spec": {"containers": containers, "overhead": {"cpu": "1"}}}
    assert requests.of(overhead)["cpu"] == real(overhead)["cpu"] != real(pods[0])["cpu"]
    assert len(parsed) == 3
