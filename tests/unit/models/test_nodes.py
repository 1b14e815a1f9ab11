"""The node fit predicate shared by the scheduler and the DaemonSet controller."""

from __future__ import annotations

import pytest

from controlplane.models import nodes


def node(name: str = "node-1", labels: dict | None = None, **spec: object) -> dict:
    return {"metadata": {"name": name, "labels": labels or {}}, "spec": spec}


@pytest.mark.parametrize(
    ("toleration", "taint", "tolerated"),
    [
        (
            {"key": "k", "operator": "Equal", "value": "v", "effect": "NoSchedule"},
            {"key": "k", "value": "v", "effect": "NoSchedule"},
            True,
        ),
        ({"key": "k", "value": "v"}, {"key": "k", "value": "w", "effect": "NoSchedule"}, False),
        (
            {"key": "k", "operator": "Exists"},
            {"key": "k", "value": "w", "effect": "NoExecute"},
            True,
        ),
        ({"operator": "Exists"}, {"key": "any", "effect": "NoExecute"}, True),
        (
            {"key": "k", "operator": "Exists", "effect": "NoSchedule"},
            {"key": "k", "effect": "NoExecute"},
            False,
        ),
    ],
)
def test_tolerations(toleration: dict, taint: dict, tolerated: bool) -> None:
    assert nodes.tolerates(toleration, taint) is tolerated


def test_hard_taints_and_the_cordon_taint() -> None:
    pod = {"containers": []}
    assert nodes.fits(pod, node())
    assert not nodes.fits(pod, node(taints=[{"key": "k", "effect": "NoSchedule"}]))
    assert nodes.fits(pod, node(taints=[{"key": "k", "effect": "PreferNoSchedule"}]))
    assert not nodes.fits(pod, node(unschedulable=True))
    tolerating = {"tolerations": [{"key": nodes.UNSCHEDULABLE_TAINT, "operator": "Exists"}]}
    assert nodes.fits(tolerating, node(unschedulable=True))


def affinity(*terms: dict) -> dict:
    return {
        "affinity": {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": list(terms)}
            }
        }
    }


@pytest.mark.parametrize(
    ("requirement", "labels", "fits"),
    [
        ({"key": "zone", "operator": "In", "values": ["a"]}, {"zone": "a"}, True),
        ({"key": "zone", "operator": "In", "values": ["a"]}, {}, False),
        ({"key": "zone", "operator": "NotIn", "values": ["a"]}, {}, True),
        ({"key": "zone", "operator": "NotIn", "values": ["a"]}, {"zone": "a"}, False),
        ({"key": "gpu", "operator": "Exists"}, {"gpu": ""}, True),
        ({"key": "gpu", "operator": "DoesNotExist"}, {"gpu": ""}, False),
        ({"key": "cpus", "operator": "Gt", "values": ["4"]}, {"cpus": "8"}, True),
        ({"key": "cpus", "operator": "Lt", "values": ["4"]}, {"cpus": "8"}, False),
    ],
)
def test_node_affinity_operators(requirement: dict, labels: dict, fits: bool) -> None:
    spec = affinity({"matchExpressions": [requirement]})
    assert nodes.fits(spec, node(labels=labels)) is fits


def test_terms_are_ored_an_empty_term_matches_nothing_and_fields_name_the_node() -> None:
    zone_a = {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}
    named = {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-2"]}]}
    assert nodes.fits(affinity(zone_a, named), node("node-2"))
    assert not nodes.fits(affinity({}), node())
    assert not nodes.fits(affinity(named), node("node-1"))
    both = {"nodeSelector": {"disk": "ssd"}, **affinity(named)}
    assert not nodes.fits(both, node("node-2"))
    assert nodes.fits(both, node("node-2", {"disk": "ssd"}))


def test_target_node_name() -> None:
    named = {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-3"]}]}
    assert nodes.target_node_name({"spec": affinity(named)}) == "node-3"
    assert nodes.target_node_name({"spec": {"nodeName": "node-1", **affinity(named)}}) == "node-1"
    assert nodes.target_node_name({"spec": {}}) is None
