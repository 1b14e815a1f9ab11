"""`kubectl get X` and `mkctl get X` print the same lines, because both print the daemon's Tables.

A real daemon serves a settled cluster; the real kubectl 1.37 reaches it through the daemon's
kubeconfig (https, its token), mkctl through its own door. The two requests are a moment
apart, so AGE cells are compared as AGE, and runs of spaces as one (a wider AGE moves a
column); every other cell and the order of rows must be the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import WebDaemon, ages_as_age, mkctl_importing, web_daemon

AGE = re.compile(r"(?<![\w.-])(\d+d)?(\d+h)?(\d+m)?(\d+s)?(?<=[smhd])(?![\w.-])")


def comparable(text: str) -> list[str]:
    return [re.sub(" +", " ", AGE.sub("AGE", line)).rstrip() for line in text.splitlines()]


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDaemon]:
    """A running daemon over a settled `web` Deployment; kubectl and mkctl to it."""
    with web_daemon(tmp_path_factory, 3, speed="50") as daemon:
        yield daemon


@pytest.mark.parametrize(
    "args",
    [
        ("deploy,rs,pods",),
        ("deploy,rs,pods", "-o", "wide"),
        ("pods", "-A", "--show-labels"),
        ("deploy,rs,pods", "-L", "app,pod-template-hash", "--no-headers"),
        ("nodes", "-o", "wide"),
        ("pods", "--sort-by=.metadata.name"),
        ("pods,po",),  # a type named twice is listed once (cli-runtime's resourceMappings)
        ("deploy,deployments.apps,rs,deployments.v1.apps",),
        ("pods", "-o", "wide", "--show-kind"),
    ],
)
def test_kubectl_and_mkctl_print_the_same_lines(clients: WebDaemon, args: tuple[str, ...]) -> None:
    theirs = clients.kubectl("get", *args)
    ours = clients.mkctl("get", *args)
    assert (ours.code, ours.err) == (0, "")
    assert theirs.code == 0, theirs.err
    assert comparable(ours.out) == comparable(theirs.out)
    assert len(theirs.out.splitlines()) > 1


@pytest.mark.parametrize(
    "args",
    [
        ("pods", "--show-kind"),
        ("deploy", "--show-kind", "--no-headers"),
        ("deploy,rs", "--show-kind=false"),  # several kinds: on all the same
        ("pods", "--show-kind", "-A", "--sort-by=.metadata.name"),
        ("pods", "--show-kind", "-o", "name"),  # only tables name the kind
    ],
)
def test_show_kind_prints_the_bytes_kubectl_prints(
    clients: WebDaemon, args: tuple[str, ...]
) -> None:
    """`--show-kind`: NAME as `pod/web-...`, `deployment.apps/web` (HumanPrintFlags.ShowKind,
    staging/src/k8s.io/kubectl/pkg/cmd/get/humanreadable_flags.go), column widths and all."""
    theirs = clients.kubectl("get", *args)
    ours = clients.mkctl("get", *args)
    assert (ours.code, ours.err) == (theirs.code, theirs.err) == (0, "")
    assert ages_as_age(ours.out) == ages_as_age(theirs.out)
    assert "/web" in ours.out


@pytest.mark.parametrize(
    "args",
    [
        ("deploy,deployments.apps,po", "-o", "name"),
        ("po,pods", "web", "-o", "name"),  # TYPE/NAME pairs: `web` fetched twice
        ("deployments,pods", "web", "-o", "name"),
        ("deployments", "web", "web", "-o", "name"),
        ("all", "web"),
        ("pods,,po",),
        ("pods,", "web"),
        ("pod/web/x",),
    ],
)
def test_kubectl_and_mkctl_find_the_same_objects(clients: WebDaemon, args: tuple[str, ...]) -> None:
    """Types and names as cli-runtime's builder reads them: the same objects, the same errors."""
    theirs = clients.kubectl("get", *args)
    ours = clients.mkctl("get", *args)
    assert (ours.code, ours.out, ours.err) == (theirs.code, theirs.out, theirs.err)


@pytest.mark.parametrize(
    "value", ["0x2", "0o7", "010", "0b11", "1_0", "+3", "08", "0x", "1__0", "1e3", "", "9" * 20]
)
def test_integer_flags_take_what_kubectl_takes(clients: WebDaemon, value: str) -> None:
    """Go's integer literals, and pflag's words for the rest (strconv.ParseInt(s, 0, 64))."""
    args = ("get", "pods", "-o", "name", f"--chunk-size={value}")
    theirs = clients.kubectl(*args)
    ours = clients.mkctl(*args)
    assert (ours.code, ours.out) == (theirs.code, theirs.out)
    assert ours.err == theirs.err.replace("kubectl", "mkctl")


def test_mkctl_tables_from_the_daemon_skip_the_store(clients: WebDaemon) -> None:
    """`mkctl get pods` with a daemon: the Table comes over HTTP; no store, no controllers,
    and none of what costs start-up time without being needed: click and Typer
    (`minikubectl.fast_get`), rich, YAML, the API server's own guard, or `dataclasses` with
    `inspect` (the records on this path are NamedTuples; bench/README.md)."""
    printed, imported = mkctl_importing(clients.home, "get", "pods")
    assert printed[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert len(printed) == 4 and all(" Running " in line for line in printed[1:])
    assert (
        not {
            "controlplane.store",
            "controlplane.api.tables",
            "controlplane.controllers",
            "sqlalchemy",
            "click",
            "typer",
            "rich",
            "yaml",
            "controlplane.apiserver.auth",
            "controlplane.models.selectors",
            "minikubectl.manifest_writes",
            "dataclasses",
            "inspect",
        }
        & imported
    )
