"""Shared fixtures: an API over an in-memory store with a fake clock and seeded ids."""

from __future__ import annotations

import pytest

from controlplane.api.server import Api
from controlplane.clock import FakeClock
from controlplane.ids import SeededIds
from controlplane.store import Store


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
