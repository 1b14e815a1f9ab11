"""StatefulSets, DaemonSets and ControllerRevisions as `kubectl get` and `describe` print
them (printers.go printStatefulSet, printDaemonSet; describe.go describeStatefulSet)."""

from __future__ import annotations

from typing import Any

from printers_builders import T0, event, pod, render_table, template, ts

from minikubectl.printers.describe_apps import describe_daemonset, describe_statefulset

NOW = T0 + 600


def statefulset(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {
            "name": "web",
            "namespace": "default",
            "uid": "uid-sts",
            "creationTimestamp": ts(),
        },
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": template(),
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
            **spec,
        },
        "status": {"replicas": 3, "readyReplicas": 2},
    }


def daemonset(node_selector: dict[str, str] | None = None) -> dict[str, Any]:
    tmpl = template("fluentd:v1")
    if node_selector:
        tmpl["spec"]["nodeSelector"] = node_selector
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {
            "name": "fluentd",
            "namespace": "default",
            "uid": "uid-ds",
            "creationTimestamp": ts(),
            "annotations": {"deprecated.daemonset.template.generation": "1"},
        },
        "spec": {"selector": {"matchLabels": {"app": "nginx"}}, "template": tmpl},
        "status": {
            "desiredNumberScheduled": 3,
            "currentNumberScheduled": 3,
            "numberReady": 2,
            "updatedNumberScheduled": 3,
            "numberAvailable": 2,
            "numberMisscheduled": 0,
        },
    }


def owned(name: str, owner_uid: str, phase: str = "Running") -> dict[str, Any]:
    p = pod(name, phase=phase)
    p["metadata"]["ownerReferences"] = [{"controller": True, "uid": owner_uid, "kind": "X"}]
    return p


def revision(name: str, number: int, owner: dict[str, str] | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": "default", "creationTimestamp": ts(60)}
    if owner:
        meta["ownerReferences"] = [{"controller": True, **owner}]
    return {
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": meta,
        "revision": number,
    }


def test_get_statefulsets_default_and_wide() -> None:
    assert render_table("StatefulSet", [statefulset()], NOW) == (
        "NAME   READY   AGE\nweb    2/3     10m\n"
    )
    assert render_table("StatefulSet", [statefulset()], NOW, wide=True) == (
        "NAME   READY   AGE   CONTAINERS   IMAGES\nweb    2/3     10m   nginx        nginx:1.16.1\n"
    )


def test_get_daemonsets_default_and_wide() -> None:
    assert render_table("DaemonSet", [daemonset({"disk": "ssd"})], NOW) == (
        "NAME      DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE\n"
        "fluentd   3         3         2       3            2           disk=ssd        10m\n"
    )
    assert render_table("DaemonSet", [daemonset()], NOW, wide=True) == (
        "NAME      DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE   "
        "CONTAINERS   IMAGES       SELECTOR\n"
        "fluentd   3         3         2       3            2           <none>          10m   "
        "nginx        fluentd:v1   app=nginx\n"
    )


def test_get_controllerrevisions_names_the_controller() -> None:
    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web", "uid": "u"}
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "fluentd", "uid": "v"}
    rows = [
        revision("fluentd-5b777f79f9", 1, ds),
        revision("orphan-1", 2, None),
        revision("web-6c5f9d8b7", 1, sts),
    ]
    assert render_table("ControllerRevision", rows, NOW) == (
        "NAME                 CONTROLLER               REVISION   AGE\n"
        "fluentd-5b777f79f9   daemonset.apps/fluentd   1          9m\n"
        "orphan-1             <none>                   2          9m\n"
        "web-6c5f9d8b7        statefulset.apps/web     1          9m\n"
    )


def test_describe_statefulset_matches_reference_layout() -> None:
    pods = [
        owned("web-0", "uid-sts"),
        owned("web-1", "uid-sts"),
        owned("web-2", "uid-sts", "Pending"),
    ]
    pods.append(owned("other", "uid-else"))
    events = [
        event(
            "SuccessfulCreate",
            "create Pod web-0 in StatefulSet web successful",
            first=ts(60),
            kind="StatefulSet",
            name="web",
            component="statefulset-controller",
        )
    ]
    assert describe_statefulset(statefulset(), pods, events, NOW) == (
        "Name:               web\n"
        "Namespace:          default\n"
        "CreationTimestamp:  Tue, 02 Jan 2024 15:04:05 +0000\n"
        "Selector:           app=nginx\n"
        "Labels:             <none>\n"
        "Annotations:        <none>\n"
        "Replicas:           3 desired | 3 total\n"
        "Update Strategy:    RollingUpdate\n"
        "  Partition:        0\n"
        "Pods Status:        2 Running / 1 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
        "  Labels:  app=nginx\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:         nginx:1.16.1\n"
        "    Port:          80/TCP\n"
        "    Host Port:     0/TCP\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "Volume Claims:     <none>\n"
        "Events:\n"
        "  Type    Reason            Age   From                    Message\n"
        "  ----    ------            ----  ----                    -------\n"
        "  Normal  SuccessfulCreate  9m    statefulset-controller  "
        "create Pod web-0 in StatefulSet web successful\n"
    )


def test_describe_on_delete_statefulset_has_no_partition_line() -> None:
    text = describe_statefulset(statefulset(updateStrategy={"type": "OnDelete"}), [], [], NOW)
    assert "Update Strategy:    OnDelete\nPods Status:" in text
    assert text.endswith("Volume Claims:     <none>\nEvents:            <none>\n")


def test_describe_daemonset_matches_reference_layout() -> None:
    pods = [owned("fluentd-a", "uid-ds"), owned("fluentd-b", "uid-ds", "Pending")]
    assert describe_daemonset(daemonset({"disk": "ssd"}), pods, [], NOW) == (
        "Name:           fluentd\n"
        "Namespace:      default\n"
        "Selector:       app=nginx\n"
        "Node-Selector:  disk=ssd\n"
        "Labels:         <none>\n"
        "Annotations:    deprecated.daemonset.template.generation: 1\n"
        "Desired Number of Nodes Scheduled: 3\n"
        "Current Number of Nodes Scheduled: 3\n"
        "Number of Nodes Scheduled with Up-to-date Pods: 3\n"
        "Number of Nodes Scheduled with Available Pods: 2\n"
        "Number of Nodes Misscheduled: 0\n"
        "Pods Status:  1 Running / 1 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
        "  Labels:  app=nginx\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:         fluentd:v1\n"
        "    Port:          80/TCP\n"
        "    Host Port:     0/TCP\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  disk=ssd\n"
        "  Tolerations:     <none>\n"
        "Events:            <none>\n"
    )
