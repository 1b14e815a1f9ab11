"""The Deployments lesson, walked with the real mkctl exactly as the README tells a learner."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.e2e.conftest import REPO, Mkctl

DEPLOY = "deployment/nginx-deployment"


def items(mkctl: Mkctl, *args: str) -> list[dict]:
    result = mkctl("get", *args, "-o", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)["items"]


def replica_sets(mkctl: Mkctl) -> dict[str, dict]:
    return {rs["metadata"]["name"]: rs for rs in items(mkctl, "rs")}


def revision(rs: dict) -> str:
    return rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]


def test_the_deployment_lesson_end_to_end(mkctl: Mkctl) -> None:
    applied = mkctl("apply", "-f", "samples/02-deployment.yaml")
    assert (applied.code, applied.out) == (0, "deployment.apps/nginx-deployment created\n")

    # The Deployment delegates to one ReplicaSet, which keeps three Running pods.
    shown = mkctl("get", "rs,pods")
    assert shown.code == 0
    rs_table, pod_table = shown.out.split("\n\n")
    assert rs_table.splitlines()[0].split() == ["NAME", "DESIRED", "CURRENT", "READY", "AGE"]
    assert re.match(
        r"replicaset\.apps/nginx-deployment-[4-9bcdf]{6,10} +3 +3 +3 +\d+s$",
        rs_table.splitlines()[1],
    )
    pods = pod_table.splitlines()[1:]
    assert len(pods) == 3
    assert all(
        re.match(
            r"pod/nginx-deployment-\S+-[bcdfghjklmnpqrstvwxz2456789]{5} +1/1 +"
            r"Running +0 +\d+s$",
            line,
        )
        for line in pods
    )
    (first_rs,) = replica_sets(mkctl)

    # Self-healing: a deleted pod is replaced at once.
    victim = pods[0].split()[0].removeprefix("pod/")
    deleted = mkctl("delete", "pod", victim)
    assert deleted.out == f'pod "{victim}" deleted from default namespace\n'
    after = [p["metadata"]["name"] for p in items(mkctl, "pods")]
    assert len(after) == 3 and victim not in after
    assert all(p["status"]["phase"] == "Running" for p in items(mkctl, "pods"))

    # A new image: a second ReplicaSet takes over, the first is scaled to 0.
    updated = mkctl("set", "image", DEPLOY, "nginx=nginx:1.16.1")
    assert updated.out == "deployment.apps/nginx-deployment image updated\n"
    sets = replica_sets(mkctl)
    assert len(sets) == 2
    (second_rs,) = set(sets) - {first_rs}
    assert sets[first_rs]["spec"]["replicas"] == 0 and revision(sets[first_rs]) == "1"
    assert sets[second_rs]["status"]["readyReplicas"] == 3 and revision(sets[second_rs]) == "2"
    assert {p["spec"]["containers"][0]["image"] for p in items(mkctl, "pods")} == {"nginx:1.16.1"}

    history = mkctl("rollout", "history", DEPLOY)
    assert history.out == (
        "deployment.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n1         <none>\n"
        "2         <none>\n\n"
    )

    # Undo brings the first ReplicaSet back, as revision 3.
    undone = mkctl("rollout", "undo", DEPLOY)
    assert undone.out == "deployment.apps/nginx-deployment rolled back\n"
    sets = replica_sets(mkctl)
    assert set(sets) == {first_rs, second_rs}
    assert revision(sets[first_rs]) == "3" and sets[first_rs]["spec"]["replicas"] == 3
    assert (
        sets[first_rs]["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"]
        == "1"
    )
    assert sets[second_rs]["spec"]["replicas"] == 0
    history = mkctl("rollout", "history", DEPLOY)
    assert history.out.splitlines()[2:4] == ["2         <none>", "3         <none>"]
    assert {p["spec"]["containers"][0]["image"] for p in items(mkctl, "pods")} == {"nginx:1.14.2"}

    # Scale, then re-apply: the file's replicas win (three-way merge).
    assert mkctl("scale", DEPLOY, "--replicas=5").out == "deployment.apps/nginx-deployment scaled\n"
    (deployment,) = items(mkctl, "deploy")
    assert deployment["status"]["readyReplicas"] == 5
    reapplied = mkctl("apply", "-f", "samples/02-deployment.yaml")
    assert reapplied.out == "deployment.apps/nginx-deployment configured\n"
    (deployment,) = items(mkctl, "deploy")
    assert deployment["spec"]["replicas"] == 3 and deployment["status"]["availableReplicas"] == 3
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").out == (
        "deployment.apps/nginx-deployment unchanged\n"
    )

    # Deleting the Deployment takes its ReplicaSets and pods with it.
    gone = mkctl("delete", "deployment", "nginx-deployment")
    assert gone.out == 'deployment.apps "nginx-deployment" deleted from default namespace\n'
    empty = mkctl("get", "deploy,rs,pods")
    assert (empty.code, empty.out, empty.err) == (
        0,
        "",
        "No resources found in default namespace.\n",
    )


def owner_kind(obj: dict) -> str:
    refs = obj["metadata"].get("ownerReferences") or [{}]
    return str(refs[0].get("kind", ""))


def test_every_sample_applies(mkctl: Mkctl) -> None:
    samples = sorted(p for p in (REPO / "samples").iterdir() if p.suffix == ".yaml")
    assert len(samples) >= 3
    numbers = [p.name.split("-", 1)[0] for p in samples]
    assert len(set(numbers)) == len(numbers) and all(n.isdigit() for n in numbers), numbers
    for sample in samples:
        result = mkctl("apply", "-f", str(sample.relative_to(REPO)))
        assert result.code == 0, (sample.name, result.err)
        assert result.out and all(line.endswith(" created") for line in result.out.splitlines()), (
            result.out
        )
    pods = items(mkctl, "pods", "-A")
    # A Job's pods run to completion; every other pod keeps running.
    finished = {"Job": "Succeeded"}
    assert pods and all(
        p["status"]["phase"] == finished.get(owner_kind(p), "Running") for p in pods
    ), [(p["metadata"]["name"], p["status"]["phase"]) for p in pods]


def test_the_lesson_script_runs(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "MKCTL_HOME": str(tmp_path / "lesson"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    done = subprocess.run(
        ["bash", "samples/lesson.sh"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "deployment.apps/nginx-deployment rolled back" in done.stdout
