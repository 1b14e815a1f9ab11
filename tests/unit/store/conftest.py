"""Every store test runs on each way to a database (controlplane/store/engine.py): the stdlib
`sqlite3` that a `sqlite:///` URL gets, SQLAlchemy Core, which other URLs get (here forced
onto SQLite by naming its driver, `sqlite+pysqlite`), and PostgreSQL through SQLAlchemy and
psycopg (a schema per test on the server of tests/postgres.py; skipped without one)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from controlplane.store import Store
from tests import postgres


@pytest.fixture(
    params=["sqlite", "sqlite+pysqlite", "postgresql"], ids=["stdlib", "sqlalchemy", "postgres"]
)
def scheme(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store_url(scheme: str, tmp_path: Path) -> Iterator[str]:
    if scheme == "postgresql":
        with postgres.schema_url() as url:
            yield url
    else:
        yield f"{scheme}:///{tmp_path / 'cluster.db'}"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    store = Store(store_url)
    yield store
    store.dispose()
