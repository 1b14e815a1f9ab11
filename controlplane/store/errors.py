"""The store's refusals, and its database failing in words: which file, what is wrong, what
to do.

A write the store refuses raises what it is refused for (`KeyExists`, `KeyMissing`,
`RevisionMismatch`, `TooLarge`, `Compacted`), which the API turns into Kubernetes statuses.

Every error of the database driver leaves the store as a `StoreError` whose message is one
line a user can act on (`the store /x/cluster.db is full: free disk space and try again`).
`transient` tells a loop that retries (the daemon's) whether waiting can help: a full disk
or another process's write lock may pass, a file that is not a database will not.

SQLite's result codes are the ones of https://www.sqlite.org/rescode.html; Python 3.11 gives
them as `sqlite_errorname`, and the messages (`sqlite3_errstr`) are matched for errors
raised without one.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
ELSEWHERE = "or point MKCTL_HOME (or MKCTL_STORE) elsewhere"


class KeyExists(Exception):
    """Create of a key that already holds an object."""


class KeyMissing(Exception):
    """Update or delete of a key that holds no object."""


class RevisionMismatch(Exception):
    """Compare-and-swap failed: the stored resourceVersion is not the expected one."""


class TooLarge(Exception):
    """An object bigger than etcd's default request limit (--max-request-bytes, 1.5 MiB)."""


class Compacted(Exception):
    """The log no longer holds every change after `requested`; it starts after `compacted`."""

    def __init__(self, requested: int, compacted: int) -> None:
        super().__init__(requested, compacted)
        self.requested = requested
        self.compacted = compacted


class StoreError(Exception):
    """The store's database cannot do what was asked; the message says why and what to do."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient


def _code(exc: sqlite3.Error) -> str:
    """The SQLite result code's name (SQLITE_FULL ...), from the driver or the message."""
    name = getattr(exc, "sqlite_errorname", None)
    if isinstance(name, str):
        return "_".join(name.split("_")[:2])  # SQLITE_IOERR_WRITE is an SQLITE_IOERR
    text = str(exc)
    for code, words in (
        ("SQLITE_FULL", "database or disk is full"),
        ("SQLITE_BUSY", "database is locked"),
        ("SQLITE_LOCKED", "database table is locked"),
        ("SQLITE_READONLY", "readonly database"),
        ("SQLITE_CANTOPEN", "unable to open database file"),
        ("SQLITE_NOTADB", "file is not a database"),
        ("SQLITE_CORRUPT", "database disk image is malformed"),
        ("SQLITE_IOERR", "disk I/O error"),
    ):
        if words in text:
            return code
    return ""


def _looks_like_sqlite(path: str) -> bool:
    try:
        with open(path, "rb") as file:
            return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def quick_check(path: str) -> str:
    """What `PRAGMA quick_check` finds wrong in the file at `path` (its first complaint)."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as raw:
            rows = raw.execute("PRAGMA quick_check(1)").fetchall()
        found = str(rows[0][0]) if rows else "ok"
    except sqlite3.Error as exc:
        return str(exc)
    return "database disk image is malformed" if found == "ok" else " ".join(found.split())


def explain_sqlite(exc: sqlite3.Error, path: str, busy_seconds: float) -> StoreError:
    """The StoreError for a sqlite3 failure on the store file at `path`."""
    where = f"the store {path}"
    code = _code(exc)
    if code == "SQLITE_FULL":
        return StoreError(f"{where} is full: free disk space and try again", transient=True)
    if code in ("SQLITE_BUSY", "SQLITE_LOCKED"):
        return StoreError(
            f"{where} is locked by another process (waited {busy_seconds:g} s): try again when "
            "it has finished",
            transient=True,
        )
    if code == "SQLITE_READONLY":
        return StoreError(f"{where} is read-only: make it and its directory writable, {ELSEWHERE}")
    if code == "SQLITE_CANTOPEN":
        if os.path.isdir(path):
            return StoreError(f"{where} is a directory: move it away, {ELSEWHERE}")
        if not Path(path).parent.is_dir():
            return StoreError(f"{where} cannot be created: its directory does not exist")
        return StoreError(
            f"{where} cannot be opened: make it and its directory readable and writable, "
            f"{ELSEWHERE}"
        )
    if code in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
        if not _looks_like_sqlite(path):
            return StoreError(
                f"{where} is not a database (not a SQLite file): move it away, {ELSEWHERE}"
            )
        return StoreError(
            f"{where} is corrupt ({quick_check(path)}): move it away to start a new cluster, "
            "or restore a copy"
        )
    if code == "SQLITE_IOERR":
        return StoreError(
            f"{where} could not be read or written (disk I/O error): check the disk and try again",
            transient=True,
        )
    return StoreError(f"{where} failed: {exc}")


def explain_url(exc: Exception, url: str) -> StoreError:
    """The StoreError for a database URL (MKCTL_STORE) that cannot be used at all."""
    return StoreError(
        f'cannot use the store "{url}": {str(exc).splitlines()[0]}: set MKCTL_STORE to a '
        "database URL such as sqlite:////path/to/cluster.db, or unset it"
    )
