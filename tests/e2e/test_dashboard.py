"""`mkctl dashboard` in a real headless browser: the lesson runs (apply, delete a pod, set
image, undo) while the page's DOM is checked after each step, and screenshots are kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import REPO, Mkctl, make_mkctl, mkctl_command, wait_for
from tests.e2e.dashboard_browser import (
    URL,
    artifacts,
    dashboard_url,
    headless_chromium,
    new_page,
    screenshot,
)

DEPLOYMENT = REPO / "samples" / "02-deployment.yaml"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dashboard") / "home"


@pytest.fixture(scope="module")
def mk(home: Path) -> Iterator[Mkctl]:
    run = make_mkctl(home)
    yield run
    run("cluster", "stop")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with headless_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def page(mk: Mkctl, browser: Any) -> Iterator[Any]:
    page = new_page(browser)
    page.goto(dashboard_url(mk))
    page.wait_for_selector("#connection[data-state=live]")
    yield page
    assert page.errors == []


def replica_sets(page: Any) -> dict[str, dict[str, Any]]:
    """revision -> the ReplicaSet box's name and its pods' states, as the page draws them."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('g.group[data-kind=ReplicaSet]')]
            .map((g) => [g.dataset.revision, {name: g.dataset.name, pods:
              [...document.querySelectorAll(`g.pod[data-owner="${g.dataset.name}"]`)]
                .filter((p) => p.dataset.state !== 'gone').map((p) => p.dataset.state)}]))"""
    )


def settled(page: Any, want: dict[str, int]) -> dict[str, dict[str, Any]] | None:
    """The ReplicaSets once each revision in `want` shows that many ready pods, and no pod
    is anything but ready."""
    drawn = replica_sets(page)
    counts = {revision: len(rs["pods"]) for revision, rs in drawn.items()}
    states = {state for rs in drawn.values() for state in rs["pods"]}
    return drawn if counts == want and states <= {"ready"} else None


def fill_of(page: Any, selector: str) -> str:
    return page.evaluate(
        "(s) => getComputedStyle(document.querySelector(s).querySelector('rect')).fill", selector
    )


def test_the_lesson_step_by_step(mk: Mkctl, page: Any) -> None:
    assert mk("apply", "-f", str(DEPLOYMENT)).code == 0
    first = wait_for(lambda: settled(page, {"1": 3}))
    original = first["1"]["name"]
    assert page.locator("g.owner[data-kind=Deployment]").get_attribute("data-revision") == "1"
    # colour and text both carry the state
    ready_pod = "g.pod[data-state=ready]"
    assert fill_of(page, ready_pod) == "rgb(218, 251, 225)"
    assert "✓ Running 1/1" in page.locator(ready_pod).first.text_content()
    screenshot(page, "1-applied")

    victim = page.locator(ready_pod).first.get_attribute("data-name")
    assert mk("delete", f"pod/{victim}").code == 0
    wait_for(
        lambda: (
            victim
            not in page.evaluate(
                "() => [...document.querySelectorAll('g.pod:not(.gone)')]"
                ".map((p) => p.dataset.name)"
            )
            and settled(page, {"1": 3})
        )
    )
    screenshot(page, "2-pod-deleted")

    assert mk("set", "image", "deployment/nginx-deployment", "nginx=nginx:1.16.1").code == 0
    rolled = wait_for(lambda: settled(page, {"1": 0, "2": 3}), seconds=60)
    assert rolled["1"]["name"] == original
    assert page.locator("g.owner[data-kind=Deployment]").get_attribute("data-revision") == "2"
    assert "nginx:1.16.1" in page.locator("g.group[data-revision='2']").text_content()
    screenshot(page, "3-image-set")

    assert mk("rollout", "undo", "deployment/nginx-deployment").code == 0
    back = wait_for(lambda: settled(page, {"2": 0, "3": 3}), seconds=60)
    assert back["3"]["name"] == original  # the first ReplicaSet came back as revision 3
    # the timeline has a line for each ReplicaSet and the ScalingReplicaSet markers
    legend = page.locator("#timeline text[data-series]").all_text_contents()
    assert any(original in text and "rev 3: 3" in text for text in legend), legend
    assert page.locator("#timeline text.marker").count() >= 4
    screenshot(page, "4-rolled-back")
    page.emulate_media(color_scheme="dark")
    assert fill_of(page, ready_pod) == "rgb(15, 46, 24)"
    screenshot(page, "4-rolled-back-dark")
    page.emulate_media(color_scheme="light")


def test_a_click_shows_conditions_events_and_yaml(page: Any) -> None:
    page.locator("g.pod[data-state=ready]").first.click()
    details = page.locator("#details")
    details.wait_for(state="visible")
    assert details.get_attribute("data-kind") == "Pod"
    assert "Ready" in page.locator("#details-conditions").text_content()
    wait_for(lambda: "Started" in page.locator("#details-events").text_content())
    assert "kind: Pod" in page.locator("#details-yaml").text_content()
    assert "managedFields" not in page.locator("#details-yaml").text_content()
    screenshot(page, "5-details")
    page.locator("#close-details").click()


def test_a_failing_image_is_red_and_says_why(mk: Mkctl, page: Any) -> None:
    assert mk("set", "image", "deployment/nginx-deployment", "nginx=nginx:1.161").code == 0
    failing = "g.pod[data-state=failed]"
    page.wait_for_selector(failing, timeout=60_000)
    assert fill_of(page, failing) == "rgb(255, 235, 233)"
    text = page.locator(failing).first.text_content()
    assert "✗ " in text and ("ImagePullBackOff" in text or "ErrImagePull" in text), text
    screenshot(page, "6-bad-image")
    assert mk("rollout", "undo", "deployment/nginx-deployment").code == 0
    wait_for(lambda: page.locator(failing).count() == 0, seconds=60)


def revisions(page: Any) -> dict[str, list[str]]:
    """ControllerRevision boxes by revision -> the names of the pods drawn beside them."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll(
              'g.group[data-kind=ControllerRevision]')].map((g) => [g.dataset.revision,
            [...document.querySelectorAll(`g.pod[data-owner="${g.dataset.name}"]`)]
              .filter((p) => p.dataset.state === 'ready').map((p) => p.dataset.name).sort()]))"""
    )


def test_statefulset_pods_stand_by_their_controller_revision(mk: Mkctl, page: Any) -> None:
    assert mk("apply", "-f", str(REPO / "samples" / "06-statefulset.yaml")).code == 0
    page.select_option("#workloads", "statefulsets")
    wait_for(lambda: revisions(page) == {"1": ["web-0", "web-1", "web-2"]}, seconds=60)
    # partition 2: only web-2 moves to the new revision
    assert mk("set", "image", "sts/web", "nginx=nginx:1.16.1").code == 0
    wait_for(lambda: revisions(page) == {"1": ["web-0", "web-1"], "2": ["web-2"]}, seconds=60)
    owner = page.locator("g.owner[data-kind=StatefulSet]")
    assert "partition 2" in owner.text_content()
    # the set's status names which revision is current (web-0, web-1) and which the update
    assert "revision 1 (current)" in page.locator("g.group[data-revision='1']").text_content()
    assert "revision 2 (update)" in page.locator("g.group[data-revision='2']").text_content()
    assert page.locator("#timeline-section").is_hidden()  # the timeline is ReplicaSets
    screenshot(page, "7-statefulset-canary")
    assert mk("delete", "-f", str(REPO / "samples" / "06-statefulset.yaml")).code == 0
    page.select_option("#workloads", "daemonsets")
    assert mk("apply", "-f", str(REPO / "samples" / "07-daemonset.yaml")).code == 0
    assert mk("label", "node", "node-1", "node-2", "logging=on").code == 0  # its nodeSelector
    wait_for(lambda: [len(pods) for pods in revisions(page).values()] == [2], seconds=60)
    screenshot(page, "8-daemonset")
    assert mk("delete", "-f", str(REPO / "samples" / "07-daemonset.yaml")).code == 0
    page.select_option("#workloads", "deployments")
    page.locator("g.owner[data-kind=Deployment]").wait_for()


def test_the_exported_svg_is_the_graph(page: Any) -> None:
    with page.expect_download() as download:
        page.locator("#export").click()
    svg = Path(download.value.path()).read_text()
    assert svg.startswith("<svg") and "<style>" in svg
    assert "Deployment/nginx-deployment" in svg
    (artifacts() / "graph.svg").write_text(svg)


def test_the_command_opens_the_browser_unless_told_not_to(mk: Mkctl, tmp_path: Path) -> None:
    """Python's webbrowser honours $BROWSER: here a program that writes down its URL."""
    opened = tmp_path / "opened"
    record = f"{sys.executable} -c 'import sys; open(sys.argv[2], \"w\").write(sys.argv[1])'"
    result = mk("dashboard", "-n", "shop", env={"BROWSER": f"{record} %s {opened}"})
    assert result.code == 0, result.err
    printed = URL.search(result.out)
    assert printed and opened.read_text() == printed.group(1)
    assert "namespace=shop" in printed.group(1)
    assert "mkctl daemon started" not in result.out  # the module's daemon already serves
    opened.unlink()
    assert mk("dashboard", "--no-open", env={"BROWSER": f"{record} %s {opened}"}).code == 0
    assert not opened.exists()


