"""Every store test runs on each way to a database (controlplane/store/databases.py): the stdlib
`sqlite3` that a `sqlite:///` URL gets, SQLAlchemy Core, which other URLs get (here forced
onto SQLite by naming its driver, `sqlite+pysqlite`), and PostgreSQL through SQLAlchemy and
psycopg (a schema per test on the server of tests/postgres.py; skipped without one).
`store_url` (tests/conftest.py) is the URL of the one a test runs on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from controlplane.store import Store


@pytest.fixture(
    params=["sqlite", "sqlite+pysqlite", "postgresql"], ids=["stdlib", "sqlalchemy", "postgres"]
)
def scheme(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    store = Store(store_url)
    yield store
    store.dispose()
