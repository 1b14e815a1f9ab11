"""Crashes at any moment: the daemon SIGKILLed again and again mid-rollout, a CLI killed
halfway through a multi-document apply, and deterministic failpoints around every write a
controller commits. After each, the next process must converge to the same, right state.
The killed daemon and the killed CLI run on SQLite and on PostgreSQL; the failpoint sweep,
which branches from copies of one store file, on SQLite.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from controlplane import daemon, failpoints
from controlplane.clock import FakeClock
from controlplane.cluster import Cluster, open_cluster
from controlplane.ids import SeededIds
from controlplane.runtime.lease import process_alive
from minikubectl.kubectl.rollout.deployment import undo
from tests.e2e.conftest import WEB_DEPLOYMENT, Mkctl, mkctl_command
from tests.robustness.oracles import (
    fenceposts,
    history_problems,
    image,
    ownership_problems,
    revision,
    rows_at,
    settled_problems,
    stored,
)
from tests.robustness.soak import scaled

pytestmark = pytest.mark.slow

# Over the informer's list page (500, controlplane/api/informer.py) so that a restarted
# daemon lists in pages. 1,000 proved less at twice the cost: a daemon restarted with 1,000
# pods was still starting when each next kill came, so every kill fell before the new
# ReplicaSet had a pod; with 600 they fall while it scales up and the old one scales down.
REPLICAS = 600
POSTGRES_REPLICAS = 250  # each write is a few round trips to the server: CI's time is short
KILLS = scaled(10, 40)


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """MKCTL_HOME of the mkctl fixture; a daemon left running by a failed test is stopped."""
    yield tmp_path / "home"
    if daemon.status(tmp_path / "home").pid is not None:
        daemon.stop(tmp_path / "home")


def start_daemon(home: Path) -> int:
    """What `mkctl cluster start --speed 50` does, without a CLI process to start first."""
    return daemon.start(50.0, home)


def kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while process_alive(pid):
        assert time.monotonic() < deadline, f"daemon {pid} survived SIGKILL"
        time.sleep(0.01)


def state_of(db: Path | str) -> tuple[dict, list[dict], list[dict]]:
    objects = stored(db)
    (deployment,) = objects["Deployment"]
    return deployment, objects.get("ReplicaSet", []), objects.get("Pod", [])


def test_sigkill_of_the_daemon_mid_rollout_of_600_replicas(
    mkctl_on_store: Mkctl,
    store_url: str,
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mkctl = mkctl_on_store
    replicas = REPLICAS
    if not store_url.startswith("sqlite"):
        monkeypatch.setenv("MKCTL_STORE", store_url)  # for the daemons started here
        home.mkdir(mode=0o700)  # the store's file would have made it
        replicas = POSTGRES_REPLICAS

    def state(_home: Path) -> tuple[dict, list[dict], list[dict]]:
        return state_of(store_url)

    manifest = tmp_path / "web.yaml"
    manifest.write_text(WEB_DEPLOYMENT.format(replicas=replicas, image="nginx:1.14.2"))
    # 110 pods a node: room for the rollout's 25% surge (750 pods) and pods still terminating.
    assert mkctl("cluster", "reset", "--yes", "--nodes", "8").code == 0
    assert mkctl("apply", "-f", str(manifest)).code == 0  # embedded: settles at once
    (first,) = state(home)[1]
    pid = start_daemon(home)
    assert mkctl("set", "image", "deployment/web", "nginx=nginx:1.16.1").code == 0
    seed = random.randrange(1 << 30)
    chance = random.Random(seed)
    for kill_number in range(KILLS):
        time.sleep(chance.uniform(0.1, 1.0))
        kill(pid)
        deployment, replica_sets, pods = state(home)
        problems = ownership_problems(pods, replica_sets) + history_problems(
            deployment, replica_sets
        )
        assert problems == [], f"after kill {kill_number + 1} (seed {seed})"
        assert revision(deployment) <= 2 and len(replica_sets) <= 2
        assert (
            len([p for p in pods if not p["metadata"].get("deletionTimestamp")])
            <= (fenceposts(deployment)[0])
        )
        pid = start_daemon(home)
    done = mkctl("rollout", "status", "deployment/web", "--timeout=300s")
    assert done.code == 0, done.err
    deployment, replica_sets, pods = state(home)
    for _ in range(1200):  # the old pods still terminating go too
        if not any(p["metadata"].get("deletionTimestamp") for p in pods):
            break
        time.sleep(0.1)
        deployment, replica_sets, pods = state(home)
    assert settled_problems(deployment, replica_sets, pods) == [], f"seed {seed}"
    assert revision(deployment) == 2 and len(replica_sets) == 2

    # Undo reuses the first ReplicaSet under revision 3.
    assert mkctl("rollout", "undo", "deployment/web").code == 0
    for _ in range(600):
        deployment, replica_sets, _pods = state(home)
        if revision(deployment) == 3:
            break
        time.sleep(0.05)
    assert mkctl("cluster", "stop").code == 0
    reused = [rs for rs in replica_sets if revision(rs) == 3]
    assert [rs["metadata"]["uid"] for rs in reused] == [first["metadata"]["uid"]]
    print(f"\n{KILLS} SIGKILLs of the daemon during a {replicas}-replica rollout survived")


# --- deterministic failpoints: a crash after (or before) every write step of a rollout ---

SWEEP_REPLICAS = 4


def sweep_cluster(db: Path, seed: int) -> Cluster:
    return open_cluster(f"sqlite:///{db}", clock=FakeClock(), ids=SeededIds(seed))


@pytest.fixture(scope="module")
def rolled_out_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file with the Deployment at revision 1, settled; copied by every case."""
    db = tmp_path_factory.mktemp("base") / "cluster.db"
    cluster = sweep_cluster(db, 1)
    cluster.api.create(yaml_free_deployment(SWEEP_REPLICAS, "nginx:1.14.2"))
    cluster.settle()
    cluster.api.store.dispose()
    return db


