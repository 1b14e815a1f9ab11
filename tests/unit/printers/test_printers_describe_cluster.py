"""`kubectl describe` of nodes, namespaces and events; quantities as describe prints them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from printers_builders import T0, event, pod, ts

from controlplane.models import quantity
from minikubectl.printers.describe import describe_event, describe_namespace, describe_node
from minikubectl.printers.describe_cluster import smart_label


def _node() -> dict[str, Any]:
    resources = {
        "cpu": "2",
        "memory": "4015360Ki",
        "pods": "110",
        "ephemeral-storage": "61202244Ki",
    }
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": "node-1",
            "creationTimestamp": ts(),
            "labels": {"kubernetes.io/hostname": "node-1"},
        },
        "spec": {"taints": [{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]},
        "status": {
            "conditions": [
                {
                    "type": "Ready",
                    "status": "True",
                    "lastHeartbeatTime": ts(3500),
                    "lastTransitionTime": ts(),
                    "reason": "KubeletReady",
                    "message": "kubelet is posting ready status",
                }
            ],
            "addresses": [{"type": "InternalIP", "address": "192.168.49.2"}],
            "capacity": resources,
            "allocatable": resources,
            "nodeInfo": {"kubeletVersion": "v1.30.2", "architecture": "amd64"},
        },
    }


def test_describe_node() -> None:
    web = pod("web-1")
    web["spec"]["containers"][0]["resources"] = {
        "requests": {"cpu": "100m", "memory": "128Mi"},
        "limits": {"cpu": "200m", "memory": "256Mi"},
    }
    system = pod("dns", namespace="kube-system")
    system["spec"]["containers"][0]["resources"] = {"requests": {"cpu": "0.25"}}
    finished = pod("done", phase="Succeeded")
    elsewhere = pod("far", node="node-2")
    text = describe_node(_node(), [web, system, finished, elsewhere], [], T0 + 3600)
    assert text == (
        "Name:               node-1\n"
        "Roles:              <none>\n"
        "Labels:             kubernetes.io/hostname=node-1\n"
        "Annotations:        <none>\n"
        "CreationTimestamp:  Tue, 02 Jan 2024 15:04:05 +0000\n"
        "Taints:             dedicated=db:NoSchedule\n"
        "Unschedulable:      false\n"
        "Lease:\n"
        "  HolderIdentity:  node-1\n"
        "  AcquireTime:     <unset>\n"
        "  RenewTime:       Tue, 02 Jan 2024 16:02:25 +0000\n"
        "Conditions:\n"
        "  Type    Status  LastHeartbeatTime                 LastTransitionTime"
        "                Reason         Message\n"
        "  ----    ------  -----------------                 ------------------"
        "                ------         -------\n"
        "  Ready   True    Tue, 02 Jan 2024 16:02:25 +0000   Tue, 02 Jan 2024 15:04:05 +0000"
        "   KubeletReady   kubelet is posting ready status\n"
        "Addresses:\n"
        "  InternalIP:  192.168.49.2\n"
        "Capacity:\n"
        "  cpu:                2\n"
        "  ephemeral-storage:  61202244Ki\n"
        "  memory:             4015360Ki\n"
        "  pods:               110\n"
        "Allocatable:\n"
        "  cpu:                2\n"
        "  ephemeral-storage:  61202244Ki\n"
        "  memory:             4015360Ki\n"
        "  pods:               110\n"
        "System Info:\n"
        "  Machine ID:                 \n"
        "  System UUID:                \n"
        "  Boot ID:                    \n"
        "  Kernel Version:             \n"
        "  OS Image:                   \n"
        "  Operating System:           \n"
        "  Architecture:               amd64\n"
        "  Container Runtime Version:  \n"
        "  Kubelet Version:            v1.30.2\n"
        "Non-terminated Pods:          (2 in total)\n"
        "  Namespace                   Name     CPU Requests  CPU Limits  Memory Requests"
        "  Memory Limits  Age\n"
        "  ---------                   ----     ------------  ----------  ---------------"
        "  -------------  ---\n"
        "  default                     web-1    100m (5%)     200m (10%)  128Mi (3%)     "
        "  256Mi (6%)     60m\n"
        "  kube-system                 dns      250m (12%)    0 (0%)      0 (0%)         "
        "  0 (0%)         60m\n"
        "Allocated resources:\n"
        "  (Total limits may be over 100 percent, i.e., overcommitted.)\n"
        "  Resource           Requests    Limits\n"
        "  --------           --------    ------\n"
        "  cpu                350m (17%)  200m (10%)\n"
        "  memory             128Mi (3%)  256Mi (6%)\n"
        "  ephemeral-storage  0 (0%)      0 (0%)\n"
        "Events:              <none>\n"
    )


def test_describe_namespace() -> None:
    ns = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "default", "labels": {"kubernetes.io/metadata.name": "default"}},
        "status": {"phase": "Active"},
    }
    assert describe_namespace(ns) == (
        "Name:         default\n"
        "Labels:       kubernetes.io/metadata.name=default\n"
        "Annotations:  <none>\n"
        "Status:       Active\n"
        "\n"
        "No resource quota.\n"
        "\n"
        "No LimitRange resource.\n"
    )


def test_describe_event_uses_the_generic_describer() -> None:
    obj = event("Scheduled", "Assigned", first=ts(), kind="Pod", name="web-1")
    obj["metadata"].update({"uid": "e1", "resourceVersion": "5"})
    obj["eventTime"] = None
    assert describe_event(obj, T0) == (
        "Name:             web-1.scheduled\n"
        "Namespace:        default\n"
        "Labels:           <none>\n"
        "Annotations:      <none>\n"
        "API Version:      v1\n"
        "Count:            1\n"
        "Event Time:       <nil>\n"
        "First Timestamp:  2024-01-02T15:04:05Z\n"
        "Involved Object:\n"
        "  Kind:          Pod\n"
        "  Name:          web-1\n"
        "  Namespace:     default\n"
        "Kind:            Event\n"
        "Last Timestamp:  2024-01-02T15:04:05Z\n"
        "Message:         Assigned\n"
        "Metadata:\n"
        "  Resource Version:  5\n"
        "  UID:               e1\n"
        "Reason:              Scheduled\n"
        "Source:\n"
        "  Component:  deployment-controller\n"
        "Type:         Normal\n"
        "Events:       <none>\n"
    )


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("apiVersion", "API Version"),
        ("involvedObject", "Involved Object"),
        ("uid", "UID"),
        ("reportingComponent", "Reporting Component"),
        ("PDFLoader", "PDF Loader"),
        ("with_underscore", "with_underscore"),
    ],
)
def test_smart_label(field: str, label: str) -> None:
    assert smart_label(field) == label


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("0", "0"),
        ("100m", "100m"),
        ("0.5", "500m"),
        ("1", "1"),
        ("1000", "1k"),
        ("1500", "1500"),
        (2, "2"),
        ("1024Mi", "1Gi"),
        ("1536Mi", "1536Mi"),
        ("512", "512"),
        ("1Ki", "1Ki"),
        ("0.5Gi", "512Mi"),
        ("128974848", "128974848"),
        ("129e6", "129e6"),
        ("1.5Ki", "1536"),
    ],
)
def test_quantity_canonical_form(text: str | int, canonical: str) -> None:
    assert quantity.canonical_text(text) == canonical


def test_quantity_sum_keeps_first_format() -> None:
    total = quantity.total([quantity.parse("128Mi"), quantity.parse("64Mi")])
    assert str(total) == "192Mi"
    assert total.value == Decimal(192 * 2**20)
    assert str(quantity.total([])) == "0"
