"""Custom resources from the command line, embedded and through a daemon: a CRD applied,
its objects applied, listed with the CRD's printer columns (the same lines as real kubectl
prints), scaled, refused in kubectl's words, deleted, and gone with their CRD."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.clients import kubectl
from tests.e2e.conftest import Mkctl, make_mkctl, wait_for

OPERATOR = Path(__file__).parents[2] / "samples" / "operator"
INVALID = """\
apiVersion: samples.mkctl.io/v1
kind: WebApp
metadata: {name: bad}
spec: {image: nginx, replicas: "two"}
"""
# A cell the CRD's jsonPath finds nothing for (no status.phase yet) is empty.
TABLE = re.compile(
    r"NAME    IMAGE        REPLICAS   PHASE   AGE\n"
    r"hello   nginx:1\.27   (\d)                  \d+s\n"
)


def without_age(table: str) -> str:
    return re.sub(r"\d+s\n", "AGE\n", table)


def listed(run: Mkctl) -> str:
    result = run("get", "webapps")
    assert result.code == 0, result.err
    return result.out


def check_the_life_of_a_webapp(run: Mkctl) -> None:
    assert run("apply", "-f", str(OPERATOR / "crd.yaml")).out == (
        "customresourcedefinition.apiextensions.k8s.io/webapps.samples.mkctl.io created\n"
    )
    assert run("apply", "-f", str(OPERATOR / "webapp.yaml")).out == (
        "webapp.samples.mkctl.io/hello created\n"
    )
    match = TABLE.fullmatch(listed(run))
    assert match is not None and match[1] == "2", listed(run)
    assert (
        run("scale", "wa", "hello", "--replicas=3").out == "webapp.samples.mkctl.io/hello scaled\n"
    )
    got = run(
        "get", "webapp.samples.mkctl.io/hello", "-o", "jsonpath={.spec.replicas} {.spec.port}"
    )
    assert got.out == "3 80"  # the port is the schema's default
    refused = run("apply", "-f", "-", stdin=INVALID)
    assert (refused.code, refused.out) == (1, "")
    assert refused.err == (
        'The WebApp "bad" is invalid: spec.replicas: Invalid value: "string": spec.replicas '
        'in body must be of type integer: "string"\n'
    )
    assert run("delete", "crd", "webapps.samples.mkctl.io").code == 0


def test_embedded(mkctl: Mkctl) -> None:
    check_the_life_of_a_webapp(mkctl)
    gone = mkctl("get", "webapps")
    assert (gone.code, gone.err) == (
        1,
        'error: the server doesn\'t have a resource type "webapps"\n',
    )


@pytest.fixture(scope="module")
def daemon_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("crd") / "home"
    run = make_mkctl(home)
    assert run("cluster", "start").code == 0
    yield home
    assert run("cluster", "stop").code == 0


def test_through_the_daemon_as_kubectl_sees_it(daemon_home: Path) -> None:
    run = make_mkctl(daemon_home)
    assert run("apply", "-f", str(OPERATOR / "crd.yaml")).code == 0
    assert run("apply", "-f", str(OPERATOR / "webapp.yaml")).code == 0
    # the same lines, but for an AGE that may tick between the two commands
    assert without_age(kubectl(daemon_home, "get", "webapps").out) == without_age(listed(run))
    scaled = kubectl(daemon_home, "scale", "webapp", "hello", "--replicas=4")
    assert scaled.out == "webapp.samples.mkctl.io/hello scaled\n", scaled.err
    assert TABLE.fullmatch(listed(run))[1] == "4"  # type: ignore[index]
    explained = kubectl(daemon_home, "explain", "webapp.spec.image")
    assert "The container image to serve." in explained.out
    assert run("delete", "crd", "webapps.samples.mkctl.io").code == 0
    wait_for(lambda: kubectl(daemon_home, "get", "webapps").code == 1)
