"""The robustness suites drive the real mkctl too: share the end-to-end fixture.

`scheme` runs a test on each store: the SQLite file in MKCTL_HOME, and a PostgreSQL schema
of its own (tests/postgres.py; skipped without a server). `mkctl_on_store` is the mkctl
fixture pointed at that store (MKCTL_STORE), and `store_url` (tests/conftest.py) its URL.
"""

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Mkctl, make_mkctl, mkctl

__all__ = ["mkctl"]


@pytest.fixture(params=["sqlite", "postgresql"], ids=["sqlite", "postgres"])
def scheme(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    """mkctl's default store, the file in MKCTL_HOME."""
    return tmp_path / "home" / "cluster.db"


@pytest.fixture
def mkctl_on_store(store_url: str, tmp_path: Path) -> Mkctl:
    run = make_mkctl(tmp_path / "home")
    if store_url.startswith("sqlite"):
        return run  # the default store, the file in MKCTL_HOME, which its first command makes

    def on_store(*args: str, env: dict | None = None, **options: Any) -> Any:
        return run(*args, env={"MKCTL_STORE": store_url, **(env or {})}, **options)

    return on_store
