"""PersistentVolumeClaims, PersistentVolumes and the default StorageClass with the real mkctl:
the StatefulSet volumes lesson, kubectl's columns and pages, refusals, and a pod waiting for
its claim."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import REPO, Mkctl

SAMPLE = "samples/14-statefulset-volumes.yaml"

CLAIM = """\
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {name}
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: {size}
"""


def items(mkctl: Mkctl, *args: str) -> list[dict]:
    result = mkctl("get", *args, "-o", "json")
    assert result.code == 0, result.err
    return list(json.loads(result.out)["items"])


def claim_uids(mkctl: Mkctl) -> dict[str, str]:
    return {c["metadata"]["name"]: c["metadata"]["uid"] for c in items(mkctl, "pvc")}


def mounted(mkctl: Mkctl) -> dict[str, str]:
    return {
        p["metadata"]["name"]: p["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"]
        for p in items(mkctl, "pods")
    }


def test_the_statefulset_volumes_lesson(mkctl: Mkctl) -> None:
    assert mkctl("apply", "-f", SAMPLE).out == "statefulset.apps/shop created\n"
    claims = items(mkctl, "pvc")
    assert [(c["metadata"]["name"], c["status"]["phase"]) for c in claims] == [
        ("data-shop-0", "Bound"),
        ("data-shop-1", "Bound"),
        ("data-shop-2", "Bound"),
    ]
    volumes = {v["metadata"]["name"]: v for v in items(mkctl, "pv")}
    assert sorted(volumes) == sorted(f"pvc-{c['metadata']['uid']}" for c in claims)
    assert mounted(mkctl) == {f"shop-{i}": f"data-shop-{i}" for i in range(3)}
    uids = claim_uids(mkctl)
    # A new shop-1 mounts the same claim.
    old = {p["metadata"]["name"]: p["metadata"]["uid"] for p in items(mkctl, "pods")}
    assert mkctl("delete", "pod", "shop-1").code == 0
    pods = {p["metadata"]["name"]: p for p in items(mkctl, "pods")}
    assert pods["shop-1"]["metadata"]["uid"] != old["shop-1"]
    assert claim_uids(mkctl) == uids
    # Scale down: the claims stay; scale up: each ordinal gets its own back.
    assert mkctl("scale", "sts", "shop", "--replicas=1").code == 0
    assert sorted(mounted(mkctl)) == ["shop-0"]
    assert claim_uids(mkctl) == uids
    assert mkctl("scale", "sts", "shop", "--replicas=3").code == 0
    assert mounted(mkctl) == {f"shop-{i}": f"data-shop-{i}" for i in range(3)}
    assert claim_uids(mkctl) == uids
    assert len(items(mkctl, "pv")) == 3
    # whenDeleted Retain: the set goes, the claims stay; a claim goes with its volume.
    assert mkctl("delete", "sts", "shop").code == 0
    assert claim_uids(mkctl) == uids
    assert mkctl("delete", "pvc", "-l", "app=shop").code == 0
    assert items(mkctl, "pv") == []


def test_retention_policy_delete_removes_claims_through_the_garbage_collector(
    mkctl: Mkctl,
) -> None:
    text = (REPO / SAMPLE).read_text()
    deleting = text.replace("whenDeleted: Retain", "whenDeleted: Delete").replace(
        "whenScaled: Retain", "whenScaled: Delete"
    )
    assert mkctl("apply", "-f", "-", stdin=deleting).code == 0
    assert mkctl("scale", "sts", "shop", "--replicas=1").code == 0
    assert sorted(claim_uids(mkctl)) == ["data-shop-0"]
    assert len(items(mkctl, "pv")) == 1
    assert mkctl("delete", "sts", "shop").code == 0
    assert items(mkctl, "pvc") == [] and items(mkctl, "pv") == []


def test_get_and_describe_as_kubectl_prints_them(mkctl: Mkctl) -> None:
    header, row = mkctl("get", "sc").out.splitlines()
    assert header == (
        "NAME                 PROVISIONER          RECLAIMPOLICY   VOLUMEBINDINGMODE   "
        "ALLOWVOLUMEEXPANSION   AGE"
    )
    assert row.startswith(
        "standard (default)   mkctl.io/simulated   Delete          Immediate           false   "
    )
    assert mkctl("apply", "-f", "-", stdin=CLAIM.format(name="data", size="2Gi")).code == 0
    header, row = mkctl("get", "pvc").out.splitlines()
    assert header.split() == [
        "NAME",
        "STATUS",
        "VOLUME",
        "CAPACITY",
        "ACCESS",
        "MODES",
        "STORAGECLASS",
        "VOLUMEATTRIBUTESCLASS",
        "AGE",
    ]
    (claim,) = items(mkctl, "pvc")
    assert row.split()[:7] == [
        "data",
        "Bound",
        f"pvc-{claim['metadata']['uid']}",
        "2Gi",
        "RWO",
        "standard",
        "<unset>",
    ]
    assert mkctl("get", "pv").out.split()[12:17] == [
        f"pvc-{claim['metadata']['uid']}",
        "2Gi",
        "RWO",
        "Delete",
        "Bound",
    ]
    page = mkctl("describe", "pvc", "data").out
    assert "StorageClass:  standard\nStatus:        Bound\n" in page
    assert "Used By:       <none>\n" in page
    assert "Normal  ProvisioningSucceeded" in page
    assert "IsDefaultClass:        Yes\n" in mkctl("describe", "sc", "standard").out


def test_bad_claims_are_refused_with_kubectl_messages(mkctl: Mkctl) -> None:
    no_size = CLAIM.format(name="bad", size="1Gi").replace(
        "    requests:\n      storage: 1Gi\n", "    requests: {}\n"
    )
    refused = mkctl("apply", "-f", "-", stdin=no_size)
    assert refused.code == 1
    assert refused.err == (
        'The PersistentVolumeClaim "bad" is invalid: spec.resources[storage]: Required value\n'
    )
    assert items(mkctl, "pvc") == [] and items(mkctl, "pv") == []
    assert mkctl("apply", "-f", "-", stdin=CLAIM.format(name="data", size="1Gi")).code == 0
    grow = mkctl("patch", "pvc", "data", "-p", '{"spec":{"accessModes":["ReadWriteMany"]}}')
    assert grow.code == 1
    assert "spec is immutable after creation except resources.requests" in grow.err


def test_a_pod_waits_for_its_missing_claim(mkctl: Mkctl) -> None:
    pod = """\
