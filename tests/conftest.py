"""Shared fixtures: an API over an in-memory store with a fake clock and seeded ids.

Every test runs with the informer's mutation detector on (controlplane/api/informer.py): a
controller that changes an object the informer handed it fails the test that drove it.
"""

from __future__ import annotations

import os

import pytest

from controlplane.api.informer import DETECTOR_VARIABLE
from controlplane.api.verbs import Api
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from controlplane.store import Store

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
