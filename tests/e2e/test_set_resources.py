"""`set resources`, with kubectl's output and refusals."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl

RESOURCES = "jsonpath={.spec.template.spec.containers[0].resources}"


def test_set_resources_changes_the_template_once(mkctl: Mkctl) -> None:
    assert (
        mkctl("apply", "-f", "-", stdin=WEB_DEPLOYMENT.format(replicas=1, image="nginx")).code == 0
    )
    server = mkctl("set", "resources", "deployment/web", "--requests=cpu=0.1", "--dry-run=server")
    assert server.out == "deployment.apps/web resource requirements updated (server dry run)\n"
    assert mkctl("get", "deployment/web", "-o", RESOURCES).out == "{}"
    done = mkctl("set", "resources", "deployment/web", "-c=nginx", "--limits=cpu=200m,memory=512Mi")
    assert done.out == "deployment.apps/web resource requirements updated\n"
    again = mkctl("set", "resources", "deployment/web", "--limits=memory=512Mi,cpu=0.2")
    assert (again.code, again.out) == (0, "")  # the same quantities: nothing to send
    assert mkctl("set", "resources", "deployment", "web", "--requests=cpu=0.1").code == 0
    assert mkctl("get", "deployment/web", "-o", RESOURCES).out == (
        '{"limits":{"cpu":"200m","memory":"512Mi"},"requests":{"cpu":"100m"}}'
    )
    assert mkctl("rollout", "history", "deployment/web").out.splitlines()[-2].split()[0] == "3"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [],
            "you must specify an update to requests or limits (in the form of --requests/--limits)",
        ),
        (
            ["--limits=cpu=1q"],
            "quantities must match the regular expression "
            "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        ),
        (["--limits=cpu"], "invalid argument syntax cpu, expected <resource>=<value>"),
        (["-c", "web", "--limits=cpu=1"], "unable to find container named web"),
    ],
)
def test_set_resources_refusals(mkctl: Mkctl, args: list[str], message: str) -> None:
    assert (
        mkctl("apply", "-f", "-", stdin=WEB_DEPLOYMENT.format(replicas=1, image="nginx")).code == 0
    )
    refused = mkctl("set", "resources", "deployment/web", *args)
    assert (refused.code, refused.err) == (1, f"error: {message}\n")
    assert mkctl("get", "deployment/web", "-o", RESOURCES).out == "{}"
