"""`kubectl get` tables per kind: the server's Table of the objects, as the client prints it."""

from __future__ import annotations

from typing import Any

import pytest
from printers_builders import T0, deployment, event, pod, render_table, replica_set, ts

from minikubectl.printers import columns

NOW = T0 + 600


def test_pod_table_matches_reference_widths() -> None:
    pods = [
        pod("nginx-7c5ddbdf54-2xkzq", created=ts(600 - 302)),
        pod(
            "nginx-7c5ddbdf54-q8ztw",
            created=ts(600 - 3),
            phase="Pending",
            statuses=[],
        ),
    ]
    pods[1]["status"]["phase"] = "Pending"
    pods[1]["spec"]["containers"] = [{"name": "nginx", "image": "nginx"}]
    text = render_table("Pod", pods, NOW)
    assert text == (
        "NAME                     READY   STATUS    RESTARTS   AGE\n"
        "nginx-7c5ddbdf54-2xkzq   1/1     Running   0          5m2s\n"
        "nginx-7c5ddbdf54-q8ztw   0/1     Pending   0          3s\n"
    )


def test_pod_wide_columns() -> None:
    unscheduled = pod("b", phase="Pending", statuses=[], node=None, ip=None)
    gated = pod("c")
    gated["spec"]["readinessGates"] = [{"conditionType": "x/ok"}, {"conditionType": "x/two"}]
    gated["status"]["conditions"] = [{"type": "x/ok", "status": "True"}]
    text = render_table("Pod", [pod("a"), unscheduled, gated], NOW, wide=True)
    assert text == (
        "NAME   READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE"
        "   READINESS GATES\n"
        "a      1/1     Running   0          10m   10.244.0.5   node-1   <none>           <none>\n"
        "b      0/1     Pending   0          10m   <none>       <none>   <none>           <none>\n"
        "c      1/1     Running   0          10m   10.244.0.5   node-1   <none>           1/2\n"
    )


def test_replicaset_table_default_and_wide() -> None:
    rs = replica_set("7c5ddbdf54", image="nginx:1.14.2", replicas=3, revision=1, created=ts())
    assert render_table("ReplicaSet", [rs], NOW) == (
        "NAME               DESIRED   CURRENT   READY   AGE\n"
        "nginx-7c5ddbdf54   3         3         3       10m\n"
    )
    assert render_table("ReplicaSet", [rs], NOW, wide=True) == (
        "NAME               DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES         "
        "SELECTOR\n"
        "nginx-7c5ddbdf54   3         3         3       10m   nginx        nginx:1.14.2   "
        "app=nginx,pod-template-hash=7c5ddbdf54\n"
    )


def test_deployment_table() -> None:
    dep = deployment()
    dep["status"]["readyReplicas"] = 2
    assert render_table("Deployment", [dep], NOW) == (
        "NAME    READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "nginx   2/3     3            3           10m\n"
    )
    assert render_table("Deployment", [dep], NOW, wide=True).splitlines()[1] == (
        "nginx   2/3     3            3           10m   nginx        nginx:1.16.1   app=nginx"
    )


def _node(name: str, ready: str | None, **extra: Any) -> dict[str, Any]:
    status: dict[str, Any] = {
        "nodeInfo": {"kubeletVersion": "v1.30.2"},
        "addresses": [{"type": "InternalIP", "address": "192.168.49.2"}],
    }
    if ready is not None:
        status["conditions"] = [{"type": "Ready", "status": ready}]
    obj: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "creationTimestamp": ts(), "labels": extra.pop("labels", {})},
        "spec": extra,
        "status": status,
    }
    return obj


def test_node_table() -> None:
    nodes = [
        _node("node-1", "True", labels={"node-role.kubernetes.io/control-plane": ""}),
        _node("node-2", "False", unschedulable=True),
        _node("node-3", None, labels={"kubernetes.io/role": "worker"}),
    ]
    assert render_table("Node", nodes, NOW) == (
        "NAME     STATUS                        ROLES           AGE   VERSION\n"
        "node-1   Ready                         control-plane   10m   v1.30.2\n"
        "node-2   NotReady,SchedulingDisabled   <none>          10m   v1.30.2\n"
        "node-3   Unknown                       worker          10m   v1.30.2\n"
    )
    wide = render_table("Node", nodes[:1], NOW, wide=True).splitlines()
    assert wide[0].endswith(
        "INTERNAL-IP    EXTERNAL-IP   OS-IMAGE    KERNEL-VERSION   CONTAINER-RUNTIME"
    )
    assert wide[1].endswith("192.168.49.2   <none>        <unknown>   <unknown>        <unknown>")


def test_namespace_table_never_gets_namespace_column() -> None:
    ns = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "default", "creationTimestamp": ts()},
        "status": {"phase": "Active"},
    }
    assert render_table("Namespace", [ns], NOW, all_namespaces=True) == (
        "NAME      STATUS   AGE\ndefault   Active   10m\n"
    )


