"""The store records its schema version: an older store is migrated in place when opened,
a newer one is refused, naming both versions (controlplane/store/schema.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from controlplane.models.meta import Key
from controlplane.store import Store, StoreError
from controlplane.store.schema import SCHEMA_VERSION
from tests import postgres

# A store as mkctl 6145117 (before schema versions) left it after `apply -f
# samples/02-deployment.yaml`: a Deployment, its ReplicaSet, three pods, events and a lease.
RELEASED = Path(__file__).parents[2] / "e2e" / "data" / "store-written-by-6145117.sql"


@pytest.fixture(params=["sqlite", "sqlite+pysqlite"], ids=["stdlib", "sqlalchemy"])
def scheme(request: pytest.FixtureRequest) -> str:
    """These read and write the SQLite file itself; PostgreSQL's cases are below."""
    return str(request.param)


def schema_version(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as raw:
        return raw.execute("SELECT name, value FROM meta").fetchall()


def test_a_new_store_records_its_schema_version(scheme: str, tmp_path: Path) -> None:
    Store(f"{scheme}:///{tmp_path / 'cluster.db'}").dispose()
    assert schema_version(tmp_path / "cluster.db") == [("schema_version", str(SCHEMA_VERSION))]


def test_a_store_written_before_schema_versions_is_migrated_in_place(
    scheme: str, tmp_path: Path
) -> None:
    db = tmp_path / "cluster.db"
    with sqlite3.connect(db) as raw:
        raw.executescript(RELEASED.read_text())
    store = Store(f"{scheme}:///{db}")
    assert schema_version(db) == [("schema_version", str(SCHEMA_VERSION))]
    with store.reader() as reader:
        deployment = reader.get(Key("Deployment", "default", "nginx-deployment"))
        assert deployment is not None and deployment["spec"]["replicas"] == 3
        assert len(reader.list("Pod", "default")) == 3
        revision = reader.current_revision()
    with store.transaction() as txn:  # and it takes writes, after the old revisions
        txn.update(deployment, int(deployment["metadata"]["resourceVersion"]))
    with store.reader() as reader:
        assert reader.current_revision() == revision + 1


def test_a_store_of_a_newer_schema_is_refused_naming_both_versions(
    scheme: str, tmp_path: Path
) -> None:
    db = tmp_path / "cluster.db"
    Store(f"{scheme}:///{db}").dispose()
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE meta SET value = :v", {"v": str(SCHEMA_VERSION + 1)})
    before = db.read_bytes()
    with pytest.raises(StoreError) as refused:
        Store(f"{scheme}:///{db}")
    assert refused.value.message == (
        f"the store {db if scheme == 'sqlite' else f'{scheme}:///{db}'} has schema version "
        f"{SCHEMA_VERSION + 1}, newer than version {SCHEMA_VERSION} that this mkctl knows: use a "
        "newer mkctl, or point MKCTL_HOME elsewhere"
    )
    assert db.read_bytes() == before


def test_reset_keeps_the_schema_version(store: Store, tmp_path: Path) -> None:
    store.reset()
    assert schema_version(tmp_path / "cluster.db") == [("schema_version", str(SCHEMA_VERSION))]


def test_a_postgres_store_records_its_version_and_refuses_a_newer_one() -> None:
    with postgres.schema_url() as url:
        Store(url).dispose()
        schema = url.rsplit("%3D", 1)[1]
        found = postgres.run(f"SELECT name, value FROM {schema}.meta")
        assert found == [("schema_version", str(SCHEMA_VERSION))]
        postgres.run(f"UPDATE {schema}.meta SET value = '{SCHEMA_VERSION + 1}'")
        with pytest.raises(StoreError) as refused:
            Store(url)
        assert f"has schema version {SCHEMA_VERSION + 1}, newer than version" in str(refused.value)
        assert ":***@" in str(refused.value)  # never the password
