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


def test_minikubectl_has_no_import_cycle() -> None:
    """No module of the CLI imports, directly or through others, a module that imports it
    back (imports inside functions count too): each can be read, and moved, on its own.
    Tarjan's strongly connected components over grimp's import graph."""
    import grimp

    graph = grimp.build_graph("minikubectl")
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = stack[stack.index(module) :]
            del stack[stack.index(module) :]
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    assert cycles == []
