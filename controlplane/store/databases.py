"""Which database a store URL opens: a SQLite file (or memory) through the standard library's
`sqlite3`, PostgreSQL through SQLAlchemy and psycopg (postgres.py), any other URL through a
SQLAlchemy Core engine (engine.py).

The choice sits above both drivers, so that neither imports the other: the PostgreSQL store
builds on engine.py's `Connection`, and engine.py need not know it exists.
"""

from __future__ import annotations

from controlplane.store.engine import (
    IN_MEMORY_URLS,
    Database,
    SqlAlchemyDatabase,
    SqliteDatabase,
)


def open_database(url: str) -> Database:
    if url in IN_MEMORY_URLS or url.startswith("sqlite:///"):
        return SqliteDatabase(url)
    from controlplane.store.postgres import PostgresDatabase, is_postgres_url

    if is_postgres_url(url):
        return PostgresDatabase(url)
    return SqlAlchemyDatabase(url)
