"""Lesson 5 with the real mkctl: selectors, JSONPath, custom columns, label, patch, diff."""

from __future__ import annotations

import json

from tests.e2e.conftest import Mkctl

SAMPLE = "samples/05-labels-and-queries.yaml"


def test_query_and_change_the_store_lesson(mkctl: Mkctl) -> None:
    applied = mkctl("apply", "-f", SAMPLE)
    assert applied.out == "deployment.apps/store-web created\ndeployment.apps/store-api created\n"

    # Label selectors: equality, sets, existence; -L shows a label as a column.
    staging = mkctl("get", "deploy", "-l", "env=staging", "-L", "tier")
    lines = staging.out.splitlines()
    assert lines[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "TIER"]
    assert [line.split()[0::5] for line in lines[1:]] == [
        ["store-api", "backend"],
        ["store-web", "frontend"],
    ]
    frontend = mkctl("get", "pods", "-l", "tier in (frontend)", "-o", "name").out.splitlines()
    assert len(frontend) == 3 and all(p.startswith("pod/store-web-") for p in frontend)
    untiered = mkctl("get", "pods", "-l", "!tier", "-o", "name")
    assert untiered.out == "" and untiered.code == 0

    # JSONPath with range and literals, as scripts use it (no trailing newline of its own).
    replicas = mkctl(
        "get",
        "deploy",
        "-l",
        "app=store",
        "-o",
        'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.spec.replicas}{"\\n"}{end}',
    )
    assert replicas.out == "store-api\t2\nstore-web\t3\n"
    image = mkctl(
        "get", "deploy", "store-web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"
    )
    assert image.out == "nginx:1.25"

    # Custom columns, sorted by a field; every pod is on some node.
    columns = mkctl(
        "get",
        "pods",
        "-l",
        "app=store",
        "-o",
        "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,TIER:.metadata.labels.tier",
        "--sort-by=.spec.nodeName",
    )
    rows = [line.split() for line in columns.out.splitlines()]
    assert rows[0] == ["NAME", "NODE", "TIER"] and len(rows) == 6
    nodes = [row[1] for row in rows[1:]]
    assert nodes == sorted(nodes) and all(n.startswith("node-") for n in nodes)

    # Field selectors are the server's: a pod field works, an unknown one is refused.
    on_node = mkctl("get", "pods", "--field-selector", f"spec.nodeName={nodes[0]}", "-o", "name")
    assert on_node.code == 0 and on_node.out
    refused = mkctl("get", "pods", "--field-selector", "spec.image=x")
    assert refused.code == 1
    assert refused.err == (
        'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label '
        'selector "", field selector "spec.image=x": field label not supported: spec.image\n'
    )

    # label: refused without --overwrite, then applied; the selector finds it.
    assert mkctl("label", "deployment", "store-web", "release=v1").out == (
        "deployment.apps/store-web labeled\n"
    )
    again = mkctl("label", "deployment", "store-web", "release=v2")
    assert (again.code, again.err) == (
        1,
        "error: 'release' already has a value (v1), and --overwrite is false\n",
    )
    assert mkctl("get", "deploy", "-l", "release=v1", "-o", "name").out == (
        "deployment.apps/store-web\n"
    )

    # patch: a server dry run changes nothing; the real patch scales; diff sees the file differ.
    dry = mkctl(
        "patch", "deployment", "store-api", "-p", '{"spec":{"replicas":3}}', "--dry-run=server"
    )
    assert dry.out == "deployment.apps/store-api patched\n"
    assert mkctl("get", "deploy", "store-api", "-o", "jsonpath={.spec.replicas}").out == "2"
    patched = mkctl("patch", "deployment", "store-api", "-p", '{"spec":{"replicas":3}}')
    assert patched.out == "deployment.apps/store-api patched\n"
    status = json.loads(mkctl("get", "deploy", "store-api", "-o", "json").out)["status"]
    assert status["availableReplicas"] == 3
    drift = mkctl("diff", "-f", SAMPLE)
    assert drift.code == 1
    assert "-  replicas: 3\n+  replicas: 2\n" in drift.out
    assert drift.out.startswith("diff -u -N /")
    assert mkctl("apply", "-f", SAMPLE).code == 0
    assert mkctl("diff", "-f", SAMPLE).code == 0
