"""Nodes with the real mkctl: cordon, uncordon and drain as kubectl prints them."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import Mkctl, wait_for, web_daemon


def nodes_of_pods(mkctl: Mkctl) -> dict[str, str]:
    pods = json.loads(mkctl("get", "pods", "-o", "json").out)["items"]
    return {p["metadata"]["name"]: p["spec"]["nodeName"] for p in pods}


def test_cordon_keeps_new_pods_off_a_node(mkctl: Mkctl) -> None:
    assert mkctl("cordon", "node-1").out == "node/node-1 cordoned\n"
    assert mkctl("cordon", "node-1").out == "node/node-1 already cordoned\n"
    nodes = mkctl("get", "nodes").out.splitlines()
    assert nodes[1].split()[:2] == ["node-1", "Ready,SchedulingDisabled"]
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").code == 0
    assert "node-1" not in nodes_of_pods(mkctl).values()
    assert mkctl("uncordon", "node-1").out == "node/node-1 uncordoned\n"
    assert mkctl("get", "nodes").out.splitlines()[1].split()[1] == "Ready"


def test_drain_refuses_bare_pods_unless_forced_and_replaces_the_rest(mkctl: Mkctl) -> None:
    assert mkctl("apply", "-f", "samples/01-pod.yaml").code == 0  # `hello` lands on node-1
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").code == 0
    on_node_1 = sorted(n for n, node in nodes_of_pods(mkctl).items() if node == "node-1")
    assert "hello" in on_node_1
    refused = mkctl("drain", "node-1")
    assert refused.code == 1
    assert refused.out == "node/node-1 cordoned\n"
    assert refused.err == (
        'error: unable to drain node "node-1" due to error: cannot delete cannot delete Pods '
        "that declare no controller (use --force to override): default/hello, continuing "
        "command...\nThere are pending nodes to be drained:\n node-1\ncannot delete cannot "
        "delete Pods that declare no controller (use --force to override): default/hello\n"
    )
    system = [  # kube-system's CoreDNS pod on node-1 is evicted too, as on a real cluster
        p["metadata"]["name"]
        for p in json.loads(mkctl("get", "pods", "-n", "kube-system", "-o", "json").out)["items"]
        if p["spec"]["nodeName"] == "node-1"
    ]
    drained = mkctl("drain", "node-1", "--force")
    assert drained.code == 0
    assert drained.err == "Warning: deleting Pods that declare no controller: default/hello\n"
    assert drained.out.splitlines() == [
        "node/node-1 already cordoned",
        *[f"evicting pod default/{name}" for name in on_node_1],
        *[f"evicting pod kube-system/{name}" for name in system],
        *[f"pod/{name} evicted" for name in on_node_1 + system],
        "node/node-1 drained",
    ]
    after = nodes_of_pods(mkctl)
    assert "hello" not in after and "node-1" not in after.values()
    assert len(after) == 3  # the ReplicaSet replaced its pod elsewhere


def test_drain_of_several_nodes_cordons_all_then_drains_each_and_names_the_refused(
    mkctl: Mkctl,
) -> None:
    """drain.go: RunCordonOrUncordon over every node, then RunDrain node by node, going on
    past a node a filter refuses and naming it among the pending ones at the end."""
    assert mkctl("apply", "-f", "samples/01-pod.yaml").code == 0  # `hello` lands on node-1
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").code == 0
    on_node_2 = sorted(n for n, node in nodes_of_pods(mkctl).items() if node == "node-2")
    drained = mkctl("drain", "node-1", "node/node-2")
    assert drained.code == 1
    lines = drained.out.splitlines()
    assert lines[:2] == ["node/node-1 cordoned", "node/node-2 cordoned"]
    assert lines[-1] == "node/node-2 drained"
    assert [f"evicting pod default/{name}" for name in on_node_2] == [
        line for line in lines if line.startswith("evicting pod default/")
    ]
    refusal = (
        "cannot delete cannot delete Pods that declare no controller (use --force to "
        "override): default/hello"
    )
    assert drained.err == (
        f'error: unable to drain node "node-1" due to error: {refusal}, continuing command...\n'
        f"There are pending nodes to be drained:\n node-1\n{refusal}\n"
    )
    assert "node-2" not in nodes_of_pods(mkctl).values()
    assert nodes_of_pods(mkctl)["hello"] == "node-1"


def test_a_stopped_node_is_healed_by_the_replicaset_with_a_daemon(mkctl: Mkctl) -> None:
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").code == 0
    assert mkctl("cluster", "start", "--speed", "100").code == 0
    try:
        assert mkctl("node", "stop", "node-2").out == "node/node-2 kubelet stopped\n"

        def node_2_status() -> str:
            line = next(x for x in mkctl("get", "nodes").out.splitlines() if x.startswith("node-2"))
            return line.split()[1]

        wait_for(lambda: node_2_status() == "NotReady")

        def healed() -> bool:
            pods = json.loads(mkctl("get", "pods", "-o", "json").out)["items"]
            running = [p for p in pods if not p["metadata"].get("deletionTimestamp")]
            nodes = [p["spec"].get("nodeName") for p in running]  # a new pod may be unbound yet
            return len(running) == 3 and all(node not in (None, "node-2") for node in nodes)

        wait_for(healed)
        assert mkctl("node", "start", "node-2").code == 0
        wait_for(lambda: node_2_status() == "Ready")
        wait_for(lambda: len(nodes_of_pods(mkctl)) == 3)  # the stuck pod finished terminating
    finally:
        mkctl("cluster", "stop")


NODE_MANIFEST = """\
apiVersion: v1
kind: Node
metadata:
  name: node-9
  labels:
    disk: ssd
