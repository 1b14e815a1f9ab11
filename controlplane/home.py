"""Where a cluster lives on disk: `MKCTL_HOME` (default `~/.mkctl`) and the store URL.

Everything in the home is private to its owner, whatever the umask: the folder is 0700 and
every file mkctl writes there (store, token, kubeconfig, config, pidfile, log) 0600, as
kubectl writes its own config (client-go's `clientcmd.WriteToFile`, mode 0600). The daemon's
token lives there, so a file another user could read would be the cluster's key.

Kept apart from `controlplane.cluster` so that the CLI can find its config file without
importing the store.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
STORE_FILE = "cluster.db"
# The store `mkctl cluster start --store URL` chose for this home, one line.
STORE_CHOICE = "store"


def home() -> Path:
    return Path(os.environ.get("MKCTL_HOME") or Path.home() / ".mkctl")


def private_home() -> Path:
    """The home, created 0700 if missing (and made 0700 if it is ours and looser)."""
    where = home()
    where.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    info = where.stat()
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) != PRIVATE_DIR:
        where.chmod(PRIVATE_DIR)
    return where


def open_private(path: Path, flags: int) -> int:
    """A file descriptor on `path`, created 0600; an older file is narrowed to 0600 too."""
    fd = os.open(path, flags | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE)
    os.fchmod(fd, PRIVATE_FILE)
    return fd


def write_private(path: Path, text: str) -> None:
    """Replace `path` atomically with `text`, 0600: a reader never sees half a file."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    fd = open_private(partial, os.O_WRONLY | os.O_TRUNC)
    with os.fdopen(fd, "w") as out:
        out.write(text)
    partial.replace(path)


def remember_store(url: str) -> None:
    """Make `url` this home's store (`cluster start --store`): its commands and its daemon
    use it from now on, unless MKCTL_STORE says otherwise."""
    write_private(private_home() / STORE_CHOICE, url + "\n")


def store_url() -> str:
    """`MKCTL_STORE` (any SQLAlchemy URL), else the store this home was started on
    (`remember_store`), else the SQLite file in `MKCTL_HOME`.

    An in-memory SQLite URL is refused: each mkctl command, and the daemon, would get a
    cluster of its own that is lost when it exits (tests open one in-process instead).

    The file is created 0600 before SQLite opens it: SQLite creates a database 0644 (less the
    umask) and gives its `-wal` and `-shm` files the database's mode (`os_unix.c`,
    `findCreateFileMode`), so they are private too. An empty file is an empty database."""
    url = os.environ.get("MKCTL_STORE") or _remembered_store()
    if url:
        if url.startswith("sqlite") and url.partition("?")[0].endswith((":memory:", "://")):
            raise _unusable(
                f"MKCTL_STORE={url} is a database in memory, lost when each mkctl command "
                "exits: set MKCTL_STORE to a file (sqlite:////path/to/cluster.db), or unset it"
            )
        return url
    try:
        path = private_home() / STORE_FILE
    except (FileExistsError, NotADirectoryError):
        raise _unusable(
            f"MKCTL_HOME {home()} is not a directory: point MKCTL_HOME at a directory mkctl may "
            "create and write"
        ) from None
    except OSError as exc:
        raise _unusable(
            f"MKCTL_HOME {home()} cannot be created ({exc.strerror}): point MKCTL_HOME at a "
            "directory mkctl may create and write"
        ) from None
    if not path.exists():
        try:
            os.close(open_private(path, os.O_WRONLY))
        except OSError as exc:
            raise _unusable(
                f"the store {path} cannot be created ({exc.strerror}): check the permissions "
                "of MKCTL_HOME, or point MKCTL_HOME elsewhere"
            ) from None
    return f"sqlite:///{path}"


def _remembered_store() -> str:
    try:
        return (home() / STORE_CHOICE).read_text().strip()
    except OSError:
        return ""


def _unusable(message: str) -> Exception:
    from controlplane.store.errors import StoreError  # only now: it imports the store

    return StoreError(message)
