"""The code-quality gates run as part of the suite: lint, format, types, import layers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "minikubectl", "controlplane", "tests", "bench"],
        ["ruff", "format", "--check", "minikubectl", "controlplane", "tests", "bench"],
        ["mypy"],
        ["lint-imports"],
    ],
    ids=["ruff-check", "ruff-format", "mypy", "import-contracts"],
)
def test_tool_is_clean(command: list[str]) -> None:
    done = subprocess.run(
        [str(BIN / command[0]), *command[1:]],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_ci_runs_exactly_the_readmes_test_command() -> None:
    """The README opens with two commands; .ci/run runs the second one verbatim."""
    readme = (REPO / "README.md").read_text()
    blocks = [block.split("```", 1)[0].strip() for block in readme.split("```sh\n")[1:3]]
    assert blocks[0].startswith("python3 -m venv .venv && .venv/bin/pip install -q . && ")
    assert blocks[1] == (
        "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && "
        ".venv/bin/python -m pytest"
    )
    assert f"  {blocks[1]} || exit 1\n" in (REPO / ".ci" / "run").read_text()


@pytest.mark.parametrize("package", ["controlplane", "minikubectl"])
def test_no_module_imports_itself_through_others(package: str) -> None:
    """No import cycle between the package's modules, imports inside functions included (as
    grimp reads them): each module can be read, and changed, after the ones it imports."""
    import grimp

    graph = grimp.build_graph(package)
    cycles = set()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back:
                cycles.add(" -> ".join((importer, *back)))
    assert sorted(cycles) == []


def test_the_slowest_modules_named_for_scheduling_exist() -> None:
    """tests/conftest.py hands these modules out first; a renamed one would silently go last."""
    from tests.conftest import SLOWEST_MODULES

    assert [m for m in SLOWEST_MODULES if not (REPO / m).is_file()] == []
    assert len(set(SLOWEST_MODULES)) == len(SLOWEST_MODULES)
