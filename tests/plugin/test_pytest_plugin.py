"""The pytest plugin, as another project uses it: a test project run by pytest in a subprocess.

The project (tests/plugin/project: a small scaler script and its tests) asks for the fixtures
by name only; they come from the `pytest11` entry point of the installed package.
"""

from __future__ import annotations

import shutil
from importlib.metadata import entry_points
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

PROJECT = Path(__file__).with_name("project")


def test_the_plugin_is_registered_for_pytest() -> None:
    (plugin,) = [e for e in entry_points(group="pytest11") if e.name == "minikubectl"]
    assert plugin.value == "minikubectl.pytest_plugin"


def test_a_project_tests_its_operator_with_both_fixtures(pytester: pytest.Pytester) -> None:
    for source in PROJECT.iterdir():
        shutil.copy(source, pytester.path / source.name)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(
        [
            "*test_scaler_api_server.py::test_the_scaler_scales_through_the_api_server PASSED*",
            "*test_scaler_in_process.py::*misses_its_deadline PASSED*",
        ]
    )