def test_event_table_default_and_wide() -> None:
    events = [
        event(
            "Started",
            "Started container nginx\n",
            first=ts(500),
            kind="Pod",
            name="nginx-7c5ddbdf54-2xkzq",
            component="kubelet",
            field_path="spec.containers{nginx}",
            host="node-1",
        ),
        event(
            "ScalingReplicaSet",
            "Scaled up replica set nginx-7c5ddbdf54 from 0 to 3",
            first=ts(0),
            last=ts(540),
            count=2,
        ),
    ]
    assert render_table("Event", events, NOW) == (
        "LAST SEEN   TYPE     REASON              OBJECT                       MESSAGE\n"
        "100s        Normal   Started             pod/nginx-7c5ddbdf54-2xkzq   "
        "Started container nginx\n"
        "60s         Normal   ScalingReplicaSet   deployment/nginx             "
        "Scaled up replica set nginx-7c5ddbdf54 from 0 to 3\n"
    )
    wide = render_table("Event", events, NOW, wide=True).splitlines()
    assert wide[0].split() == [
        "LAST", "SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE",
        "FIRST", "SEEN", "COUNT", "NAME",
    ]  # fmt: skip
    assert "spec.containers{nginx}   kubelet, node-1" in wide[1]
    assert wide[2].endswith("10m          2       nginx.scalingreplicaset")


def test_name_prefix_namespace_and_labels() -> None:
    pods = [pod("web-1", namespace="dev", labels={"tier": "fe", "app": "web"})]
    assert render_table(
        "Pod", pods, NOW, name_prefix=True, all_namespaces=True, show_labels=True
    ) == (
        "NAMESPACE   NAME        READY   STATUS    RESTARTS   AGE   LABELS\n"
        "dev         pod/web-1   1/1     Running   0          10m   app=web,tier=fe\n"
    )
    rs = replica_set("7c5ddbdf54", image="nginx", replicas=1, revision=1, created=ts())
    assert (
        render_table("ReplicaSet", [rs], NOW, name_prefix=True)
        .splitlines()[1]
        .startswith("replicaset.apps/nginx-7c5ddbdf54   1")
    )


def test_label_columns_and_no_headers() -> None:
    pods = [pod("web-1", labels={"app.kubernetes.io/name": "web"}), pod("web-2", labels={})]
    assert render_table(
        "Pod", pods, NOW, label_columns=["app.kubernetes.io/name"], no_headers=True
    ) == ("web-1   1/1   Running   0     10m   web\nweb-2   1/1   Running   0     10m   \n")
    assert render_table("Pod", pods, NOW, label_columns=["app.kubernetes.io/name"]).startswith(
        "NAME    READY   STATUS    RESTARTS   AGE   NAME\n"
    )


def test_no_objects_prints_nothing() -> None:
    assert render_table("Pod", [], NOW) == ""


def test_unknown_kind_is_an_error() -> None:
    with pytest.raises(KeyError, match="HorizontalPodAutoscaler"):
        render_table("HorizontalPodAutoscaler", [{}], NOW)


def test_cells_are_cut_at_line_breaks_and_escape_is_shown() -> None:
    events = [event("Failed", "first line\nsecond \x1b[31mred", first=ts(540))]
    assert (
        render_table("Event", events, NOW)
        .splitlines()[1]
        .endswith("deployment/nginx   first line...")
    )
    events = [event("Failed", "bad \x1b[31mred", first=ts(540))]
    assert render_table("Event", events, NOW).splitlines()[1].endswith("bad ^[[31mred")


def test_the_client_prints_any_table_as_cli_runtime_does() -> None:
    """Cells of any JSON type print as Go's fmt.Sprint; the `name` column gets the prefix
    wherever it is; rows without an object have no namespace or labels to show."""
    table = {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "columnDefinitions": [
            {"name": "Count", "type": "integer", "format": "", "priority": 0},
            {"name": "Suspend", "type": "boolean", "format": "", "priority": 0},
            {"name": "Wide", "type": "string", "format": "", "priority": 1},
            {"name": "Name", "type": "string", "format": "name", "priority": 0},
            {"name": "Note", "type": "string", "format": "", "priority": 0},
        ],
        "rows": [{"cells": [3, False, "w", "x", None], "object": None}],
    }
    options = columns.PrintOptions(
        kind_prefix="job.batch", with_namespace=True, label_columns=["app"]
    )
    assert columns.render_table(table, options) == (
        "NAMESPACE   COUNT   SUSPEND   NAME          NOTE   APP\n"
        "            3       false     job.batch/x          \n"
    )
    wide = columns.render_table(table, columns.PrintOptions(wide=True, no_headers=True))
    assert wide == "3     false   w     x     \n"
    assert columns.render_table({**table, "rows": []}) == ""
