"""A classroom on one cluster: N learners, each walking the Deployments lesson in its own
namespace at once, through one or more API servers over the same store.

    python bench/classroom.py                       # 30 learners on a fresh SQLite daemon
    python bench/classroom.py --learners 5          # a quick check
    python bench/classroom.py --home H --server URL --server URL2   # servers already running

With `--home`, its kubeconfig gives the owner's token and CA (the first server adds the
learners); learners are dealt round the servers. Without it, a daemon on a fresh SQLite store.
Each learner sends what samples/lesson.sh's commands send, as REST requests on a keep-alive
connection (`bench.py` measures client start-up); meanwhile two writers increment a counter
ConfigMap under compare-and-swap, alternating servers (a lost update is an acknowledged
increment the count lacks), and it attempts what it must not do in its neighbour's
namespace and across the cluster (each must be 403 Forbidden). Printed: p50 and p95 per
command, lost updates, refusals and leaks.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import ssl
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from controlplane.models import learners

DEPLOYMENT = "nginx-deployment"
APPS = "/apis/apps/v1/namespaces/{ns}"
CORE = "/api/v1/namespaces/{ns}"
SECRETS = CORE.format(ns=learners.SYSTEM_NAMESPACE) + "/secrets"  # where learners are kept


def deployment(replicas: int) -> dict[str, Any]:
    """samples/02-deployment.yaml, with `replicas`."""
    app = {"app": "nginx"}
    pod = {"containers": [{"name": "nginx", "image": "nginx:1.14.2"}]}
    spec = {
        "selector": {"matchLabels": app},
        "template": {"metadata": {"labels": app}, "spec": pod},
    }
    meta = {"name": DEPLOYMENT, "labels": app}
    kind = {"apiVersion": "apps/v1", "kind": "Deployment"}
    return {**kind, "metadata": meta, "spec": {"replicas": replicas, **spec}}


class Http:
    """One keep-alive connection to one API server, with one bearer token."""

    def __init__(self, url: str, token: str, authority: str | None) -> None:
        parts = urlsplit(url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        if parts.scheme == "https":
            context = ssl.create_default_context(cadata=authority)
            self.conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                host, port, context=context, timeout=120
            )
        else:
            self.conn = http.client.HTTPConnection(host, port, timeout=120)
        self.token = token

    def send(
        self, method: str, path: str, body: Any = None, content_type: str = "application/json"
    ) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = content_type
        try:
            self.conn.request(method, path, data, headers)
            answer = self.conn.getresponse()
            raw = answer.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()  # a dropped keep-alive connection: once more, on a new one
            self.conn.request(method, path, data, headers)
            answer = self.conn.getresponse()
            raw = answer.read()
        return answer.status, json.loads(raw) if raw else None

    def ok(
        self,
        method: str,
        path: str,
        body: Any = None,
        content_type: str = "application/json",
        codes: tuple[int, ...] = (200,),
    ) -> Any:
        """The answer's body; RuntimeError when its status is not one of `codes`."""
        code, answer = self.send(method, path, body, content_type)
        if code not in codes:
            raise RuntimeError(f"{method} {path}: HTTP {code}")
        return answer