apiVersion: v1
kind: Pod
metadata:
  name: reader
spec:
  containers:
  - name: c
    image: nginx
  volumes:
  - name: v
    persistentVolumeClaim:
      claimName: later
"""
    assert mkctl("apply", "-f", "-", stdin=pod).code == 0
    (waiting,) = items(mkctl, "pods")
    assert waiting["status"]["phase"] == "Pending"
    (scheduled,) = [c for c in waiting["status"]["conditions"] if c["type"] == "PodScheduled"]
    assert scheduled["message"] == (
        '0/3 nodes are available: persistentvolumeclaim "later" not found. preemption: 0/3 '
        "nodes are available: 3 Preemption is not helpful for scheduling.."
    )
    assert mkctl("apply", "-f", "-", stdin=CLAIM.format(name="later", size="1Gi")).code == 0
    (running,) = items(mkctl, "pods")
    assert running["status"]["phase"] == "Running"


def test_the_lesson_script_runs(tmp_path: Path) -> None:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    done = subprocess.run(
        ["bash", "samples/lesson-statefulset-volumes.sh"],
        cwd=REPO,
        env={**os.environ, "PATH": path, "MKCTL_HOME": str(tmp_path / "home")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "\ndata-shop-2\n" in done.stdout
    assert "Used By:       shop-0\n" in done.stdout


def test_a_claim_in_use_is_terminating_until_its_pod_goes(mkctl: Mkctl) -> None:
    assert mkctl("apply", "-f", SAMPLE).code == 0
    # --wait=false: kubectl, too, would wait as long as a pod holds the claim
    assert mkctl("delete", "pvc", "data-shop-2", "--wait=false").code == 0
    row = mkctl("get", "pvc", "data-shop-2", "--no-headers").out.split()
    assert row[:2] == ["data-shop-2", "Terminating"]  # kubernetes.io/pvc-protection
    assert mkctl("scale", "sts", "shop", "--replicas=2").code == 0
    assert sorted(claim_uids(mkctl)) == ["data-shop-0", "data-shop-1"]
    assert len(items(mkctl, "pv")) == 2
