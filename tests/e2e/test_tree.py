"""The ownership lesson with the real mkctl: a namespace of its own, wait, and the tree as a
rollout and an undo reshape it; then the namespace goes, with everything in it."""

from __future__ import annotations

import re

from tests.e2e.conftest import Mkctl

DEPLOY = "deployment/nginx-deployment"


def shape(tree: str) -> list[str]:
    """Connectors, kind and the cells that do not change from run to run."""
    rows = []
    for line in tree.splitlines()[1:]:
        name, ready, *rest = line.split()
        kind = re.sub(r"/.*", "", name)
        revision_and_image = [c for c in rest if re.fullmatch(r"\d+|nginx:[\d.]+", c)]
        status = [c for c in rest if c in ("Running", "ContainerCreating")]
        rows.append(" ".join([kind, ready, *status, *revision_and_image]))
    return rows


def test_tree_follows_a_rollout_and_an_undo(mkctl: Mkctl) -> None:
    assert mkctl("create", "namespace", "lesson").code == 0
    assert mkctl("config", "set-context", "--current", "--namespace=lesson").code == 0
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").code == 0
    waited = mkctl("wait", "--for=condition=Available", DEPLOY, "--timeout=30s")
    assert waited.out == "deployment.apps/nginx-deployment condition met\n"

    first = mkctl("tree", DEPLOY)
    assert first.code == 0 and first.err == ""
    assert first.out.splitlines()[0].split() == [
        "NAME", "READY", "STATUS", "AGE", "NODE", "REVISION", "IMAGES"
    ]  # fmt: skip
    assert shape(first.out) == [
        "Deployment 3/3 1 nginx:1.14.2",
        "└─ReplicaSet 3/3 1 nginx:1.14.2",
        "├─Pod 1/1 Running",
        "├─Pod 1/1 Running",
        "└─Pod 1/1 Running",
    ]
    assert sorted(line.split()[-1] for line in first.out.splitlines()[3:]) == [
        "node-1",
        "node-2",
        "node-3",
    ]

    assert mkctl("set", "image", DEPLOY, "nginx=nginx:1.16.1").code == 0
    assert mkctl("wait", "--for=condition=Available", DEPLOY).code == 0
    assert shape(mkctl("tree", "deploy", "nginx-deployment").out) == [
        "Deployment 3/3 2 nginx:1.16.1",
        "├─ReplicaSet 0/0 1 nginx:1.14.2",
        "└─ReplicaSet 3/3 2 nginx:1.16.1",
        "├─Pod 1/1 Running",
        "├─Pod 1/1 Running",
        "└─Pod 1/1 Running",
    ]
    lines = mkctl("tree", DEPLOY).out.splitlines()
    assert [line[:4] for line in lines[4:]] == ["  ├─", "  ├─", "  └─"]

    assert mkctl("rollout", "undo", DEPLOY).code == 0
    undone = mkctl("tree", DEPLOY, "-A").out.splitlines()
    assert all(line.startswith("lesson      ") for line in undone[1:])
    # Revision 1 came back as revision 3; ReplicaSets are listed oldest revision first.
    assert shape("\n".join(line[12:] for line in undone)) == [
        "Deployment 3/3 3 nginx:1.14.2",
        "├─ReplicaSet 0/0 2 nginx:1.16.1",
        "└─ReplicaSet 3/3 3 nginx:1.14.2",
        "├─Pod 1/1 Running",
        "├─Pod 1/1 Running",
        "└─Pod 1/1 Running",
    ]

    missing = mkctl("tree", "deploy/nope")
    assert (missing.code, missing.err) == (
        1,
        'Error from server (NotFound): deployments.apps "nope" not found\n',
    )
    assert mkctl("delete", "namespace", "lesson").out == 'namespace "lesson" deleted\n'
    gone = mkctl("wait", "--for=delete", "namespace/lesson", "--timeout=10s")
    assert gone.code == 0
    empty = mkctl("tree", "deployments", "-n", "lesson")
    assert (empty.out, empty.err) == ("", "No resources found in lesson namespace.\n")
