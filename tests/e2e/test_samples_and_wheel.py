"""The lessons ship inside mkctl: `samples list|get|copy`, from a checkout and from a wheel
installed alone into a fresh virtual environment."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from tests.e2e.conftest import REPO, Mkctl

SAMPLES = sorted(p.name for p in (REPO / "samples").iterdir() if p.suffix in (".yaml", ".sh"))


def test_list_names_every_sample_with_what_it_teaches(mkctl: Mkctl) -> None:
    listed = mkctl("samples", "list")
    assert listed.code == 0
    lines = listed.out.splitlines()
    assert lines[0].split() == ["NAME", "DESCRIPTION"]
    assert [line.split()[0] for line in lines[1:]] == SAMPLES
    width = len(max(SAMPLES, key=len)) + 3  # the NAME column, as wide as the longest name
    assert (
        "02-deployment.yaml".ljust(width)
        + "Lesson 2: the nginx Deployment of the Deployments chapter."
        in lines
    )


def test_get_prints_a_sample_that_applies(mkctl: Mkctl) -> None:
    shown = mkctl("samples", "get", "02-deployment.yaml")
    assert shown.out == (REPO / "samples" / "02-deployment.yaml").read_text()
    applied = mkctl("apply", "-f", "-", stdin=shown.out)
    assert applied.out == "deployment.apps/nginx-deployment created\n"
    missing = mkctl("samples", "get", "nope.yaml")
    assert (missing.code, missing.err) == (
        1,
        'error: sample "nope.yaml" not found; see `mkctl samples list`\n',
    )


def test_copy_writes_the_lessons_where_their_scripts_look_and_never_overwrites(
    mkctl: Mkctl, tmp_path: Path
) -> None:
    copied = mkctl("samples", "copy", str(tmp_path / "lessons"))
    assert copied.out == f"copied {len(SAMPLES)} samples to {tmp_path / 'lessons' / 'samples'}\n"
    target = tmp_path / "lessons" / "samples"
    assert sorted(p.name for p in target.iterdir()) == SAMPLES
    assert (target / "lesson.sh").stat().st_mode & 0o111
    (target / "01-pod.yaml").write_text("mine\n")
    again = mkctl("samples", "copy", str(tmp_path / "lessons"))
    assert again.code == 1 and "already exists; nothing was copied" in again.err
    assert (target / "01-pod.yaml").read_text() == "mine\n"


def test_a_wheel_installed_alone_carries_the_samples(tmp_path: Path) -> None:
    """`pip wheel .`, then the wheel (and its dependencies from the registry) into a new
    virtual environment: `mkctl samples list` there needs no checkout. The build runs on the
    test extra's setuptools, build-system's own requirement, instead of an isolated build
    environment that pip would install from the index on every run."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    (backend,) = project["build-system"]["requires"]
    assert backend in project["project"]["optional-dependencies"]["test"]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("minikubectl-*.whl")
    with zipfile.ZipFile(wheel) as contents:
        # the testing API is typed (PEP 561), and its fixtures reach pytest by entry point
        assert {"minikubectl/py.typed", "controlplane/py.typed"} <= set(contents.namelist())
        # the dashboard's page travels with the daemon that serves it
        static = "controlplane/apiserver/dashboard/static/"
        assert {f"{static}index.html", f"{static}dashboard.js", f"{static}graph.js"} <= set(
            contents.namelist()
        )
        (points,) = [n for n in contents.namelist() if n.endswith(".dist-info/entry_points.txt")]
        assert (
            "[pytest11]\nminikubectl = minikubectl.pytest_plugin" in contents.read(points).decode()
        )
    # The new environment gets no pip of its own (ensurepip's install is most of a venv's
    # cost): the running interpreter's pip installs into it (`--python`), and leaves the
    # bytecode to be written when a module is first imported.
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "-q",
            "--no-compile",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    listed = subprocess.run(
        [str(venv / "bin" / "mkctl"), "samples", "list"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    assert [line.split()[0] for line in listed.stdout.splitlines()[1:]] == SAMPLES