@dataclass
class Tally:
    """What all learners measured; threads add to it under `lock`."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    refused: int = 0
    leaked: list[str] = field(default_factory=list)
    wrong_refusals: list[str] = field(default_factory=list)
    acknowledged: int = 0
    counted: int = 0
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def available(api: Http, ns: str) -> bool:
    deploy = api.ok("GET", f"{APPS.format(ns=ns)}/deployments/{DEPLOYMENT}")
    status, spec = deploy.get("status") or {}, deploy["spec"]
    conditions = {c["type"]: c["status"] for c in status.get("conditions") or []}
    return (
        conditions.get("Available") == "True"
        and status.get("updatedReplicas") == spec["replicas"] == status.get("availableReplicas")
        and status.get("observedGeneration") == deploy["metadata"]["generation"]
    )


def wait_rolled_out(api: Http, ns: str, deadline_seconds: float = 120.0) -> None:
    deadline = time.monotonic() + deadline_seconds
    while not available(api, ns):
        if time.monotonic() > deadline:
            raise RuntimeError("the deployment did not roll out in time")
        time.sleep(0.1)


def lesson(api: Http, ns: str, tally: Tally) -> None:
    """samples/lesson.sh, step by step, as the requests its commands send."""
    apps, core = APPS.format(ns=ns), CORE.format(ns=ns)
    deploy = f"{apps}/deployments/{DEPLOYMENT}"
    merge, strategic = "application/merge-patch+json", "application/strategic-merge-patch+json"

    def get(*paths: str) -> None:
        for path in paths:
            api.ok("GET", path)

    def apply(replicas: int) -> None:
        if api.send("GET", deploy)[0] == 404:
            api.ok("POST", f"{apps}/deployments", deployment(replicas), codes=(201,))
        else:
            api.ok("PATCH", deploy, {"spec": {"replicas": replicas}}, merge)

    def delete_first_pod() -> None:
        pods = api.ok("GET", f"{core}/pods?labelSelector=app%3Dnginx")["items"]
        api.ok("DELETE", f"{core}/pods/{pods[0]['metadata']['name']}")

    def set_image(image: str) -> None:
        containers = [{"name": "nginx", "image": image}]
        api.ok(
            "PATCH", deploy, {"spec": {"template": {"spec": {"containers": containers}}}}, strategic
        )

    listing = (f"{apps}/deployments", f"{apps}/replicasets", f"{core}/pods")
    five = {"spec": {"replicas": 5}}
    steps: list[tuple[str, Callable[[], object]]] = [
        ("apply", lambda: apply(3)),
        ("wait --for=condition=Available", lambda: wait_rolled_out(api, ns)),
        ("get deploy,rs,pods", lambda: get(*listing)),
        ("delete pod", delete_first_pod),
        ("get pods", lambda: get(f"{core}/pods")),
        ("set image", lambda: set_image("nginx:1.16.1")),
        ("rollout status", lambda: wait_rolled_out(api, ns)),
        ("rollout history", lambda: get(deploy, f"{apps}/replicasets")),
        ("rollout undo", lambda: set_image("nginx:1.14.2")),
        ("scale --replicas=5", lambda: api.ok("PATCH", f"{deploy}/scale", five, merge)),
        ("get deploy", lambda: get(f"{apps}/deployments")),
        ("apply (3 replicas)", lambda: apply(3)),
        ("describe deployment", lambda: get(deploy, f"{apps}/replicasets", f"{core}/events")),
        ("delete deployment", lambda: api.ok("DELETE", deploy)),
        ("get deploy,rs,pods (after)", lambda: get(*listing)),
    ]  # fmt: skip
    for command, run in steps:
        started = time.perf_counter()
        run()
        elapsed = time.perf_counter() - started
        with tally.lock:
            tally.latencies[command].append(elapsed)


def counter_writer(servers: list[Http], ns: str, updates: int, tally: Tally) -> None:
    """Increment the counter `updates` times, each a GET then a PUT with its
    resourceVersion, retried on 409 Conflict, alternating servers."""
    path = f"{CORE.format(ns=ns)}/configmaps/counter"
    acknowledged = 0
    for i in range(updates):
        api = servers[i % len(servers)]
        while True:
            config = api.ok("GET", path)
            config["data"]["count"] = str(int(config["data"]["count"]) + 1)
            if api.ok("PUT", path, config, codes=(200, 409))["kind"] == "ConfigMap":
                acknowledged += 1
                break
    with tally.lock:
        tally.acknowledged += acknowledged


def forbidden(user: str, verb: str, resource: str, namespace: str, name: str = "") -> str:
    """kube-apiserver's message refusing `user` (responsewriters.Forbidden), written out
    here rather than taken from mkctl, so that the bench checks it."""
    plural, _, group = resource.partition("/")[0].partition(".")
    subject = f"{plural}.{group}" if group else plural
    subject += f' "{name}"' if name else ""
    sub = resource.partition("/")[2]
    shown = f"{plural}/{sub}" if sub else plural
    where = f'in the namespace "{namespace}"' if namespace else "at the cluster scope"
    return (
        f'{subject} is forbidden: User "{user}" cannot {verb} resource "{shown}" '
        f'in API group "{group}" {where}'
    )


def trespass(api: Http, user: str, other: str, tally: Tally) -> None:
    """What a learner must not do: reach its neighbour's namespace `other`, or the whole
    cluster. Each attempt must come back 403 with the message kube-apiserver sends."""
    apps, core = APPS.format(ns=other), CORE.format(ns=other)
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {}}
    scale = f"{apps}/deployments/{DEPLOYMENT}/scale"
    counter = f"{core}/configmaps/counter"
    every = "/apis/apps/v1/deployments"

    def refused(verb: str, resource: str, namespace: str = other, name: str = "") -> str:
        return forbidden(user, verb, resource, namespace, name)

    attempts = [
        ("GET", f"{core}/pods", None, refused("list", "pods")),
        ("GET", f"{core}/pods?watch=true", None, refused("watch", "pods")),
        ("GET", f"{core}/pods/x/log", None, refused("get", "pods/log", name="x")),
        ("POST", f"{core}/configmaps", config, refused("create", "configmaps")),
        ("GET", counter, None, refused("get", "configmaps", name="counter")),
        ("PUT", counter, config, refused("update", "configmaps", name="counter")),
        ("DELETE", counter, None, refused("delete", "configmaps", name="counter")),
        ("PATCH", scale, {}, refused("patch", "deployments.apps/scale", name=DEPLOYMENT)),
        ("GET", "/api/v1/pods", None, refused("list", "pods", "")),
        ("GET", f"{every}?watch=1", None, refused("watch", "deployments.apps", "")),
        ("GET", SECRETS, None, refused("list", "secrets", "kube-system")),
    ]  # fmt: skip
    for method, path, body, expected in attempts:
        content_type = "application/merge-patch+json" if method == "PATCH" else "application/json"
        code, status = api.send(method, path, body, content_type)
        with tally.lock:
            if code == 403 and status.get("message") == expected:
                tally.refused += 1
            elif code < 400:
                tally.leaked.append(f"{user}: {method} {path} -> {code}")
            else:
                tally.wrong_refusals.append(f"{user}: {method} {path} -> {code} {status}")


@dataclass(frozen=True)
class Seat:
    """One learner: its name, token, neighbour, and the servers it uses, its own first."""

    name: str
    token: str
    neighbour: str
    urls: list[str]
    authority: str | None

    def connections(self, first: int = 0) -> list[Http]:
        """New connections to each server (one set per thread), from the `first`."""
        urls = self.urls[first:] + self.urls[:first]
        return [Http(url, self.token, self.authority) for url in urls]


def recorded(tally: Tally, who: str, work: Callable[[], None]) -> None:
    """Run `work`; a failure is a figure, not the end of the run."""
    try:
        work()
    except Exception as exc:
        with tally.lock:
            tally.failures.append(f"{who}: {exc}")


def learner_run(seat: Seat, updates: int, tally: Tally) -> None:
    api = seat.connections()[0]
    path = f"{CORE.format(ns=seat.name)}/configmaps"
    counter = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "counter"}}
    api.ok("POST", path, {**counter, "data": {"count": "0"}}, codes=(201,))
    writes = [
        partial(counter_writer, seat.connections(k), seat.name, updates, tally) for k in (0, 1)
    ]
    writers = [threading.Thread(target=recorded, args=(tally, seat.name, w)) for w in writes]
    for writer in writers:
        writer.start()
    lesson(api, seat.name, tally)
    trespass(api, seat.name, seat.neighbour, tally)
    for writer in writers:
        writer.join()
    config = api.ok("GET", f"{path}/counter")
    with tally.lock:
        tally.counted += int(config["data"]["count"])


def owner_credentials(home: Path) -> tuple[str, str, str | None]:
    """The first server's URL, the owner's token and the CA, from the home's kubeconfig."""
    config = json.loads((home / "kubeconfig").read_text())
    cluster = config["clusters"][0]["cluster"]
    authority = cluster.get("certificate-authority-data")
    return (
        cluster["server"],
        config["users"][0]["user"]["token"],
        base64.b64decode(authority).decode() if authority else None,
    )


