"""PostgreSQL for the store's suites: a schema of its own per test on the server that
`.ci/postgres` starts (its URL in MKCTL_TEST_POSTGRES), so that one server serves the whole
run. Without the variable the PostgreSQL cases skip, saying so."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import pytest

VARIABLE = "MKCTL_TEST_POSTGRES"
SKIP_REASON = f"no PostgreSQL server: set {VARIABLE} (see .ci/postgres)"


def server_url() -> str:
    url = os.environ.get(VARIABLE)
    if not url:
        pytest.skip(SKIP_REASON)
    return url


def run(sql: str, url: str | None = None) -> list[tuple]:
    """One statement on the server (autocommit); its rows, if any."""
    import psycopg

    with psycopg.connect(url or server_url(), autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


@contextmanager
def schema_url() -> Iterator[str]:
    """A store URL whose tables live in a new schema, dropped afterwards."""
    base = server_url()
    name = f"mk_{uuid.uuid4().hex[:12]}"
    run(f"CREATE SCHEMA {name}")
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options={quote(f'-csearch_path={name}')}"
    finally:
        run(f"DROP SCHEMA {name} CASCADE")
