"""Shared fixtures: an API over an in-memory store with a fake clock and seeded ids, and the
URL of a store of each kind for the suites that run on every database.

Every test runs with the informer's mutation detector on (controlplane/api/informer.py): a
controller that changes an object the informer handed it fails the test that drove it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from controlplane.api.informer_mutations import DETECTOR_VARIABLE
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from controlplane.store import Store
from tests import postgres

os.environ[DETECTOR_VARIABLE] = "1"
# Property tests check outcomes, not speed: on a loaded CI machine Hypothesis's 200 ms
# deadline and its "too slow" health check fail examples that are merely slow.
settings.register_profile("mkctl", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("mkctl")
# Cache bytecode, as a user's Python does: with PYTHONDONTWRITEBYTECODE every pytest worker and
# every subprocess (daemons, workers, mkctl) compiles every module it imports on every run.
# Popped here, before pytest-xdist starts its workers, so they and their children inherit it.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store() -> Store:
    return Store("sqlite://")


@pytest.fixture
def api(store: Store, clock: FakeClock) -> Api:
    api = Api(store, clock, SeededIds(7))
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
    return api


@pytest.fixture
def store_url(scheme: str, sqlite_file: Path) -> Iterator[str]:
    """A store of the kind the suite's `scheme` fixture names by its URL scheme: a PostgreSQL
    schema of the test's own (`postgresql`, on the server of tests/postgres.py; skipped
    without one), else the SQLite file `sqlite_file` opened through that scheme's driver."""
    if scheme == "postgresql":
        with postgres.schema_url() as url:
            yield url
    else:
        yield f"{scheme}:///{sqlite_file}"


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    return tmp_path / "cluster.db"


# The modules that take longest, slowest first (per-module totals of `--durations=0` on the
# 2-core CI machine). With `--dist loadfile` a worker runs a whole module and takes the next
# one in collection order when it is done: one long module handed out last runs alone at the
# end while the other workers sit idle, so the long ones go first and the short ones fill in.
SLOWEST_MODULES = (
    "tests/robustness/test_crash.py",
    "tests/e2e/test_one_door.py",
    "tests/e2e/test_sets_lessons.py",
    "tests/test_tooling.py",
    "tests/e2e/test_deployment_page.py",
    "tests/e2e/test_samples_and_wheel.py",
    "tests/e2e/test_lesson.py",
    "tests/e2e/test_changing_objects.py",
    "tests/e2e/test_commands.py",
    "tests/e2e/test_volumes.py",
    "tests/e2e/clients/test_side_by_side.py",
    "tests/e2e/test_logs.py",
    "tests/e2e/test_progress.py",
    "tests/robustness/test_concurrency.py",
    "tests/e2e/test_services.py",
    "tests/e2e/test_jobs.py",
    "tests/e2e/test_daemon.py",
    "tests/robustness/test_hostile_input.py",
    "tests/e2e/test_service_generators.py",
    "tests/e2e/test_bad_input.py",
    "tests/e2e/clients/test_helm.py",
    "tests/e2e/test_dashboard.py",
    "tests/e2e/test_learners.py",
    "tests/e2e/test_registry_and_probes.py",
    "tests/e2e/test_create_config.py",
    "tests/e2e/test_delete_flags.py",
    "tests/e2e/test_daemon_security.py",
    "tests/e2e/test_node_commands.py",
    "tests/e2e/test_run.py",
    "tests/e2e/test_global_flags.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {module: place for place, module in enumerate(SLOWEST_MODULES)}
    items.sort(key=lambda item: rank.get(item.nodeid.partition("::")[0], len(rank)))
