"""Failure simulation with the real mkctl: a bad image stalls a rollout, a crash loop counts.

The conventions are documented in docs/failure-simulation.md; these tests hold that page to
what mkctl does.
"""

from __future__ import annotations

from tests.e2e.conftest import Mkctl

DEPLOY = "deployment/nginx-deployment"


def statuses(mkctl: Mkctl) -> list[str]:
    rows = mkctl("get", "pods", "--no-headers").out.splitlines()
    return sorted(" ".join(row.split()[1:3]) for row in rows)


def test_a_bad_image_stalls_the_rollout_and_undo_restores_it(mkctl: Mkctl) -> None:
    assert mkctl("apply", "-f", "samples/02-deployment.yaml").code == 0
    mkctl("set", "image", DEPLOY, "nginx=nginx:1.99-doesnotexist")
    assert statuses(mkctl) == ["0/1 ImagePullBackOff", "1/1 Running", "1/1 Running", "1/1 Running"]
    waiting = mkctl("rollout", "status", DEPLOY, "--watch=false")
    assert waiting.out == (
        'Waiting for deployment "nginx-deployment" rollout to finish: 1 out of 3 new replicas '
        "have been updated...\n"
    )
    bad = next(
        line.split()[0]
        for line in mkctl("get", "pods", "--no-headers").out.splitlines()
        if "ImagePullBackOff" in line
    )
    described = mkctl("describe", "pod", bad).out
    assert "      Reason:       ImagePullBackOff\n" in described
    assert (
        'Failed to pull image "nginx:1.99-doesnotexist": rpc error: code = NotFound desc = '
        'failed to pull and unpack image "docker.io/library/nginx:1.99-doesnotexist"'
    ) in described
    assert "Error: ErrImagePull" in described
    assert 'Back-off pulling image "nginx:1.99-doesnotexist"' in described
    assert mkctl("rollout", "undo", DEPLOY).code == 0
    assert statuses(mkctl) == ["1/1 Running"] * 3


def test_a_crash_loop_shows_restarts_last_state_and_back_off(mkctl: Mkctl) -> None:
    """Lesson 10 (samples/10-crash-loop.yaml) without a daemon, as the file says."""
    assert mkctl("apply", "-f", "samples/10-crash-loop.yaml").out == "pod/crashy created\n"
    row = mkctl("get", "pod", "crashy", "--no-headers").out.split()
    assert row[1:4] == ["0/1", "CrashLoopBackOff", "1"]
    described = mkctl("describe", "pod", "crashy").out
    assert "    Last State:     Terminated\n      Reason:       Error\n" in described
    assert "      Exit Code:    1\n" in described
    assert "Back-off restarting failed container app in pod crashy_default(" in described


def test_a_misspelled_simulation_annotation_is_refused_and_nothing_is_created(
    mkctl: Mkctl,
) -> None:
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: slow\n  annotations:\n"
        "    mkctl.dev/pull-delay: five seconds\nspec:\n  containers:\n"
        "  - name: app\n    image: nginx:1.14.2\n"
    )
    refused = mkctl("apply", "-f", "-", stdin=pod)
    assert refused.code == 1
    assert refused.err == (
        'The Pod "slow" is invalid: metadata.annotations[mkctl.dev/pull-delay]: Invalid value: '
        '"five seconds": must be a duration of zero or more, such as "500ms", "5s" or "1m30s"\n'
    )
    assert mkctl("get", "pods").err == "No resources found in default namespace.\n"
