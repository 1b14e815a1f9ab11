"""`mkctl scale --current-replicas/--resource-version` in process: the Scale is read and its
replicas and resourceVersion checked before it is written, as kubectl's scaler does
(staging/src/k8s.io/kubectl/pkg/scale/scale.go ScaleSimple); a precondition that does not
hold is kubectl's error, exit 1, and nothing written. Named objects that are not found are
reported after the others are scaled."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import Mkctl
from tests.e2e.test_bad_input import failed, store_rows


def test_scale_writes_only_when_its_preconditions_hold(mkctl: Mkctl, tmp_path: Path) -> None:
    assert mkctl("create", "deployment", "web", "--image=nginx:1.25", "--replicas=2").code == 0
    version = mkctl("get", "deployment", "web", "-o", "jsonpath={.metadata.resourceVersion}").out
    before = store_rows(tmp_path / "home")

    stale = mkctl("scale", "deployment/web", "--replicas=3", "--resource-version=1")
    failed(stale, f"error: Expected resource version to be 1, was {version}")
    differ = mkctl("scale", "deployment/web", "--replicas=3", "--current-replicas=1")
    failed(differ, "error: Expected replicas to be 1, was 2")
    assert store_rows(tmp_path / "home") == before

    held = mkctl(
        "scale", "deployment/web", "--replicas=3", "--current-replicas=2",
        f"--resource-version={version}",
    )  # fmt: skip
    assert (held.code, held.out, held.err) == (0, "deployment.apps/web scaled\n", "")
    scaled = mkctl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}")
    assert scaled.out == "3"


def test_scale_scales_what_it_finds_then_reports_what_it_did_not(mkctl: Mkctl) -> None:
    """RunScale reads with ContinueOnError: the objects found are scaled and printed, then
    every NotFound is reported, one per line, and the exit code is 1."""
    assert mkctl("create", "deployment", "web", "--image=nginx:1.25").code == 0
    partly = mkctl("scale", "deploy,rs,sts", "web", "--replicas=2")
    assert (partly.code, partly.out) == (1, "deployment.apps/web scaled\n")
    assert partly.err == (
        'Error from server (NotFound): replicasets.apps "web" not found\n'
        'Error from server (NotFound): statefulsets.apps "web" not found\n'
    )
    scaled = mkctl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}")
    assert scaled.out == "2"
    none = mkctl("scale", "deployment", "nothing", "--replicas=2")
    assert (none.code, none.out) == (1, "")
    assert none.err == 'Error from server (NotFound): deployments.apps "nothing" not found\n'
