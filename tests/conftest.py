"""Shared fixtures: an API over an in-memory store with a fake clock and seeded ids, and the
URL of a store of each kind for the suites that run on every database.

Every test runs with the informer's mutation detector on (controlplane/api/informer.py): a
controller that changes an object the informer handed it fails the test that drove it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from controlplane.api.informer import DETECTOR_VARIABLE
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from controlplane.store import Store
from tests import postgres

os.environ[DETECTOR_VARIABLE] = "1"


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
