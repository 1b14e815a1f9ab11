"""`mkctl logs POD|TYPE/NAME [-c CONTAINER]`: a container's log, as kubectl shows it.

Ported from staging/src/k8s.io/kubectl/pkg/cmd/logs/logs.go (LogsOptions: Complete,
Validate, the `--prefix` and `--all-containers` walks) and pkg/polymorphichelpers
(logsForObject: a workload's pods found by its selector and sorted as podutil.ByLogging
sorts them, `Found N pods, using pod/X`; the default container, `Defaulted container "a" out
of: a, b`). The log itself is the API's `pods/log` (controlplane/kubelet/logs.py): the lines
a simulated container would have written.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

import typer

from controlplane.models.constants import Obj
from minikubectl import pod_logs
from minikubectl.client import Client
from minikubectl.commands.options import Namespace, Selector, err, out
from minikubectl.errors import CliError
from minikubectl.intflags import INT

if TYPE_CHECKING:
    from controlplane.kubelet.logs import LogOptions

USAGE = (
    "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
    "POD or TYPE/NAME is a required argument for the logs command\n"
    "See 'kubectl logs -h' for help and examples"
)
DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container"
SELECTOR_TAIL = 10  # --tail's default when pods are chosen with -l
PHASE_ORDER = {"Pending": 0, "Unknown": 1, "Running": 2}


def _ready_since(pod: Obj) -> str | None:
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready" and condition.get("status") == "True":
            return str(condition.get("lastTransitionTime") or "")
    return None


def _restarts(pod: Obj) -> int:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    return max((int(s.get("restartCount") or 0) for s in statuses), default=0)


def by_logging(pod: Obj) -> tuple[object, ...]:
    """podutil.ByLogging as a sort key: scheduled, Running, Ready (longest first), most
    restarts, oldest."""
    ready = _ready_since(pod)
    return (
        not (pod.get("spec") or {}).get("nodeName"),
        -PHASE_ORDER.get(str((pod.get("status") or {}).get("phase")), -1),
        ready is None,
        ready or "",
        -_restarts(pod),
        pod["metadata"].get("creationTimestamp") or "~",
    )


def _selector_of(obj: Obj) -> str:
    """The pods a workload (LabelSelector) or a Service (a plain map) selects."""
    from controlplane.models import selectors

    selector = (obj.get("spec") or {}).get("selector")
    if not isinstance(selector, dict):
        version = obj["apiVersion"].rpartition("/")[2]
        kind = f"*{version}.{obj['kind']}"
        raise CliError(f"cannot get the logs from {kind}: selector for {kind} not implemented")
    if "matchLabels" in selector or "matchExpressions" in selector:
        return str(selectors.from_label_selector(selector))
    return ",".join(f"{k}={v}" for k, v in selector.items())


def pods_of(client: Client, target: str) -> list[Obj]:
    """The pod `target` names (POD or TYPE/NAME), or a workload's pod to read, said on
    stderr when it had several."""
    from controlplane.api.errors import ApiError
    from minikubectl.resources import resolve_type

    kind_word, slash, name = target.partition("/")
    info = resolve_type(kind_word if slash else "pod")
    name = name if slash else target
    namespace = client.namespace
    try:
        obj = client.api.get(info.kind, namespace if info.namespaced else "", name)
    except ApiError as exc:
        if exc.reason != "NotFound":
            raise
        raise CliError(
            f'error from server (NotFound): {exc.message} in namespace "{namespace}"'
        ) from exc
    if info.kind == "Pod":
        return [obj]
    pods = client.api.list("Pod", namespace, label_selector=_selector_of(obj))
    if not pods:
        raise CliError("timed out waiting for the condition")
    pods.sort(key=by_logging)
    if len(pods) > 1:
        err(f"Found {len(pods)} pods, using pod/{pods[0]['metadata']['name']}")
    return pods[:1]


def _labelled_names(pod: Obj) -> list[str]:
    """AllContainerNames' words: `name`, `name (init)`, `name (ephem)`."""
    spec = pod.get("spec") or {}
    return [
        f"{c['name']}{suffix}"
        for field, suffix in (
            ("initContainers", " (init)"),
            ("containers", ""),
            ("ephemeralContainers", " (ephem)"),
        )
        for c in spec.get(field) or []
    ]


def containers_to_read(pod: Obj, container: str, all_containers: bool) -> list[str]:
    """The named container, every one with --all-containers, or the default one (the
    `kubectl.kubernetes.io/default-container` annotation's, else the first)."""
    from controlplane.kubelet.logs import container_names

    names = container_names(pod)
    pod_name = pod["metadata"]["name"]
    if all_containers:
        return names
    if container:
        if container not in names:
            raise CliError(
                f"container {container} is not valid for pod {pod_name} out of: "
                f"{', '.join(_labelled_names(pod))}"
            )
        return [container]
    spec_names = [c["name"] for c in (pod.get("spec") or {}).get("containers") or []]
    chosen = ((pod["metadata"].get("annotations") or {}).get(DEFAULT_CONTAINER_ANNOTATION)) or ""
    if chosen not in names:
        chosen = spec_names[0] if spec_names else ""
        if len(names) > 1:
            err(f'Defaulted container "{chosen}" out of: {", ".join(_labelled_names(pod))}')
    return [chosen]


