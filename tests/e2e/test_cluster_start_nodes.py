"""`cluster start --nodes N`: the daemon starts with N Ready nodes, registering the missing
ones and removing empty ones; nodes that run pods are never removed."""

from __future__ import annotations

import json

from tests.e2e.conftest import Mkctl, wait_for


def ready_nodes(mkctl: Mkctl) -> list[str]:
    listed = json.loads(mkctl("get", "nodes", "-o", "json").out)["items"]
    return [
        n["metadata"]["name"]
        for n in listed
        if any(c["type"] == "Ready" and c["status"] == "True" for c in n["status"]["conditions"])
    ]


def test_cluster_start_grows_and_shrinks_the_nodes(mkctl: Mkctl) -> None:
    try:
        started = mkctl("cluster", "start", "--nodes", "5")
        assert started.code == 0, started.err
        assert started.out.startswith("node/node-4 registered\nnode/node-5 registered\n")
        assert ready_nodes(mkctl) == ["node-1", "node-2", "node-3", "node-4", "node-5"]
        # 12 pods on 5 nodes: the scheduler spreads them, so node-4 and node-5 run some
        assert mkctl("create", "deployment", "web", "--image=nginx", "--replicas=12").code == 0
        wait_for(
            lambda: (
                mkctl("get", "deploy", "web", "-o", "jsonpath={.status.readyReplicas}").out == "12"
            )
        )
        assert mkctl("cluster", "stop").code == 0

        refused = mkctl("cluster", "start", "--nodes", "3")
        assert refused.code == 1
        assert refused.err.startswith(
            "error: the cluster has 5 nodes and pods run on node-4, node-5"
        )
        assert mkctl("cluster", "status").out.splitlines()[:2] == [
            "daemon:  not running; commands reconcile in-process",
            "nodes:   5 (5 Ready)",
        ]
        assert mkctl("delete", "deployment", "web").code == 0
        shrunk = mkctl("cluster", "start", "--nodes", "3")
        assert shrunk.code == 0, shrunk.err
        assert shrunk.out.startswith("node/node-4 removed\nnode/node-5 removed\n")
        assert ready_nodes(mkctl) == ["node-1", "node-2", "node-3"]
    finally:
        mkctl("cluster", "stop")
