"""A hostile environment, not just hostile manifests: paths that cannot be read, a closed
stdin, a broken config, MKCTL_HOME or MKCTL_STORE unusable, and a store that is full, locked,
read-only, corrupt or not a database at all. Each case ends with exit 1 and one line on
stderr that says what is wrong (naming the file) and what to do: never "internal error", never
a traceback.

Store faults that cannot be made for real here (a full disk, a read-only file when running as
root) are injected with `MKCTL_FAILPOINT=store.commit=<fault>` (controlplane/failpoints.py),
which raises SQLite's own error as the write commits.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.conftest import REPO, mkctl_command

POD = """\
apiVersion: v1
kind: Pod
metadata:
{metadata}
spec:
  containers:
  - name: c
    image: nginx
"""


@dataclass
class Case:
    name: str
    args: list[str]
    expected: str  # the whole line; {tmp} is the test's directory, {home} its MKCTL_HOME
    prepare: Callable[[Path, Path], None] = lambda tmp, home: None
    env: dict[str, str] = field(default_factory=dict)
    close_stdin: bool = False


def write(name: str, text: str) -> Callable[[Path, Path], None]:
    return lambda tmp, home: (tmp / name).write_text(text)


def symlink_loop(tmp: Path, home: Path) -> None:
    (tmp / "loop-a").symlink_to(tmp / "loop-b")
    (tmp / "loop-b").symlink_to(tmp / "loop-a")


def store_file(content: Callable[[Path], None]) -> Callable[[Path, Path], None]:
    def prepare(tmp: Path, home: Path) -> None:
        home.mkdir(parents=True, exist_ok=True)
        content(home / "cluster.db")

    return prepare


def corrupt(db: Path) -> None:
    """A real store whose pages after the first are overwritten: the header is fine."""
    subprocess.run(
        [*mkctl_command(), "get", "nodes"],
        env={**os.environ, "MKCTL_HOME": str(db.parent)},
        check=True,
        capture_output=True,
    )
    with sqlite3.connect(db) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with open(db, "r+b") as file:
        file.seek(4096)
        file.write(b"\xff" * 16384)


def newer_schema(db: Path) -> None:
    subprocess.run(
        [*mkctl_command(), "get", "nodes"],
        env={**os.environ, "MKCTL_HOME": str(db.parent)},
        check=True,
        capture_output=True,
    )
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE meta SET value = '99' WHERE name = 'schema_version'")


def deep(levels: int) -> str:
    return '{"metadata":{"labels":' + '{"a":' * levels + "1" + "}" * levels + "}}"


STORE = "{home}/cluster.db"
CASES = [
    Case(
        "symlink-loop",
        ["apply", "-f", "{tmp}/loop-a"],
        'error: the path "{tmp}/loop-a" cannot be accessed: stat {tmp}/loop-a: too many levels '
        "of symbolic links",
        symlink_loop,
    ),
    Case(
        "file-used-as-directory",
        ["apply", "-f", "{tmp}/plain.yaml/"],
        'error: the path "{tmp}/plain.yaml/" cannot be accessed: stat {tmp}/plain.yaml/: not a '
        "directory",
        write("plain.yaml", POD.format(metadata="  name: p")),
    ),
    Case(
        "name-too-long",
        ["apply", "-f", "{tmp}/" + "a" * 300],
        'error: the path "{tmp}/'
        + "a" * 300
        + '" cannot be accessed: stat {tmp}/'
        + "a" * 300
        + ": file name too long",
    ),
    Case(
        "directory-named-like-a-manifest",
        ["apply", "-f", "{tmp}/x.yaml"],
        "error: error reading [{tmp}/x.yaml]: recognized file extensions are [.json .yaml .yml]",
        lambda tmp, home: (tmp / "x.yaml").mkdir(),
    ),
    Case(
        "closed-stdin",
        ["apply", "-f", "-"],
        "error: no objects passed to apply",
        close_stdin=True,
    ),
    Case(
        "metadata-a-string",
        ["apply", "-f", "{tmp}/pod.yaml"],
        'error: unable to decode "{tmp}/pod.yaml": json: cannot unmarshal string into Go struct '
        "field metadataOnlyObject.metadata of type v1.ObjectMeta",
        write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: hello\n"),
    ),
    Case(
        "name-a-list",
        ["apply", "-f", "{tmp}/pod.yaml"],
        'error: unable to decode "{tmp}/pod.yaml": json: cannot unmarshal array into Go struct '
        "field ObjectMeta.metadata.name of type string",
        write("pod.yaml", POD.format(metadata="  name: [a]")),
    ),
    Case(
        "annotations-a-number",
        ["create", "-f", "{tmp}/pod.yaml"],
        'error: unable to decode "{tmp}/pod.yaml": json: cannot unmarshal number into Go struct '
        "field ObjectMeta.metadata.annotations of type map[string]string",
        write("pod.yaml", POD.format(metadata="  name: p\n  annotations: 5")),
    ),
    Case(
        "owner-references-a-number",
        ["apply", "-f", "{tmp}/pod.yaml"],
        'error: unable to decode "{tmp}/pod.yaml": json: cannot unmarshal number into Go struct '
        "field ObjectMeta.metadata.ownerReferences of type []v1.OwnerReference",
        write("pod.yaml", POD.format(metadata="  name: p\n  ownerReferences: 5")),
    ),
    Case(
        "name-not-utf8",
        ["get", "pods", "caf\udce9"],  # the byte 0xE9 alone on the command line
        'Error from server (NotFound): pods "caf\ufffd" not found',
    ),
    Case(
        "patch-nested-past-the-decoder",
        ["patch", "node", "node-1", "--type=merge", "-p", deep(3000)],
        # From Python 3.12 the json module's C scanner stops sooner (its C recursion limit),
        # so mkctl's own reading of the patch refuses it before the API's decoder does.
        "Error from server (BadRequest): exceeded max depth"
        if sys.version_info < (3, 12)
        else "error: the input is nested too deeply (exceeded max depth)",
    ),
    Case(
        "patch-nested-past-the-merge",
        ["patch", "node", "node-1", "-p", deep(900)],
        "error: the input is nested too deeply (exceeded max depth)",
    ),
    Case(
        "config-not-yaml",
        ["get", "pods"],
        'error: error loading config file "{home}/config": yaml: line 3: mapping values are not '
        "allowed in this context",
        lambda tmp, home: (
            home.mkdir(),
            (home / "config").write_text("apiVersion: v1\nkind: Config\n  clusters: x\n"),
        ),
    ),
    Case(
        "config-clusters-a-number",
        ["get", "pods"],
        'error: error loading config file "{home}/config": json: cannot unmarshal number into '
        "Go struct field Config.clusters of type []v1.NamedCluster",
        lambda tmp, home: (home.mkdir(), (home / "config").write_text('{"clusters": 5}')),
    ),
    Case(
        "config-a-directory",
        ["config", "view"],
        'error: error loading config file "{home}/config": read {home}/config: is a directory',
        lambda tmp, home: (home / "config").mkdir(parents=True),
    ),
    Case(
        "home-a-file",
        ["get", "pods"],
        "error: MKCTL_HOME {home} is not a directory: point MKCTL_HOME at a directory mkctl may "
        "create and write",
        lambda tmp, home: home.write_text("not a directory"),
    ),
    Case(
        "store-url-missing-driver",
        ["get", "pods"],
        'error: cannot use the store "postgresql+nosuchdriver://mk:***@db/mkctl": Can\'t load '
        "plugin: sqlalchemy.dialects:postgresql.nosuchdriver: set MKCTL_STORE to a database URL "
        "such as sqlite:////path/to/cluster.db, or unset it",
        env={"MKCTL_STORE": "postgresql+nosuchdriver://mk:secret@db/mkctl"},
    ),
    Case(
        "store-url-unparsable",
        ["get", "pods"],
        'error: cannot use the store ":::": Could not parse SQLAlchemy URL from given URL '
        "string: set MKCTL_STORE to a database URL such as sqlite:////path/to/cluster.db, or "
        "unset it",
        env={"MKCTL_STORE": ":::"},
    ),
    Case(
        "store-url-in-memory",
        ["get", "pods"],
        "error: MKCTL_STORE=sqlite:// is a database in memory, lost when each mkctl command "
        "exits: set MKCTL_STORE to a file (sqlite:////path/to/cluster.db), or unset it",
        env={"MKCTL_STORE": "sqlite://"},
    ),
    Case(
        "store-directory-missing",
        ["get", "pods"],
        "error: the store {tmp}/gone/cluster.db cannot be created: its directory does not exist",
        env={"MKCTL_STORE": "sqlite:///{tmp}/gone/cluster.db"},
    ),
    Case(
        "store-full",
        ["create", "namespace", "team-a"],
        f"error: the store {STORE} is full: free disk space and try again",
        env={"MKCTL_FAILPOINT": "store.commit=full"},
    ),
    Case(
        "store-read-only",
        ["create", "namespace", "team-a"],
        f"error: the store {STORE} is read-only: make it and its directory writable, or point "
        "MKCTL_HOME (or MKCTL_STORE) elsewhere",
        env={"MKCTL_FAILPOINT": "store.commit=readonly"},
    ),
    Case(
        "store-a-directory",
        ["get", "pods"],
        f"error: the store {STORE} is a directory: move it away, or point MKCTL_HOME (or "
        "MKCTL_STORE) elsewhere",
        store_file(lambda db: db.mkdir()),
    ),
    Case(
        "store-not-a-database",
        ["get", "pods"],
        f"error: the store {STORE} is not a database (not a SQLite file): move it away, or "
        "point MKCTL_HOME (or MKCTL_STORE) elsewhere",
        store_file(lambda db: db.write_text("these are not the pages you are looking for\n" * 99)),
    ),
    Case(
        "store-corrupt",
        ["get", "pods"],
        f"error: the store {STORE} is corrupt (",  # then what quick_check found
        store_file(corrupt),
    ),
    Case(
        "store-of-a-newer-mkctl",
        ["get", "pods"],
        f"error: the store {STORE} has schema version 99, newer than version 2 that this mkctl "
        "knows: use a newer mkctl, or point MKCTL_HOME elsewhere",
        store_file(newer_schema),
    ),
]


def fill(text: str, tmp: Path, home: Path) -> str:
    return text.replace("{tmp}", str(tmp)).replace("{home}", str(home))


def run(case: Case, tmp: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MKCTL_")}
    env["MKCTL_HOME"] = str(home)
    env.update({k: fill(v, tmp, home) for k, v in case.env.items()})
    return subprocess.run(
        [*mkctl_command(), *(fill(a, tmp, home) for a in case.args)],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        errors="surrogateescape",
        timeout=120,
        preexec_fn=(lambda: os.close(0)) if case.close_stdin else None,
    )


def refused(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    assert (result.returncode, result.stdout) == (1, ""), result
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(expected), result.stderr


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_hostile_environment_is_refused_in_one_line(case: Case, tmp_path: Path) -> None:
    home = tmp_path / "home"
    case.prepare(tmp_path, home)
    refused(run(case, tmp_path, home), fill(case.expected, tmp_path, home))


def test_a_store_locked_past_the_busy_timeout_is_refused_in_one_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    case = Case(
        "store-locked",
        ["create", "namespace", "team-a"],
        f"error: the store {STORE} is locked by another process (waited 0.2 s): try again when "
        "it has finished",
        env={"MKCTL_STORE_BUSY_TIMEOUT": "0.2"},
    )
    assert run(Case("seed", ["get", "nodes"], ""), tmp_path, home).returncode == 0
    holder = sqlite3.connect(home / "cluster.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        refused(run(case, tmp_path, home), fill(case.expected, tmp_path, home))
        reads = run(Case("read", ["get", "nodes", "-o", "name"], ""), tmp_path, home)
        assert (reads.returncode, reads.stdout.split()) == (
            0,
            ["node/node-1", "node/node-2", "node/node-3"],
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes any file")
@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (0o000, "cannot be opened: make it and its directory readable and writable"),
        (0o444, "is read-only: make it and its directory writable"),
    ],
)
def test_a_store_without_permissions_is_refused_in_one_line(
    tmp_path: Path, mode: int, expected: str
) -> None:
    home = tmp_path / "home"
    assert run(Case("seed", ["get", "nodes"], ""), tmp_path, home).returncode == 0
    (home / "cluster.db").chmod(mode)
    result = run(Case("write", ["create", "namespace", "team-a"], ""), tmp_path, home)
    refused(result, f"error: the store {home / 'cluster.db'} {expected}")


def test_a_store_written_before_schema_versions_is_used_after_migrating_it(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with sqlite3.connect(home / "cluster.db") as raw:
        raw.executescript((Path(__file__).parent / "data/store-written-by-6145117.sql").read_text())
    pods = run(Case("read", ["get", "pods", "-o", "name"], ""), tmp_path, home)
    assert (pods.returncode, len(pods.stdout.split())) == (0, 3), pods
    with sqlite3.connect(home / "cluster.db") as raw:
        assert raw.execute("SELECT value FROM meta").fetchall() == [("2",)]