def _prefixed(chunks: Iterator[str], prefix: str) -> Iterator[str]:
    """Each line with `prefix`, however the chunks split the lines."""
    pending = ""
    for chunk in chunks:
        *lines, pending = (pending + chunk).split("\n")
        if lines:
            yield "".join(f"{prefix}{line}\n" for line in lines)
    if pending:
        yield f"{prefix}{pending}"


def logs(
    args: Annotated[
        list[str] | None, typer.Argument(help="POD or TYPE/NAME, then optionally CONTAINER.")
    ] = None,
    container: Annotated[
        str, typer.Option("--container", "-c", help="The container to read.")
    ] = "",
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Keep streaming lines as they are written.")
    ] = False,
    previous: Annotated[
        bool, typer.Option("--previous", "-p", help="The previous (terminated) run's log.")
    ] = False,
    tail: Annotated[
        int | None,
        typer.Option(
            "--tail", help="Lines to show from the end (-1: all; 10 with -l).", click_type=INT
        ),
    ] = None,
    timestamps: Annotated[
        bool, typer.Option("--timestamps", help="Begin each line with its RFC 3339 time.")
    ] = False,
    all_containers: Annotated[
        bool, typer.Option("--all-containers", help="Every container of the pod(s).")
    ] = False,
    prefix: Annotated[
        bool, typer.Option("--prefix", help="Begin each line with [pod/NAME/CONTAINER].")
    ] = False,
    since: Annotated[
        str, typer.Option("--since", help="Only lines newer than this duration (5s, 2m, 3h).")
    ] = "",
    limit_bytes: Annotated[
        int | None,
        typer.Option("--limit-bytes", help="At most this many bytes.", click_type=INT),
    ] = None,
    max_log_requests: Annotated[
        int,
        typer.Option(
            "--max-log-requests", help="At most this many logs followed at once.", click_type=INT
        ),
    ] = 5,
    selector: Selector = None,
    namespace: Namespace = None,
) -> None:
    """Print the logs for a container in a pod or specified resource.

    mkctl runs no containers: a log holds the lines the simulated container would have
    written (nginx's start-up, a shell script's echoes, a crash's last words).

    Examples:
      mkctl logs nginx
      mkctl logs deploy/nginx-deployment --tail=5
      mkctl logs crashy --previous
      mkctl logs web -c sidecar --timestamps
      mkctl logs -l app=nginx --all-containers --prefix
      mkctl logs -f hello
    """
    from controlplane.kubelet.logs import LogOptions
    from minikubectl.durations import duration_flag

    args = args or []
    if (not args and not selector) or len(args) > 2 or (args and selector):
        raise CliError(USAGE)
    if len(args) == 2:
        if container:
            raise CliError("only one of -c or an inline [CONTAINER] arg is allowed")
        container = args[1]
    if all_containers and container:
        raise CliError(
            f"--all-containers=true should not be specified with container name {container}"
        )
    if tail is not None and tail < -1:
        raise CliError("--tail must be greater than or equal to -1")
    client = Client(namespace)
    if selector:
        pods = client.api.list("Pod", client.namespace, label_selector=selector)
        if not pods:
            err(f"No resources found in {client.namespace} namespace.")
            return
        tail = SELECTOR_TAIL if tail is None else tail
    else:
        pods = pods_of(client, args[0])
    options = LogOptions(
        previous=previous,
        timestamps=timestamps,
        tail_lines=tail if tail is not None and tail >= 0 else None,
        since_seconds=int(duration_flag(since, "--since", "logs")) if since else None,
        limit_bytes=limit_bytes,
    )
    sources = [
        (pod, name) for pod in pods for name in containers_to_read(pod, container, all_containers)
    ]
    if follow and len(sources) > max_log_requests:
        raise CliError(
            f"you are attempting to follow {len(sources)} log streams, but maximum allowed "
            f"concurrency is {max_log_requests}, use --max-log-requests to increase the limit"
        )
    _print(client, sources, options, follow, prefix)


def _print(
    client: Client, sources: list[tuple[Obj, str]], options: LogOptions, follow: bool, prefix: bool
) -> None:
    """Each source's log in turn; followed logs all at once, each line whole."""
    from dataclasses import replace

    def chunks(pod: Obj, name: str) -> Iterator[str]:
        meta = pod["metadata"]
        stream = pod_logs.pod_log(
            client,
            meta.get("namespace", ""),
            meta["name"],
            replace(options, container=name),
            follow,
        )
        return _prefixed(stream, f"[pod/{meta['name']}/{name}] ") if prefix else stream

    if not follow or len(sources) == 1:
        for pod, name in sources:
            for text in chunks(pod, name):
                out(text)
                sys.stdout.flush()
        return
    lock = threading.Lock()
    failures: list[BaseException] = []

    def pump(pod: Obj, name: str) -> None:
        try:
            for text in _prefixed(chunks(pod, name), ""):
                with lock:
                    out(text)
                    sys.stdout.flush()
        except Exception as exc:  # reported once every stream has ended
            failures.append(exc)

    threads = [threading.Thread(target=pump, args=s, daemon=True) for s in sources]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
