"""The scaler's logic against mkctl's in-process cluster: synchronous, on a fake clock."""

from pathlib import Path

import pytest
import scaler

from minikubectl.testing import ClusterError, FakeCluster

APP = Path(__file__).with_name("app.yaml")


def test_the_scaler_gives_the_deployment_the_configmaps_replicas(
    mkctl_cluster: FakeCluster,
) -> None:
    mkctl_cluster.apply(APP)
    assert len(mkctl_cluster.list("pods", selector="app=web")) == 2  # settled: already running

    patch = scaler.scale_patch(
        mkctl_cluster.get("cm", "scaler"), mkctl_cluster.get("deploy", "web")
    )
    assert patch == {"spec": {"replicas": 5}}
    mkctl_cluster.patch("deployment", "web", patch)

    web = mkctl_cluster.wait_for("deployment/web", "condition=Available")
    assert web["status"]["readyReplicas"] == 5
    pods = mkctl_cluster.list("pods", selector="app=web")
    assert {p["status"]["phase"] for p in pods} == {"Running"} and len(pods) == 5
    assert scaler.scale_patch(mkctl_cluster.get("cm", "scaler"), web) is None


def test_a_rollout_whose_image_cannot_be_pulled_misses_its_deadline(
    mkctl_cluster: FakeCluster,
) -> None:
    mkctl_cluster.apply(APP)
    unpullable = [{"name": "nginx", "image": "nginx:doesnotexist"}]
    mkctl_cluster.patch(
        "deployment", "web", {"spec": {"template": {"spec": {"containers": unpullable}}}}
    )
    started = mkctl_cluster.now
    web = mkctl_cluster.wait_for("deployment/web", "condition=Progressing=False", timeout=120)
    (progressing,) = [c for c in web["status"]["conditions"] if c["type"] == "Progressing"]
    assert progressing["reason"] == "ProgressDeadlineExceeded"
    assert 60 <= mkctl_cluster.now - started <= 62  # progressDeadlineSeconds, simulated
    mkctl_cluster.advance(3600)
    assert web["status"]["readyReplicas"] == 2  # the old pods still serve


def test_a_manifest_kubectl_refuses_is_refused_with_kubectls_message(
    mkctl_cluster: FakeCluster,
) -> None:
    with pytest.raises(ClusterError) as refused:
        mkctl_cluster.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}})
    assert refused.value.message == ('The Pod "p" is invalid: spec.containers: Required value')
    with pytest.raises(ClusterError) as missing:
        mkctl_cluster.get("deployment", "web")
    assert (missing.value.reason, missing.value.code) == ("NotFound", 404)
