"""PostgreSQL failing under the store (controlplane/store/postgres.py): its connections cut
mid-transaction, at COMMIT, and all the time under concurrent writers, and the LISTEN
connection cut while a waiter waits. Never a lost acknowledged write, never one applied
twice; errors a user can read."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from controlplane import failpoints
from controlplane.models.meta import Key
from controlplane.store import RevisionMismatch, Store, StoreError
from controlplane.store import postgres as postgres_store
from controlplane.store.postgres import LISTENER_SUFFIX
from tests import postgres
from tests.e2e.conftest import REPO


@pytest.fixture
def name() -> str:
    """The application_name of this test's connections: cuts reach only them."""
    return f"mkt_{uuid.uuid4().hex[:10]}"


@pytest.fixture
def url(name: str) -> Iterator[str]:
    with postgres.schema_url() as found:
        yield f"{found}&application_name={name}"


def config_map(name: str, value: str = "0") -> dict[str, Any]:
    return {
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}"},
        "data": {"n": value},
    }


def cut(application: str, state: str | None = None) -> int:
    """Terminate the server's connections of the store (as a server restart would)."""
    where = f"application_name = '{application}'"
    if state:
        where += f" AND state = '{state}'"
    found = postgres.run(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE {where}")
    return len(found)


def log(store: Store) -> list[tuple[int, str]]:
    with store.reader() as r:
        return [(c.revision, c.obj["metadata"]["name"]) for c in r.changes_after(0)]


def test_a_connection_cut_mid_transaction_is_replayed_and_commits_once(url: str, name: str) -> None:
    store = Store(url)
    with store.transaction() as txn:
        txn.create(config_map("a"))
    with store.transaction() as txn:
        txn.create(config_map("b"))
        assert cut(name, state="idle in transaction") == 1
        txn.create(config_map("c"))  # reconnects, replays the create of b, goes on
    assert log(store) == [(1, "a"), (2, "b"), (3, "c")]
    store.dispose()


def test_a_connection_cut_before_commit_replays_and_one_cut_after_it_does_not(
    url: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(url)
    hit = failpoints.hit

    def cut_at_commit(point: str) -> None:
        if point == "store.commit":
            assert cut(name, state="idle in transaction") == 1
        hit(point)

    monkeypatch.setattr(failpoints, "hit", cut_at_commit)
    with store.transaction() as txn:
        txn.create(config_map("a"))  # COMMIT finds the connection gone: never committed
    monkeypatch.setattr(failpoints, "hit", hit)

    import psycopg
    from sqlalchemy.engine import Connection
    from sqlalchemy.exc import OperationalError

    commit = Connection.commit
    dropped: list[bool] = []

    def commit_then_lose_the_answer(self: Connection) -> None:
        commit(self)
        if not dropped:
            dropped.append(True)
            lost = psycopg.OperationalError("server closed the connection unexpectedly")
            raise OperationalError("COMMIT", {}, lost)

    monkeypatch.setattr(Connection, "commit", commit_then_lose_the_answer)
    with store.transaction() as txn:
        txn.create(config_map("b"))  # committed, but the answer was lost: not again
    monkeypatch.setattr(Connection, "commit", commit)
    assert dropped and log(store) == [(1, "a"), (2, "b")]
    store.dispose()


def test_writers_lose_nothing_while_their_connections_are_cut(url: str, name: str) -> None:
    Store(url).dispose()
    with Store(url).transaction() as txn:
        txn.create(config_map("counter"))
    acked: list[int] = []
    stop = threading.Event()

    def increment(store: Store) -> None:
        key = Key("ConfigMap", "default", "counter")
        while not stop.is_set():
            try:
                with store.reader() as r:
                    obj = r.get(key)
                assert obj is not None
                value = int(obj["data"]["n"]) + 1
                obj["data"]["n"] = str(value)
                with store.transaction() as txn:
                    txn.update(obj, int(obj["metadata"]["resourceVersion"]))
            except (RevisionMismatch, StoreError):
                continue  # not acknowledged: read again
            acked.append(value)
        store.dispose()

    writers = [threading.Thread(target=increment, args=(Store(url),)) for _ in range(3)]
    for writer in writers:
        writer.start()
    cuts = 0
    deadline = time.monotonic() + 30  # a loaded machine acknowledges fewer writes a second
    while not (cuts > 10 and len(acked) > 10) and time.monotonic() < deadline:
        cuts += cut(name)
        time.sleep(0.05)
    stop.set()
    for writer in writers:
        writer.join()
    store = Store(url)
    with store.reader() as r:
        stored = r.get(Key("ConfigMap", "default", "counter"))
    revisions = [revision for revision, _ in log(store)]
    assert cuts > 10 and len(acked) > 10
    assert sorted(acked) == list(range(1, len(acked) + 1))  # each once, none lost
    assert stored is not None and stored["data"]["n"] == str(len(acked))
    assert revisions == list(range(1, len(acked) + 2))  # gap-free: the create, then each
    store.dispose()


def test_a_writer_stopped_mid_transaction_holds_the_others_up_for_a_bounded_time(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer that stops inside its transaction (SIGSTOP, a debugger) holds the write lock;
    the server ends its session after IDLE_IN_TRANSACTION_SECONDS, so another writer goes on,
    and the stopped one, resumed, finds the store moved on and fails in words, writing
    nothing. Without the timeout the other writer waits until the first one resumes."""
    monkeypatch.setattr(postgres_store, "IDLE_IN_TRANSACTION_SECONDS", 1.0)
    stopped, other = Store(url), Store(url)

    def write_b() -> None:
        with other.transaction() as txn:
            txn.create(config_map("b"))

    with pytest.raises(StoreError), stopped.transaction() as txn:
        txn.create(config_map("a"))
        writer = threading.Thread(target=write_b)
        writer.start()
        writer.join(timeout=30)  # the stopped transaction sends nothing meanwhile
        assert not writer.is_alive(), "the other writer waited for the stopped one"
        txn.create(config_map("c"))  # resumed: its replay reads what b changed
    assert log(other) == [(1, "b")]
    stopped.dispose()
    other.dispose()


def test_a_waiter_is_woken_across_a_cut_listen_connection(url: str, name: str) -> None:
    store = Store(url)
    woken: list[float] = []

    def wait() -> None:
        store.wait_for_change(0, 30)
        woken.append(time.monotonic())

    waiter = threading.Thread(target=wait)
    waiter.start()
    deadline = time.monotonic() + 10
    while not cut(name + LISTENER_SUFFIX):  # once it listens, cut it
        assert time.monotonic() < deadline, "the store never listened"
        time.sleep(0.02)
    written = time.monotonic()
    another_process = (
        f"from controlplane.store import Store\nimport json, sys\n"
        f"with Store(sys.argv[1]).transaction() as txn: txn.create({config_map('x')!r})"
    )
    subprocess.run([sys.executable, "-c", another_process, url], cwd=REPO, check=True)
    waiter.join(timeout=15)
    assert woken and woken[0] - written < 10
    store.dispose()


def test_an_unusable_server_is_one_line_of_words_from_mkctl(mkctl: Any) -> None:
    base = postgres.server_url()
    user_password, host = base.split("://", 1)[1].split("@", 1)
    wrong_password = base.replace(user_password, user_password.split(":")[0] + ":wrong")
    cases = {
        "postgresql://mkctl:secret@127.0.0.1:1/mkctl": "cannot reach the PostgreSQL server at "
        "127.0.0.1:1 for the store postgresql://mkctl:***@127.0.0.1:1/mkctl",
        wrong_password: f"the PostgreSQL server at {host.split('/')[0]} refused the password",
        base.rsplit("/", 1)[0] + "/nosuchdb": f"the PostgreSQL server at {host.split('/')[0]} "
        'has no database "nosuchdb": create it (createdb nosuchdb) or fix MKCTL_STORE',
    }
    for url, words in cases.items():
        done = mkctl("get", "pods", env={"MKCTL_STORE": url})
        assert (done.code, done.out) == (1, "")
        assert done.err.startswith(f"error: {words}") and done.err.count("\n") == 1
        assert "secret" not in done.err and "wrong" not in done.err


def test_without_psycopg_mkctl_names_the_extra_to_install(tmp_path: Any) -> None:
    without = (
        "import sys; sys.modules['psycopg'] = None; sys.argv = ['mkctl', 'get', 'pods']\n"
        "from minikubectl.app import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", without],
        cwd=REPO,
        env={"MKCTL_HOME": str(tmp_path), "MKCTL_STORE": "postgresql://mk@127.0.0.1:1/mk"},
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "error: the PostgreSQL store needs the postgres extra: "
        "pip install 'minikubectl[postgres]'\n"
    )
