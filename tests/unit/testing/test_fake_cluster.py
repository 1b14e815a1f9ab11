"""minikubectl.testing.FakeCluster: the public in-process cluster, on its fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from minikubectl.testing import ClusterError, FakeCluster, WaitTimeout

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "solo"},
    "spec": {"containers": [{"name": "c", "image": "nginx:1.14.2"}]},
}
DEPLOYMENT = """\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
"""


def phase(cluster: FakeCluster, name: str = "solo") -> str:
    return str(cluster.get("pod", name)["status"].get("phase"))


def test_writes_settle_at_once_and_a_second_apply_is_unchanged(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text(DEPLOYMENT)
    with FakeCluster() as cluster:
        applied = cluster.apply(tmp_path)  # a folder, as -f takes one
        assert [o["kind"] for o in applied] == ["Namespace", "Deployment"]
        pods = cluster.list("pods", "shop", selector="app=web")
        assert [p["status"]["phase"] for p in pods] == ["Running", "Running"]
        assert cluster.list("pods") == []  # the default namespace
        everywhere = cluster.list("po", all_namespaces=True)
        assert sorted({p["metadata"]["namespace"] for p in everywhere}) == ["kube-system", "shop"]
        assert len([p for p in everywhere if p["metadata"]["namespace"] == "shop"]) == 2
        (again,) = cluster.apply(DEPLOYMENT)[1:]  # the same, as text
        assert again["metadata"]["generation"] == 1


def test_the_same_seed_names_pods_the_same_way() -> None:
    def pod_names() -> list[str]:
        with FakeCluster(seed=3) as cluster:
            cluster.apply(DEPLOYMENT)
            return [p["metadata"]["name"] for p in cluster.list("pods", "shop")]

    assert pod_names() == pod_names()


def test_realistic_pods_start_only_as_the_clock_advances_and_stop_after_their_grace() -> None:
    with FakeCluster(realistic=True) as cluster:
        cluster.apply(POD)
        started = cluster.now
        assert phase(cluster) == "Pending"
        cluster.advance(1)
        assert phase(cluster) == "Pending"  # pulled, not yet started
        cluster.wait_for(lambda: phase(cluster) == "Running")
        # the pull: 1 s to set up, then nginx:1.14.2's 44 MB at 25 MB/s; then the start
        assert cluster.now - started == 5
        cluster.delete("pod", "solo")
        assert cluster.get("pod", "solo")["metadata"]["deletionTimestamp"]
        assert cluster.wait_for("pod/solo", "delete", timeout=30) is None


def test_a_wait_that_is_never_met_times_out_in_simulated_seconds() -> None:
    with FakeCluster() as cluster:
        cluster.apply({**POD, "spec": {"containers": [{"name": "c", "image": "x:doesnotexist"}]}})
        before = cluster.now
        with pytest.raises(WaitTimeout, match="condition=Ready on pods/solo after 90"):
            cluster.wait_for("pod/solo", "condition=Ready", timeout=90)
        assert cluster.now - before == 90
        waiting = cluster.get("pod", "solo")["status"]["containerStatuses"][0]["state"]["waiting"]
        assert waiting["reason"] == "ImagePullBackOff"


def test_refusals_are_kubectls_and_change_nothing() -> None:
    with FakeCluster() as cluster:
        with pytest.raises(ClusterError) as unknown:
            cluster.get("widgets", "w")
        assert unknown.value.message == 'error: the server doesn\'t have a resource type "widgets"'
        with pytest.raises(ClusterError) as invalid:
            cluster.apply([POD, {**POD, "metadata": {"name": "Bad_Name"}}])
        assert 'The Pod "Bad_Name" is invalid' in invalid.value.message
        assert cluster.list("pods") == []  # all or nothing
        with pytest.raises(ClusterError) as bad_patch:
            cluster.patch("pod", "solo", {}, type="yaml")
        assert "--type must be one of [json merge strategic]" in bad_patch.value.message
        with pytest.raises(TypeError, match="manifest 1 is a str"):
            cluster.apply(["not a manifest"])  # type: ignore[list-item]