def yaml_free_deployment(replicas: int, image: str) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": image}]},
            },
        },
    }


# The child forked here runs only mkctl's own code, which starts no thread; the threads Python
# 3.12+ warns about are other tests' (pytest's, HTTP clients'), unused by the child.
FORK_WARNING = "ignore:This process .* is multi-threaded, use of fork:DeprecationWarning"


def set_image_and_crash(db: Path, failpoint: str) -> bool:
    """In a forked process: `set image` and settle, armed; True when the failpoint killed it."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            failpoints.arm(failpoint)
            cluster = sweep_cluster(db, 2)
            live = cluster.api.get("Deployment", "default", "web")
            live["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.16.1"
            cluster.api.update(live)
            cluster.settle()
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return True
    assert os.WEXITSTATUS(status) == 0
    return False


# Every step after its commit; before the commit (where the kill rolls the pass back) every
# fifth. Undo is checked on every tenth crash (on each in a soak run).
@pytest.mark.parametrize(("when", "stride"), [("after-commit", 1), ("before-commit", 5)])
@pytest.mark.filterwarnings(FORK_WARNING)
def test_a_crash_at_every_write_step_of_a_rollout_converges(
    rolled_out_once: Path, tmp_path: Path, when: str, stride: int
) -> None:
    (first,) = stored(rolled_out_once)["ReplicaSet"]
    stride, undo_every = scaled(stride, 1), scaled(10, 1)
    step = 1 - stride
    crashes = 0
    while True:
        step += stride
        db = tmp_path / f"step-{step}.db"
        shutil.copy(rolled_out_once, db)
        if not set_image_and_crash(db, f"*.{when}:{step}"):
            break  # the rollout finished before reaching this step
        deployment, replica_sets, pods = state_of(db)
        problems = ownership_problems(pods, replica_sets)
        assert problems + history_problems(deployment, replica_sets) == [], f"step {step}"
        assert revision(deployment) <= 2

        cluster = sweep_cluster(db, 3)  # the next command takes over and finishes the work
        cluster.settle()
        deployment, replica_sets, pods = state_of(db)
        assert settled_problems(deployment, replica_sets, pods) == [], f"step {step}"
        assert (revision(deployment), image(deployment)) == (2, "nginx:1.16.1")
        crashes += 1
        if crashes % undo_every:
            cluster.api.store.dispose()
            continue
        undo(cluster.api, cluster.api.get("Deployment", "default", "web"))
        cluster.settle()
        deployment, replica_sets, pods = state_of(db)
        assert settled_problems(deployment, replica_sets, pods) == [], f"step {step}"
        reused = [rs["metadata"]["uid"] for rs in replica_sets if revision(rs) == 3]
        assert reused == [first["metadata"]["uid"]], f"step {step}"
        cluster.api.store.dispose()
    assert step > 20  # a rollout of four pods takes more write steps than that
    print(f"\n{crashes} crashes {when} write steps (1 to {step - stride}): all converged")


# --- a CLI killed in the middle of applying a large multi-document file ---

DOCUMENTS = 400


def many_documents(path: Path) -> Path:
    path.write_text(
        "\n---\n".join(
            f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-{i:03}\n"
            for i in range(DOCUMENTS)
        )
    )
    return path


def test_a_cli_killed_mid_apply_writes_all_documents_or_none(
    mkctl_on_store: Mkctl, store_url: str, home: Path, tmp_path: Path
) -> None:
    mkctl = mkctl_on_store
    big = many_documents(tmp_path / "big.yaml")
    assert mkctl("get", "ns").code == 0

    def namespaces(_home: Path) -> int:
        return sum(n["metadata"]["name"].startswith("ns-") for n in stored(store_url)["Namespace"])

    def store_rows(_home: Path) -> list[tuple]:
        return [
            *rows_at(store_url, "SELECT kind, namespace, name, body FROM objects ORDER BY 1, 2, 3"),
            *rows_at(store_url, "SELECT revision, type, body FROM changes ORDER BY revision"),
            *rows_at(store_url, "SELECT * FROM leases ORDER BY name"),
        ]

    before = store_rows(home)
    env = {**os.environ, "MKCTL_HOME": str(home)}
    env = {k: v for k, v in env.items() if k != "MKCTL_FAILPOINT"}
    if not store_url.startswith("sqlite"):
        env["MKCTL_STORE"] = store_url
    # Deterministic: killed after the 200th document, before the commit.
    armed = subprocess.run(
        [*mkctl_command(), "apply", "-f", str(big)],
        env={**env, "MKCTL_FAILPOINT": f"apply.after-document:{DOCUMENTS // 2}"},
        capture_output=True,
        timeout=120,
    )
    assert armed.returncode == -signal.SIGKILL
    assert store_rows(home) == before

    # At random moments: all of the file or none of it, never part.
    chance = random.Random(seed := random.randrange(1 << 30))
    outcomes = []
    for _ in range(scaled(4, 20)):
        process = subprocess.Popen(
            [*mkctl_command(), "apply", "-f", str(big)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(chance.uniform(0.3, 3.0))
        process.kill()
        process.wait()
        outcomes.append(namespaces(home))
        assert outcomes[-1] in (0, DOCUMENTS), f"seed {seed}: {outcomes}"
    done = mkctl("apply", "-f", str(big))
    assert done.code == 0, done.err
    assert namespaces(home) == DOCUMENTS
    print(f"\nkilled mid-apply of {DOCUMENTS} documents: {outcomes} namespaces after each kill")
