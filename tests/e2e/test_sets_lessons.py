"""The StatefulSet and DaemonSet lessons, walked with the real mkctl as the samples tell a
learner. Embedded mode settles the cluster after every command, so the order in which pods
were created shows in the order of the controllers' events (their resourceVersions)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import REPO, Mkctl

STS = "sts/web"
DS = "ds/fluentd"


def items(mkctl: Mkctl, *args: str) -> list[dict]:
    result = mkctl("get", *args, "-o", "json")
    assert result.code == 0, result.err
    return list(json.loads(result.out)["items"])


def images(mkctl: Mkctl) -> dict[str, str]:
    return {
        p["metadata"]["name"]: p["spec"]["containers"][0]["image"] for p in items(mkctl, "pods")
    }


def set_events(mkctl: Mkctl, kind: str) -> list[str]:
    """The messages of one kind's controller events, oldest first."""
    events = sorted(items(mkctl, "events"), key=lambda e: int(e["metadata"]["resourceVersion"]))
    return [e["message"] for e in events if e["involvedObject"]["kind"] == kind]


def revisions(mkctl: Mkctl) -> dict[str, int]:
    return {r["metadata"]["name"]: r["revision"] for r in items(mkctl, "controllerrevisions")}


def history(*rows: int) -> str:
    """`rollout history` rows without change causes."""
    return "REVISION  CHANGE-CAUSE\n" + "".join(f"{r}         <none>\n" for r in rows)


def test_the_statefulset_lesson_end_to_end(mkctl: Mkctl) -> None:
    assert mkctl("apply", "-f", "samples/06-statefulset.yaml").out == (
        "statefulset.apps/web created\n"
    )
    # Stable names, created in order: each create follows the previous pod's start.
    pods = items(mkctl, "pods")
    assert [p["metadata"]["name"] for p in pods] == ["web-0", "web-1", "web-2"]
    by_creation = sorted(pods, key=lambda p: int(p["metadata"]["resourceVersion"]))
    assert [p["metadata"]["name"] for p in by_creation] == ["web-0", "web-1", "web-2"]
    events = sorted(items(mkctl, "events"), key=lambda e: int(e["metadata"]["resourceVersion"]))
    steps = [
        (e["involvedObject"]["name"], e["reason"])
        for e in events
        if e["reason"] in ("SuccessfulCreate", "Started")
    ]
    assert steps == [
        ("web", "SuccessfulCreate"),
        ("web-0", "Started"),
        ("web", "SuccessfulCreate"),
        ("web-1", "Started"),
        ("web", "SuccessfulCreate"),
        ("web-2", "Started"),
    ]
    assert set_events(mkctl, "StatefulSet") == [
        f"create Pod web-{i} in StatefulSet web successful" for i in range(3)
    ]
    table = mkctl("get", "sts,controllerrevisions").out.split("\n\n")
    assert table[0].splitlines()[0].split() == ["NAME", "READY", "AGE"]
    assert table[0].splitlines()[1].split()[:2] == ["statefulset.apps/web", "3/3"]
    (first,) = revisions(mkctl)
    assert table[1].splitlines()[1].split()[:3] == [
        f"controllerrevision.apps/{first}",
        "statefulset.apps/web",
        "1",
    ]
    labels = items(mkctl, "pods")[0]["metadata"]["labels"]
    assert labels["statefulset.kubernetes.io/pod-name"] == "web-0"
    assert labels["apps.kubernetes.io/pod-index"] == "0"
    assert labels["controller-revision-hash"] == first

    # partition: 2 -- the image change reaches web-2 only.
    assert mkctl("set", "image", STS, "nginx=nginx:1.16.1").out == (
        "statefulset.apps/web image updated\n"
    )
    assert images(mkctl) == {
        "web-0": "nginx:1.14.2",
        "web-1": "nginx:1.14.2",
        "web-2": "nginx:1.16.1",
    }
    assert mkctl("rollout", "status", STS).out == (
        "partitioned roll out complete: 1 new pods have been updated...\n"
    )
    (sts,) = items(mkctl, "sts")
    assert sts["status"]["currentRevision"] == first != sts["status"]["updateRevision"]
    assert (sts["status"]["currentReplicas"], sts["status"]["updatedReplicas"]) == (2, 1)

    # Lowering the partition updates the rest, from the highest ordinal down.
    lowered = (REPO / "samples/06-statefulset.yaml").read_text()
    lowered = lowered.replace("partition: 2", "partition: 0").replace("1.14.2", "1.16.1")
    assert mkctl("apply", "-f", "-", stdin=lowered).out == "statefulset.apps/web configured\n"
    assert set(images(mkctl).values()) == {"nginx:1.16.1"}
    deleted = [m for m in set_events(mkctl, "StatefulSet") if m.startswith("delete")]
    assert deleted == [f"delete Pod web-{i} in StatefulSet web successful" for i in (2, 1, 0)]
    assert mkctl("rollout", "status", STS).out == (
        "partitioned roll out complete: 3 new pods have been updated...\n"
    )
    assert mkctl("rollout", "history", STS).out == (f"statefulset.apps/web \n{history(1, 2)}\n")

    # Undo: the earlier ControllerRevision comes back, renumbered, and the pods roll to it.
    assert mkctl("rollout", "undo", STS).out == "statefulset.apps/web rolled back\n"
    assert set(images(mkctl).values()) == {"nginx:1.14.2"}
    assert revisions(mkctl)[first] == 3 and sorted(revisions(mkctl).values()) == [2, 3]
    assert mkctl("rollout", "history", STS).out == (f"statefulset.apps/web \n{history(2, 3)}\n")
    assert {p["metadata"]["labels"]["controller-revision-hash"] for p in items(mkctl, "pods")} == {
        first
    }
    skipped = mkctl("rollout", "undo", STS, "--to-revision=3")
    assert skipped.out == (
        "statefulset.apps/web skipped rollback (current template already matches revision 3)\n"
    )

    # Scale down: the highest ordinal goes first.
    assert mkctl("scale", STS, "--replicas=1").out == "statefulset.apps/web scaled\n"
    assert [p["metadata"]["name"] for p in items(mkctl, "pods")] == ["web-0"]
    assert set_events(mkctl, "StatefulSet")[-2:] == [
        "delete Pod web-2 in StatefulSet web successful",
        "delete Pod web-1 in StatefulSet web successful",
    ]
    described = mkctl("describe", "sts", "web").out
    assert "Replicas:           1 desired | 1 total\n" in described
    assert "Update Strategy:    RollingUpdate\n  Partition:        0\n" in described