def test_a_login_code_works_once(mk: Mkctl, browser: Any) -> None:
    url = dashboard_url(mk)
    base, _, fragment = url.partition("#")
    code = fragment.removeprefix("code=")
    session = base.split("?")[0] + "session"

    def exchange() -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(
            session,
            data=json.dumps({"code": code}).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request) as answer:
                return answer.status, json.load(answer)
        except urllib.error.HTTPError as refused:
            return refused.code, json.load(refused)

    status, body = exchange()
    assert status == 200 and body["token"]
    status, body = exchange()
    assert status == 401
    assert "run 'mkctl dashboard' again" in body["message"]
    # the page opened with a used code says so, and shows nothing
    second = new_page(browser, color_scheme="dark")
    second.goto(url)
    second.wait_for_selector("#login-error:not([hidden])")
    assert "expired or was used already" in second.locator("#login-error").text_content()


def test_the_dashboard_lesson_runs_with_the_page_open(browser: Any, tmp_path: Path) -> None:
    """samples/lesson-dashboard.sh, start to end, with the URL it prints open in a browser."""
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MKCTL_")}
    env |= {"MKCTL_HOME": str(home), "NO_OPEN": "1", "SPEED": "20"}
    env["PATH"] = f"{Path(mkctl_command()[0]).parent}{os.pathsep}{env['PATH']}"
    lesson = subprocess.Popen(
        ["bash", "samples/lesson-dashboard.sh"],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert lesson.stdout is not None
        printed = []
        for line in lesson.stdout:
            printed.append(line)
            if found := URL.search(line):
                page = new_page(browser)
                page.goto(found.group(1))
                page.wait_for_selector("#connection[data-state=live]")
            if line.startswith("# on the page: a red pod"):
                assert page.locator("g.pod[data-state=failed]").count() >= 1
                screenshot(page, "lesson-stuck")
        assert lesson.wait(timeout=120) == 0, "".join(printed)
        # the lesson deleted its Deployment: the page empties, the timeline keeps the story
        page.wait_for_selector("#empty:not([hidden])")
        legend = " ".join(page.locator("#timeline text[data-series]").all_text_contents())
        assert "rev 2" in legend and "rev 4" in legend, legend
        assert page.errors == []
    finally:
        lesson.kill()
        make_mkctl(home)("cluster", "stop")
