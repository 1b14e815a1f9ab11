"""The ownership tree: layout, connectors, cells per kind, and colour only when asked."""

from __future__ import annotations

import re
from typing import Any

from minikubectl.printers.tree import index_children, render_tree
from tests.unit.printers.printers_builders import (
    T0,
    container_status,
    deployment,
    pod,
    replica_set,
    ts,
)

NOW = T0 + 300
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def owned_pod(name: str, rs: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    p = pod(name, created=ts(120), **kwargs)
    p["metadata"]["ownerReferences"] = [
        {"kind": "ReplicaSet", "name": rs["metadata"]["name"], "uid": rs["metadata"]["uid"]}
    ]
    return p


def lesson() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The Deployments lesson after `set image`: revision 1 scaled to 0, revision 2 running."""
    old = replica_set("7c5ddbdf54", image="nginx:1.14.2", replicas=0, revision=1, created=ts())
    new = replica_set("5d59d67564", image="nginx:1.16.1", replicas=3, revision=2, created=ts(120))
    waiting = {"waiting": {"reason": "ContainerCreating"}}
    pods = [
        owned_pod("nginx-5d59d67564-q8ztw", new, node="node-3"),
        owned_pod("nginx-5d59d67564-2xkzq", new, node="node-1"),
        owned_pod(
            "nginx-5d59d67564-8fj3k",
            new,
            node="node-2",
            phase="Pending",
            statuses=[container_status(state=waiting, ready=False)],
        ),
    ]
    return deployment(), [new, old, *pods]


def test_a_deployment_owns_replicasets_by_revision_which_own_their_pods() -> None:
    root, others = lesson()
    assert render_tree([root], index_children(others), NOW) == (
        "NAME                             READY   STATUS              AGE   NODE     "
        "REVISION   IMAGES\n"
        "Deployment/nginx                 3/3                         5m             "
        "2          nginx:1.16.1\n"
        "├─ReplicaSet/nginx-7c5ddbdf54    0/0                         5m             "
        "1          nginx:1.14.2\n"
        "└─ReplicaSet/nginx-5d59d67564    3/3                         3m             "
        "2          nginx:1.16.1\n"
        "  ├─Pod/nginx-5d59d67564-2xkzq   1/1     Running             3m    node-1\n"
        "  ├─Pod/nginx-5d59d67564-8fj3k   0/1     ContainerCreating   3m    node-2\n"
        "  └─Pod/nginx-5d59d67564-q8ztw   1/1     Running             3m    node-3\n"
    )


def test_pipes_continue_past_a_branch_that_has_children() -> None:
    root, others = lesson()
    old, new = others[1], others[0]
    old["status"]["readyReplicas"] = old["spec"]["replicas"] = 1
    others.append(owned_pod("nginx-7c5ddbdf54-zzzzz", old, node="node-1"))
    lines = render_tree([root], index_children([new, old, *others[2:]]), NOW).splitlines()
    assert [line.split("/")[0] for line in lines[1:]] == [
        "Deployment",
        "├─ReplicaSet",
        "│ └─Pod",
        "└─ReplicaSet",
        "  ├─Pod",
        "  ├─Pod",
        "  └─Pod",
    ]


def test_all_namespaces_adds_the_namespace_column_and_trouble_shows_in_status() -> None:
    root, _ = lesson()
    root["status"]["conditions"][1] = {
        "type": "Progressing",
        "status": "False",
        "reason": "ProgressDeadlineExceeded",
    }
    text = render_tree([root], {}, NOW, all_namespaces=True)
    assert text.splitlines() == [
        "NAMESPACE   NAME               READY   STATUS                     AGE   NODE   "
        "REVISION   IMAGES",
        "default     Deployment/nginx   3/3     ProgressDeadlineExceeded   5m           "
        "2          nginx:1.16.1",
    ]


def test_colour_changes_styles_not_layout() -> None:
    root, others = lesson()
    children = index_children(others)
    plain = render_tree([root], children, NOW)
    coloured = render_tree([root], children, NOW, color=True)
    assert coloured != plain
    assert ANSI.sub("", coloured).replace("\r", "") == plain
    running = next(line for line in coloured.splitlines() if "2xkzq" in line)
    assert "\x1b[32mRunning\x1b[0m" in running  # green
    creating = next(line for line in coloured.splitlines() if "8fj3k" in line)
    assert "\x1b[33mContainerCreating\x1b[0m" in creating  # yellow
    assert "\x1b[2m├─\x1b[0m" in coloured  # dim connectors
