"""Server-side apply with the real mkctl, and with the official Python client over HTTP:
field ownership, kubectl's conflict text and exit code, `--force-conflicts`, and
managedFields hidden from `get -o yaml|json` unless `--show-managed-fields`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.clients import python_client as kubernetes_client
from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl

CONFLICT = """\
error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: \
.spec.replicas
Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
"""


def managers(mkctl: Mkctl, *args: str) -> list[tuple[str, str, str]]:
    shown = mkctl("get", *args, "--show-managed-fields", "-o", "json")
    assert shown.code == 0, shown.err
    return [
        (e["manager"], e["operation"], e.get("subresource", ""))
        for e in json.loads(shown.out)["metadata"]["managedFields"]
    ]


def test_server_side_apply_after_client_side_apply(mkctl: Mkctl, tmp_path: Path) -> None:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=2, image="nginx:1.14.2"))
    assert mkctl("apply", "-f", str(manifest)).code == 0
    assert ("kubectl-client-side-apply", "Update", "") in managers(mkctl, "deploy", "web")
    assert ("kube-controller-manager", "Update", "status") in managers(mkctl, "deploy", "web")
    for output in ("yaml", "json"):
        assert "managedFields" not in mkctl("get", "deploy", "web", "-o", output).out

    manifest.write_text(WEB_DEPLOYMENT.format(replicas=4, image="nginx:1.14.2"))
    refused = mkctl("apply", "--server-side", "-f", str(manifest))
    assert (refused.code, refused.out, refused.err) == (1, "", CONFLICT)
    assert json.loads(mkctl("get", "deploy", "web", "-o", "json").out)["spec"]["replicas"] == 2

    forced = mkctl("apply", "--server-side", "--force-conflicts", "-f", str(manifest))
    assert (forced.code, forced.out) == (0, "deployment.apps/web serverside-applied\n")
    assert json.loads(mkctl("get", "deploy", "web", "-o", "json").out)["spec"]["replicas"] == 4
    # as kubectl 1.37 leaves it: client-side apply's fields moved to the applier, and the
    # last-applied annotation kept by its own applier
    assert managers(mkctl, "deploy", "web") == [
        ("kubectl", "Apply", ""),
        ("kubectl-last-applied", "Apply", ""),
        ("kube-controller-manager", "Update", "status"),
    ]
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=4, image="nginx:1.16.1"))
    moved = mkctl("apply", "--server-side", "-f", str(manifest))
    assert (moved.code, moved.out) == (0, "deployment.apps/web serverside-applied\n")

    mine = mkctl("apply", "--server-side", "--field-manager=ci", "-f", str(manifest))
    assert mine.out == "deployment.apps/web serverside-applied\n"  # same values: co-owned
    misuse = mkctl("apply", "--force-conflicts", "-f", str(manifest))
    assert (misuse.code, misuse.err) == (
        1,
        "error: --force-conflicts only works with --server-side\n",
    )


@pytest.fixture
def daemon_home(mkctl: Mkctl, tmp_path: Path) -> Iterator[Path]:
    started = mkctl("cluster", "start", "--speed", "50")
    assert started.code == 0, started.err
    yield tmp_path / "home"
    assert mkctl("cluster", "stop").code == 0


def test_the_python_client_applies_over_http(mkctl: Mkctl, daemon_home: Path) -> None:
    api_client = kubernetes_client(daemon_home)
    from kubernetes import client
    from kubernetes.client.rest import ApiException

    apps = client.AppsV1Api(api_client)
    body = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "py", "namespace": "default"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "py"}},
            "template": {
                "metadata": {"labels": {"app": "py"}},
                "spec": {"containers": [{"name": "web", "image": "nginx"}]},
            },
        },
    }

    def apply(manager: str, force: bool = False) -> object:
        return apps.patch_namespaced_deployment(
            "py",
            "default",
            body,
            field_manager=manager,
            force=force,
            _content_type="application/apply-patch+yaml",
        )

    created = apply("python-operator")
    assert created.spec.replicas == 1
    assert [(m.manager, m.operation) for m in created.metadata.managed_fields] == [
        ("python-operator", "Apply")
    ]
    body["spec"]["replicas"] = 3
    with pytest.raises(ApiException) as caught:
        apply("someone-else")
    assert caught.value.status == 409
    status = json.loads(caught.value.body)
    assert status["message"] == (
        'Apply failed with 1 conflict: conflict with "python-operator": .spec.replicas'
    )
    assert status["details"]["causes"][0]["reason"] == "FieldManagerConflict"
    forced = apply("someone-else", force=True)
    assert forced.spec.replicas == 3


def test_each_command_names_itself_as_kubectl_does(mkctl: Mkctl) -> None:
    """The `fieldManager` kubectl 1.37 sends: `kubectl-create` for the generators,
    `kubectl-rollout` for pause and restart, `kubectl-expose` and `kubectl-run`."""
    mkctl("create", "deployment", "web", "--image=nginx")
    mkctl("rollout", "pause", "deployment/web")
    assert [m for m, _, _ in managers(mkctl, "deployment", "web") if m.startswith("kubectl")] == [
        "kubectl-create",
        "kubectl-rollout",
    ]
    assert mkctl("expose", "deployment", "web", "--port=80").code == 0
    assert managers(mkctl, "service", "web")[0] == ("kubectl-expose", "Update", "")
    assert mkctl("run", "p", "--image=nginx").code == 0
    assert managers(mkctl, "pod", "p")[0] == ("kubectl-run", "Update", "")
