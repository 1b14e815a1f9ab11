"""Every store test runs on both drivers (controlplane/store/engine.py): the stdlib `sqlite3`
one that a `sqlite:///` URL gets, and SQLAlchemy Core, which any other URL gets (here forced
onto SQLite by naming its driver, `sqlite+pysqlite`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from controlplane.store import Store


@pytest.fixture(params=["sqlite", "sqlite+pysqlite"], ids=["stdlib", "sqlalchemy"])
def scheme(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(scheme: str, tmp_path: Path) -> Store:
    return Store(f"{scheme}:///{tmp_path / 'cluster.db'}")
