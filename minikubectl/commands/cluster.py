"""`cluster start|stop|status|kubeconfig|reset`: the background control plane (daemon mode)."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from controlplane.models.constants import Obj
from minikubectl import daemon_control
from minikubectl.client import Client
from minikubectl.commands.options import out
from minikubectl.errors import CliError

app = typer.Typer(help="Run the cluster in the background, or check on it.", no_args_is_help=True)


@app.command("start")
def start(
    speed: Annotated[
        float,
        typer.Option(
            "--speed",
            help="How fast simulated time runs: 1 feels real, 10 is ten "
            "times faster, 0.5 half as fast (from 0.01 to 1000).",
        ),
    ] = 1.0,
    nodes: Annotated[
        int | None,
        typer.Option(
            "--nodes",
            min=1,
            max=5000,
            help="How many Ready nodes the cluster has: missing ones are registered (each "
            "takes 110 pods); a new cluster has 3.",
            show_default=False,
        ),
    ] = None,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="The store to serve (a SQLAlchemy URL, as MKCTL_STORE), kept as this "
            "home's store for later commands. Daemons of other homes (MKCTL_HOME) may serve "
            "the same store: each answers the API, and the controllers run in the one "
            "holding the controller lease.",
            show_default=False,
        ),
    ] = None,
    lease_duration: Annotated[
        str,
        typer.Option(
            "--leader-elect-lease-duration",
            help="How long a standby daemon waits, after the leader last renewed the "
            "controller lease, before taking it.",
        ),
    ] = "15s",
    renew_deadline: Annotated[
        str,
        typer.Option(
            "--leader-elect-renew-deadline",
            help="How long the leader keeps trying to renew the lease before it stops its "
            "controllers.",
        ),
    ] = "10s",
    retry_period: Annotated[
        str,
        typer.Option(
            "--leader-elect-retry-period",
            help="How often daemons try to take or renew the controller lease.",
        ),
    ] = "2s",
) -> None:
    """Start the control plane in the background, on the real clock.

    With a daemon running, pods take a moment to pull, start and stop, so `get -w` and
    `rollout status` show a rollout happening; commands return at once, as with kubectl.

    Examples:
      mkctl cluster start
      mkctl cluster start --speed 10
      mkctl cluster start --nodes 10
      MKCTL_HOME=~/.mkctl-2 mkctl cluster start --store sqlite:////srv/cluster.db
    """
    if store and daemon_control.status().pid is None:  # a running daemon keeps its store
        from controlplane.home import remember_store

        remember_store(store)  # this home's commands (and --nodes below) use it too
    if nodes is not None and daemon_control.status().pid is None:
        from minikubectl.cluster_nodes import resize_nodes

        added, removed = resize_nodes(Client(), nodes)
        for name in added:
            out(f"node/{name} registered\n")
        for name in removed:
            out(f"node/{name} removed\n")
    election = (
        _duration("--leader-elect-lease-duration", lease_duration),
        _duration("--leader-elect-renew-deadline", renew_deadline),
        _duration("--leader-elect-retry-period", retry_period),
    )
    pid = daemon_control.start(speed, election)
    out(f"mkctl daemon started (pid {pid})\n")


def _duration(flag: str, text: str) -> float:
    """A Go duration flag, refused in pflag's words."""
    from controlplane.models.durations import DurationError, parse_duration

    try:
        return parse_duration(text)
    except DurationError as exc:
        raise CliError(f'invalid argument "{text}" for "{flag}" flag: {exc}') from None


@app.command("stop")
def stop() -> None:
    """Stop the background control plane; commands reconcile in-process again.

    Examples:
      mkctl cluster stop
    """
    pid = daemon_control.stop()
    out(f"mkctl daemon stopped (pid {pid})\n")


@app.command("status")
def status() -> None:
    """Show whether the daemon runs, the nodes, and how many objects the cluster holds.

    Examples:
      mkctl cluster status
    """
    from minikubectl.printers.age import human_duration

    client = Client()
    daemon = daemon_control.status()
    if daemon.pid is not None and daemon.started is not None:
        up = human_duration(time.time() - daemon.started)
        lines = [f"daemon:  running (pid {daemon.pid}, up {up})"]
    else:
        stale = " (a stale pidfile was left by a killed daemon)" if daemon.stale_pidfile else ""
        lines = [f"daemon:  not running; commands reconcile in-process{stale}"]
    nodes = client.list_objects(client.info("Node"))
    ready = sum(1 for n in nodes if _ready(n))
    lines.append(f"nodes:   {len(nodes)} ({ready} Ready)")
    counts = ", ".join(
        f"{len(client.list_objects(client.info(kind), all_namespaces=True))} {plural}"
        for kind, plural in (
            ("Deployment", "deployments"),
            ("ReplicaSet", "replicasets"),
            ("Pod", "pods"),
        )
    )
    lines.append(f"objects: {counts}")
    lines.append(f"store:   {daemon_control.store_location()}")
    lines.append(f"leader:  {daemon_control.leader(client, daemon.pid)}")
    out("".join(line + "\n" for line in lines))


def _ready(node: Obj) -> bool:
    conditions = node.get("status", {}).get("conditions", [])
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)


@app.command("kubeconfig")
def kubeconfig(
    merge: Annotated[
        bool,
        typer.Option(
            "--merge",
            help="Also add the cluster, user and context `mkctl` to your kubeconfig "
            "($KUBECONFIG's first file, else ~/.kube/config), keeping every other entry.",
        ),
    ] = False,
) -> None:
    """Print the path of the daemon's kubeconfig, for kubectl and other Kubernetes clients.

    `cluster start` writes it (mode 0600): the API server's URL, its bearer token and a
    context named `mkctl`. mkctl writes ~/.kube/config only when asked with --merge.

    Examples:
      export KUBECONFIG=$(mkctl cluster kubeconfig)
      kubectl get --raw /api/v1/namespaces
      mkctl cluster kubeconfig --merge && kubectl config use-context mkctl
    """
    path = daemon_control.kubeconfig_path()
    if merge:
        import json
        from pathlib import Path

        from minikubectl import config

        target = config.user_kubeconfig()
        config.merge_into(target, json.loads(Path(path).read_text()))
        out(f'merged cluster, user and context "mkctl" into {target}\n')
        return
    out(path + "\n")


@app.command("reset")
def reset(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    nodes: Annotated[
        int,
        typer.Option(
            "--nodes",
            min=1,
            max=5000,
            help="How many Ready nodes the new cluster has (each takes 110 pods).",
        ),
    ] = 3,
) -> None:
    """Delete every object and start again with an empty cluster (three Ready nodes).

    Each node has 2 CPUs, 8Gi of memory and room for 110 pods, as a kubelet's default
    --max-pods allows: a Deployment of 1,000 replicas needs at least 10 nodes.

    Examples:
      mkctl cluster reset --yes
      mkctl cluster reset --yes --nodes 100
    """
    client = Client()
    if daemon_control.status().pid is not None:
        raise CliError("the mkctl daemon is running; stop it first with 'mkctl cluster stop'")
    if not yes and not typer.confirm("Delete every object in the cluster?", default=False):
        raise CliError("reset cancelled")
    client.reset(nodes)
    out("cluster reset\n")