"""


def test_a_node_manifest_is_registered_as_a_kubelet_would_and_takes_pods(mkctl: Mkctl) -> None:
    """A Node applied without status gets a pod CIDR, the kubelet's labels and status, and
    turns Ready; it used to crash settling with KeyError: 'status' and stay Unknown."""
    applied = mkctl("apply", "-f", "-", stdin=NODE_MANIFEST)
    assert (applied.code, applied.out, applied.err) == (0, "node/node-9 created\n", "")
    node = json.loads(mkctl("get", "node", "node-9", "-o", "json").out)
    assert node["spec"]["podCIDR"] == "10.244.3.0/24"
    assert node["metadata"]["labels"]["kubernetes.io/hostname"] == "node-9"
    assert node["metadata"]["labels"]["disk"] == "ssd"
    assert {"type": "InternalIP", "address": "192.168.49.5"} in node["status"]["addresses"]
    assert mkctl("get", "nodes").out.splitlines()[4].split()[:2] == ["node-9", "Ready"]
    events = mkctl("get", "events", "--field-selector", "involvedObject.name=node-9").out
    assert (
        "RegisteredNode   node/node-9   Node node-9 event: Registered Node node-9 in Controller"
        in events
    )
    mkctl("cordon", "node-1")
    mkctl("cordon", "node-2")
    mkctl("cordon", "node-3")
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").code == 0
    assert set(nodes_of_pods(mkctl).values()) == {"node-9"}


def test_cordon_and_uncordon_name_nodes_as_kubectl_does(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """`NODE...` or `TYPE/NAME...`, every one read before any is changed, another type refused
    (drain.go Complete: ResourceNames("nodes", args...).SingleResourceType()): mkctl prints
    what kubectl 1.37 prints, byte for byte, over the same daemon."""
    with web_daemon(tmp_path_factory, 1, pods=("hello",)) as cluster:
        for args in (
            ("cordon", "node/node-1", "nodes/node-2", "node-3"),
            ("uncordon", "no/node-1", "node-2"),
            ("cordon", "node-1", "nope", "node-2"),  # nothing cordoned: node-1 is not either
            ("uncordon", "node-3", "node-1"),
            ("cordon", "pod/hello"),
            ("cordon", "pod/nope"),
            ("cordon", "node/node-1", "pod/hello"),
        ):
            by_kubectl = cluster.kubectl(*args)
            cluster.kubectl("uncordon", "node-1", "node-2", "node-3")  # as it was before
            by_mkctl = cluster.mkctl(*args)
            cluster.mkctl("uncordon", "node-1", "node-2", "node-3")
            assert (by_mkctl.code, by_mkctl.out, by_mkctl.err) == (
                by_kubectl.code,
                by_kubectl.out,
                by_kubectl.err,
            ), args
