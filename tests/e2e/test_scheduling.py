"""Scheduling with the real mkctl: node capacity, resource requests, and kube-scheduler's
FailedScheduling words when no node can take a pod."""

from __future__ import annotations

import json

from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl

PREEMPTION_NO_VICTIMS = "No preemption victims found for incoming pod.."


def pending(mkctl: Mkctl) -> list[dict]:
    pods = json.loads(mkctl("get", "pods", "-o", "json").out)["items"]
    return [p for p in pods if not p["spec"].get("nodeName")]


def failed_scheduling(mkctl: Mkctl) -> list[str]:
    shown = mkctl("get", "events", "--field-selector", "reason=FailedScheduling", "-o", "json")
    return [e["message"] for e in json.loads(shown.out)["items"]]


def test_a_node_takes_110_pods_and_the_111th_waits_with_the_schedulers_words(
    mkctl: Mkctl,
) -> None:
    assert mkctl("cluster", "reset", "--yes", "--nodes", "1").out == "cluster reset\n"
    # CoreDNS's two pods are the node's first; 108 of web's 109 fit beside them.
    mkctl("apply", "-f", "-", stdin=WEB_DEPLOYMENT.format(replicas=109, image="nginx:1.14.2"))
    (waiting,) = pending(mkctl)
    message = (
        "0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: "
        f"1 {PREEMPTION_NO_VICTIMS}"
    )
    assert failed_scheduling(mkctl) == [message]
    scheduled = [c for c in waiting["status"]["conditions"] if c["type"] == "PodScheduled"]
    assert [(c["status"], c["reason"], c["message"]) for c in scheduled] == [
        ("False", "Unschedulable", message)
    ]
    assert mkctl("get", "deploy", "web").out.splitlines()[1].split()[1] == "108/109"
    assert mkctl("node", "add", "node-2").code == 0  # room again: the pod is bound at once
    assert pending(mkctl) == []


def test_requests_count_against_allocatable_cpu(mkctl: Mkctl) -> None:
    manifest = WEB_DEPLOYMENT.format(replicas=3, image="nginx:1.14.2").replace(
        "        image: nginx:1.14.2\n",
        "        image: nginx:1.14.2\n        resources:\n          requests:\n"
        "            cpu: 1500m\n",
    )
    mkctl("apply", "-f", "-", stdin=manifest)
    nodes = {
        p["spec"]["nodeName"] for p in json.loads(mkctl("get", "pods", "-o", "json").out)["items"]
    }
    assert nodes == {"node-1", "node-2", "node-3"}  # 2 CPUs each: one such pod per node
    mkctl("scale", "deployment/web", "--replicas=4")
    assert len(pending(mkctl)) == 1
    assert failed_scheduling(mkctl) == [
        "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: "
        f"3 {PREEMPTION_NO_VICTIMS}"
    ]
    described = mkctl("describe", "pod", pending(mkctl)[0]["metadata"]["name"]).out
    assert "Warning  FailedScheduling" in described and "3 Insufficient cpu." in described


def test_cordoned_and_unmatched_nodes_are_named_and_preemption_would_not_help(
    mkctl: Mkctl,
) -> None:
    mkctl("cordon", "node-1")
    manifest = WEB_DEPLOYMENT.format(replicas=1, image="nginx:1.14.2").replace(
        "      containers:\n", "      nodeSelector:\n        disk: ssd\n      containers:\n"
    )
    mkctl("apply", "-f", "-", stdin=manifest)
    assert failed_scheduling(mkctl) == [
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's "
        "node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not "
        "helpful for scheduling.."
    ]
    mkctl("label", "node", "node-2", "disk=ssd")
    assert pending(mkctl) == []