@contextmanager
def fresh_daemon(speed: float) -> Iterator[Path]:
    from minikubectl.testing import api_server

    with tempfile.TemporaryDirectory(prefix="mkctl-classroom-") as folder:
        home = Path(folder) / "home"
        with api_server(home, speed=speed):
            yield home


def add_learners(owner: Http, names: list[str]) -> dict[str, str]:
    """Each learner's Secret (as `mkctl learner add` makes it) and namespace; the tokens."""
    tokens: dict[str, str] = {}
    for name in names:
        tokens[name] = learners.new_token(name)
        secret = learners.learner_secret(learners.Learner(name, name, "edit"), tokens[name])
        owner.ok("POST", SECRETS, secret, codes=(201,))
        namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
        owner.ok("POST", "/api/v1/namespaces", namespace, codes=(201, 409))
    return tokens


def remove_learners(owner: Http, names: list[str]) -> None:
    for name in names:
        owner.send("DELETE", f"{SECRETS}/{learners.secret_name(name)}")
        owner.send("DELETE", CORE.format(ns=name))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(tally: Tally, learners_count: int, servers: list[str], took: float) -> str:
    lines = [
        f"{learners_count} learners, {len(servers)} API server(s): {', '.join(servers)}; "
        f"{took:.1f} s",
        "",
        f"{'command':<32} {'p50':>8} {'p95':>8}  n",
    ]
    for command, values in tally.latencies.items():
        lines.append(
            f"{command:<32} {percentile(values, 0.5) * 1000:>6.0f}ms "
            f"{percentile(values, 0.95) * 1000:>6.0f}ms  {len(values)}"
        )
    lost = tally.acknowledged - tally.counted
    lines += [
        "",
        f"counter updates acknowledged {tally.acknowledged}, counted {tally.counted}: "
        f"lost updates {lost}",
        f"cross-namespace attempts refused with the exact Forbidden {tally.refused}, "
        f"leaked {len(tally.leaked)}, refused otherwise {len(tally.wrong_refusals)}",
        f"learners failed: {len(tally.failures)}",
        *(f"  {line}" for line in tally.leaked + tally.wrong_refusals + tally.failures),
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--updates", type=int, default=20, help="increments per counter writer")
    parser.add_argument("--home", type=Path, help="MKCTL_HOME of a running daemon (the owner)")
    parser.add_argument("--server", action="append", default=[], help="API server URL (repeat)")
    parser.add_argument("--speed", type=float, default=10.0, help="a fresh daemon's --speed")
    args = parser.parse_args()

    with nullcontext(args.home) if args.home else fresh_daemon(args.speed) as home:
        first, owner_token, authority = owner_credentials(home)
        urls = args.server or [first]
        owner = Http(urls[0], owner_token, authority)
        names = [f"learner-{i:02d}" for i in range(args.learners)]
        tokens = add_learners(owner, names)
        tally = Tally()
        started = time.perf_counter()
        threads = []
        for i, name in enumerate(names):
            mine = urls[i % len(urls) :] + urls[: i % len(urls)]  # its own server first
            seat = Seat(name, tokens[name], names[(i + 1) % len(names)], mine, authority)
            run = partial(learner_run, seat, args.updates, tally)
            thread = threading.Thread(target=recorded, args=(tally, name, run))
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join()
        took = time.perf_counter() - started
        remove_learners(owner, names)
    print(report(tally, args.learners, urls, took))
    clean = not (tally.failures or tally.leaked or tally.wrong_refusals)
    return 0 if clean and tally.acknowledged == tally.counted else 1


if __name__ == "__main__":
    sys.exit(main())
