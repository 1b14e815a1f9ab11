"""`delete`'s flags as kubectl reads them, and its wait until the objects are gone."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl

FORCE_WARNING = (
    "Warning: Immediate deletion does not wait for confirmation that the running resource has "
    "been terminated. The resource may continue to run on the cluster indefinitely.\n"
)


def slow_pod(name: str, stop: str) -> str:
    """A pod whose container takes `stop` to stop once deleted (a Go duration)."""
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "annotations": {"mkctl.dev/stop-delay": stop}},
            "spec": {
                "terminationGracePeriodSeconds": 30,
                "containers": [{"name": "c", "image": "nginx:1.25"}],
            },
        }
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--now", "--grace-period=3"],
            "error: --now and --grace-period cannot be specified together",
        ),
        (
            ["--force", "--grace-period=3"],
            "error: --force and --grace-period greater than 0 cannot be specified together",
        ),
        (
            ["--all", "-l", "app=web"],
            "error: setting 'all' parameter but found a non empty selector. ",
        ),
        (["-o", "wide"], "error: unexpected -o output mode: wide. We only support '-o name'"),
        (
            ["--timeout=soon"],
            'error: invalid argument "soon" for "--timeout" flag: time: invalid duration "soon"\n'
            "See 'mkctl delete --help' for usage.",
        ),
    ],
)
def test_bad_flags_are_refused_and_nothing_is_deleted(
    mkctl: Mkctl, args: list[str], message: str
) -> None:
    assert (
        mkctl("apply", "-f", "-", stdin=WEB_DEPLOYMENT.format(replicas=1, image="nginx")).code == 0
    )
    refused = mkctl("delete", "deployment", *(["web"] if "--all" not in args else []), *args)
    assert (refused.code, refused.err) == (1, message + "\n")
    assert mkctl("get", "deployment", "web").code == 0


def test_ignore_not_found_force_and_grace_periods(mkctl: Mkctl) -> None:
    missing = mkctl("delete", "pod", "nope")
    assert (missing.code, missing.err) == (
        1,
        'Error from server (NotFound): pods "nope" not found\n',
    )
    ignored = mkctl("delete", "pod", "nope", "--ignore-not-found")
    assert (ignored.code, ignored.out, ignored.err) == (0, "", "")
    # With a selector it is the default; nothing matching says so.
    selected = mkctl("delete", "pods", "-l", "app=none")
    assert (selected.code, selected.out) == (0, "No resources found\n")

    assert (
        mkctl("apply", "-f", "-", stdin=WEB_DEPLOYMENT.format(replicas=2, image="nginx")).code == 0
    )
    forced = mkctl("delete", "pods", "-l", "app=web", "--force")
    assert forced.code == 0
    assert forced.err == FORCE_WARNING
    lines = forced.out.splitlines()
    assert len(lines) == 2 and all(
        line.startswith('pod "web-') and line.endswith('" force deleted from default namespace')
        for line in lines
    )
    # --grace-period=0 without --force is 1: an ordinary delete, no warning.
    pod = mkctl("get", "pods", "-o", "name").out.split()[0]
    zero = mkctl("delete", pod, "--grace-period=0")
    assert (zero.code, zero.err) == (0, "")
    assert zero.out == f'pod "{pod.split("/")[1]}" deleted from default namespace\n'
    now = mkctl("delete", "deployment/web", "--now", "--wait=false")
    assert now.out == 'deployment.apps "web" deleted from default namespace\n'


@pytest.fixture
def daemon(mkctl: Mkctl) -> Iterator[None]:
    assert mkctl("cluster", "start").code == 0
    yield
    mkctl("cluster", "stop")


def running(mkctl: Mkctl, name: str) -> bool:
    shown = mkctl("get", "pod", name, "-o", "jsonpath={.status.phase}")
    return shown.out == "Running"


def wait_running(mkctl: Mkctl, name: str) -> None:
    deadline = time.monotonic() + 30
    while not running(mkctl, name):
        assert time.monotonic() < deadline, f"{name} never ran"
        time.sleep(0.2)


@pytest.mark.usefixtures("daemon")
def test_delete_waits_until_the_objects_are_gone(mkctl: Mkctl) -> None:
    for name in ("waited", "unwaited", "late"):
        assert mkctl("apply", "-f", "-", stdin=slow_pod(name, "3s")).code == 0
    for name in ("waited", "unwaited", "late"):
        wait_running(mkctl, name)

    started = time.monotonic()
    waited = mkctl("delete", "pod", "waited")
    assert waited.code == 0 and time.monotonic() - started >= 2.5
    gone = mkctl("get", "pod", "waited")
    assert gone.code == 1 and "NotFound" in gone.err

    unwaited = mkctl("delete", "pod", "unwaited", "--wait=false")
    assert unwaited.out == 'pod "unwaited" deleted from default namespace\n'
    terminating = json.loads(mkctl("get", "pod", "unwaited", "-o", "json").out)
    assert terminating["metadata"]["deletionTimestamp"]

    late = mkctl("delete", "pod", "late", "--timeout=1s")
    assert late.code == 1
    assert late.out == 'pod "late" deleted from default namespace\n'
    assert late.err == "error: timed out waiting for the condition on pods/late\n"
