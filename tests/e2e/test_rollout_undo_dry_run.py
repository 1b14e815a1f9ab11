"""`rollout undo --dry-run`: the template it would roll back to, as kubectl's rollback.go
prints it per kind, and nothing changed; and `scale --help` without a placeholder default."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl

TEMPLATE_TAIL = (
    "  Containers:\n"
    "   nginx:\n"
    "    Image:\tnginx:1.25\n"
    "    Port:\t<none>\n"
    "    Host Port:\t<none>\n"
    "    Environment:\t<none>\n"
    "    Mounts:\t<none>\n"
    "  Volumes:\t<none>\n"
    "  Node-Selectors:\t<none>\n"
    "  Tolerations:\t<none>\n"
    " (dry run)\n"
)

STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: {image}
"""


def image(mkctl: Mkctl, target: str) -> str:
    return mkctl("get", target, "-o", "jsonpath={.spec.template.spec.containers[0].image}").out


def test_deployment_undo_dry_runs_show_and_change_nothing(mkctl: Mkctl) -> None:
    assert mkctl("apply", "-f", "-", stdin=WEB_DEPLOYMENT.format(replicas=2, image="nginx:1.25"))
    assert mkctl("set", "image", "deployment/web", "nginx=nginx:1.26").code == 0
    listed = mkctl(
        "get",
        "rs",
        "-o",
        "jsonpath={range .items[*]}{.spec.template.spec.containers[0].image} "
        '{.metadata.labels.pod-template-hash}{"\\n"}{end}',
    ).out
    hash_label = dict(line.split() for line in listed.splitlines())["nginx:1.25"]
    client = mkctl("rollout", "undo", "deployment/web", "--dry-run=client")
    assert client.code == 0, client.err
    assert client.out == (
        "deployment.apps/web Pod Template:\n"
        "  Labels:\tapp=web\n"
        f"\tpod-template-hash={hash_label}\n" + TEMPLATE_TAIL
    )
    assert image(mkctl, "deployment/web") == "nginx:1.26"

    server = mkctl("rollout", "undo", "deployment/web", "--dry-run=server")
    assert (server.code, server.out) == (0, "deployment.apps/web rolled back (server dry run)\n")
    assert image(mkctl, "deployment/web") == "nginx:1.26"

    missing = mkctl("rollout", "undo", "deployment/web", "--to-revision=9", "--dry-run=client")
    assert missing.code == 1  # after the warning that applied objects get, as from kubectl
    assert missing.err.endswith("\nerror: unable to find specified revision 9 in history\n")

    done = mkctl("rollout", "undo", "deployment/web")
    assert done.out == "deployment.apps/web rolled back\n"
    assert image(mkctl, "deployment/web") == "nginx:1.25"


def test_statefulset_undo_dry_run_says_will_roll_back_to(mkctl: Mkctl) -> None:
    assert mkctl("apply", "-f", "-", stdin=STATEFULSET.format(image="nginx:1.25")).code == 0
    assert mkctl("apply", "-f", "-", stdin=STATEFULSET.format(image="nginx:1.26")).code == 0
    shown = mkctl("rollout", "undo", "statefulset/web", "--dry-run=client")
    assert shown.code == 0, shown.err
    assert shown.out == (
        "statefulset.apps/web will roll back to Pod Template:\n  Labels:\tapp=web\n" + TEMPLATE_TAIL
    )
    assert image(mkctl, "statefulset/web") == "nginx:1.26"


@pytest.mark.parametrize("args", [["scale", "--help"], ["scale", "-h"]])
def test_scale_help_shows_no_placeholder_default(mkctl: Mkctl, args: list[str]) -> None:
    shown = mkctl(*args)
    replicas = re.search(
        r"--replicas INTEGER +The new desired number of replicas\. Required\.\n", shown.out
    )
    assert replicas is not None, shown.out
    assert "[default" not in shown.out  # --current-replicas says its -1 in its own words
    missing = mkctl("scale", "deployment/web")
    assert (missing.code, missing.err) == (1, 'error: required flag(s) "replicas" not set\n')
