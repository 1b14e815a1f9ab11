"""Input kubectl accepts or refuses in its own way: a negative grace period, `--all` with a
selector, and `kind: List` manifests."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.conftest import Mkctl
from tests.e2e.test_bad_input import store_rows

NEGATIVE_GRACE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      terminationGracePeriodSeconds: -5
      containers:
      - name: nginx
        image: nginx:1.25
"""

LIST = """\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Namespace
  metadata:
    name: team-a
- apiVersion: v1
  kind: List
  items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
      namespace: team-a
    spec:
      replicas: 1
      selector:
        matchLabels:
          app: api
      template:
        metadata:
          labels:
            app: api
        spec:
          containers:
          - name: c
            image: nginx:1.25
"""


def names(mkctl: Mkctl, *args: str) -> list[str]:
    result = mkctl("get", *args, "-o", "json")
    assert result.code == 0, result.err
    return [item["metadata"]["name"] for item in json.loads(result.out)["items"]]


def test_a_negative_grace_period_is_1_and_the_pods_go_with_their_deployment(
    mkctl: Mkctl, tmp_path: Path
) -> None:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(NEGATIVE_GRACE)
    assert mkctl("apply", "-f", str(manifest)).code == 0
    grace = mkctl(
        "get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.terminationGracePeriodSeconds}"
    )
    assert grace.out == "1"
    assert len(names(mkctl, "pods")) == 2
    deleted = mkctl("delete", "deployment", "web", "--grace-period=-5")
    assert deleted.code == 0, deleted.err
    assert names(mkctl, "pods") == []


def test_all_with_a_selector_is_refused_as_kubectl_does(mkctl: Mkctl, tmp_path: Path) -> None:
    assert mkctl("get", "nodes").code == 0
    before = store_rows(tmp_path / "home")
    for selector in (["-l", "app=web"], ["--field-selector", "metadata.name=x"]):
        refused = mkctl("delete", "pods", "--all", *selector)
        assert (refused.code, refused.out) == (1, "")
        assert refused.err == "error: setting 'all' parameter but found a non empty selector. \n"
    assert store_rows(tmp_path / "home") == before


def test_a_list_applies_its_items_nested_lists_included(mkctl: Mkctl, tmp_path: Path) -> None:
    manifest = tmp_path / "list.yaml"
    manifest.write_text(LIST)
    applied = mkctl("apply", "-f", str(manifest))
    assert applied.out == "namespace/team-a created\ndeployment.apps/api created\n", applied.err
    assert names(mkctl, "pods", "-n", "team-a")[0].startswith("api-")
    exported = mkctl("get", "deployments", "-n", "team-a", "-o", "yaml")  # a v1 List
    (tmp_path / "exported.yaml").write_text(exported.out)
    again = mkctl("apply", "-f", str(tmp_path / "exported.yaml"))
    assert (again.code, again.out) == (0, "deployment.apps/api configured\n"), again.err


def test_an_image_name_with_a_space_is_invalid_not_running(mkctl: Mkctl, tmp_path: Path) -> None:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(NEGATIVE_GRACE.replace("nginx:1.25", '"nginx 1.25"'))
    assert mkctl("apply", "-f", str(manifest)).code == 0
    pods = json.loads(mkctl("get", "pods", "-o", "json").out)["items"]
    waiting = [p["status"]["containerStatuses"][0]["state"]["waiting"] for p in pods]
    assert [w["reason"] for w in waiting] == ["InvalidImageName"] * 2
    assert waiting[0]["message"] == (
        'Failed to apply default image tag "nginx 1.25": couldn\'t parse image name '
        '"nginx 1.25": invalid reference format'
    )
    assert [p["status"]["phase"] for p in pods] == ["Pending"] * 2