def test_the_daemonset_lesson_end_to_end(mkctl: Mkctl) -> None:
    assert mkctl("apply", "-f", "samples/07-daemonset.yaml").out == (
        "daemonset.apps/fluentd created\n"
    )
    shown = mkctl("get", "ds").out.splitlines()
    assert shown[0].split() == [
        "NAME",
        "DESIRED",
        "CURRENT",
        "READY",
        "UP-TO-DATE",
        "AVAILABLE",
        "NODE",
        "SELECTOR",
        "AGE",
    ]
    assert shown[1].split()[:7] == ["fluentd", "0", "0", "0", "0", "0", "logging=on"]

    labelled = mkctl("label", "node", "node-1", "node-2", "node-3", "logging=on")
    assert labelled.out == "node/node-1 labeled\nnode/node-2 labeled\nnode/node-3 labeled\n"

    def nodes() -> list[str]:
        return sorted(p["spec"]["nodeName"] for p in items(mkctl, "pods"))

    assert nodes() == ["node-1", "node-2", "node-3"]
    (ds,) = items(mkctl, "ds")
    assert ds["status"]["desiredNumberScheduled"] == ds["status"]["numberAvailable"] == 3

    # A new node that fits gets a pod; relabelled so it no longer fits, it loses it.
    assert mkctl("node", "add", "node-4", "--label", "logging=on").out == "node/node-4 created\n"
    assert nodes() == ["node-1", "node-2", "node-3", "node-4"]
    refused = mkctl("label", "node", "node-4", "logging=off")
    assert (refused.code, refused.err) == (
        1,
        "error: 'logging' already has a value (on), and --overwrite is false\n",
    )
    relabelled = mkctl("label", "node", "node-4", "logging=off", "--overwrite")
    assert relabelled.out == "node/node-4 labeled\n"
    assert nodes() == ["node-1", "node-2", "node-3"]
    # Back on, then the node goes away: its pod is collected with it.
    mkctl("label", "node", "node-4", "logging=on", "--overwrite")
    assert nodes() == ["node-1", "node-2", "node-3", "node-4"]
    assert mkctl("node", "remove", "node-4").out == 'node "node-4" deleted\n'
    assert nodes() == ["node-1", "node-2", "node-3"]
    created = [m for m in set_events(mkctl, "DaemonSet") if m.startswith("Created")]
    assert len(created) == 5 and len(set(created)) == 5

    # Roll out a new image, then undo it.
    (first,) = revisions(mkctl)
    assert mkctl("set", "image", DS, "fluentd=fluentd:v1.17").out == (
        "daemonset.apps/fluentd image updated\n"
    )
    assert set(images(mkctl).values()) == {"fluentd:v1.17"}
    assert mkctl("rollout", "status", DS).out == 'daemon set "fluentd" successfully rolled out\n'
    assert mkctl("rollout", "history", DS).out == f"daemonset.apps/fluentd \n{history(1, 2)}\n"
    assert mkctl("rollout", "undo", DS).out == "daemonset.apps/fluentd rolled back\n"
    assert set(images(mkctl).values()) == {"fluentd:v1.16"}
    assert revisions(mkctl)[first] == 3
    hash_ = first.removeprefix("fluentd-")
    assert {p["metadata"]["labels"]["controller-revision-hash"] for p in items(mkctl, "pods")} == {
        hash_
    }
    described = mkctl("describe", "ds", "fluentd").out
    assert "Desired Number of Nodes Scheduled: 3\n" in described
    assert "Annotations:    deprecated.daemonset.template.generation: 3\n" in described


def test_the_lesson_scripts_run(tmp_path: Path) -> None:
    """Both scripts, side by side (each has its own cluster)."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    runs = {
        script: subprocess.Popen(
            ["bash", f"samples/{script}"],
            cwd=REPO,
            env={**os.environ, "PATH": path, "MKCTL_HOME": str(tmp_path / script)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for script in ("lesson-statefulset.sh", "lesson-daemonset.sh")
    }
    outputs = {script: run.communicate(timeout=600) for script, run in runs.items()}
    for script, run in runs.items():
        assert run.returncode == 0, outputs[script][1]
    assert "statefulset.apps/web rolled back" in outputs["lesson-statefulset.sh"][0]
    assert "daemonset.apps/fluentd rolled back" in outputs["lesson-daemonset.sh"][0]
