"""`mkctl dashboard`: mkctl's own command (kubectl's closest is the Kubernetes Dashboard add-on)
that opens a live picture of a namespace in the browser: who owns whom, each pod's state,
and a timeline of every rollout, redrawn from the API's watches as the cluster changes.

The daemon serves the page (`controlplane/apiserver/dashboard`), so the command starts it
when none runs, then prints a URL whose fragment carries a one-time login code signed with
the daemon's token, and opens it unless `--no-open`.
"""

from __future__ import annotations

import enum
from typing import Annotated
from urllib.parse import urlencode

import typer

from minikubectl.client import Client
from minikubectl.commands.options import Namespace, out
from minikubectl.errors import CliError


class Workloads(enum.StrEnum):
    DEPLOYMENTS = "deployments"
    STATEFULSETS = "statefulsets"
    DAEMONSETS = "daemonsets"


def dashboard(
    namespace: Namespace = None,
    workloads: Annotated[
        Workloads,
        typer.Option("--workloads", help="Which owners to draw first (the page can switch)."),
    ] = Workloads.DEPLOYMENTS,
    no_open: Annotated[
        bool, typer.Option("--no-open", help="Print the URL without opening a browser.")
    ] = False,
    speed: Annotated[
        float,
        typer.Option(
            "--speed",
            help="If no daemon runs, the one started for the page runs at this speed "
            "(as `mkctl cluster start --speed`).",
        ),
    ] = 1.0,
) -> None:
    """Open a live view of Deployments, ReplicaSets and Pods in the browser.

    The page draws each Deployment (or StatefulSet, DaemonSet) with its revisions and
    their pods, coloured and labelled by state, the Services and the pods they send
    traffic to, and a timeline of replicas per ReplicaSet. It follows the cluster through
    the API's watches: delete a pod or roll out an image in another terminal and watch it
    happen. Click a box for its conditions, events and YAML. The page needs no network:
    it is served by the mkctl daemon on loopback, which this command starts if needed.

    The link holds a one-time login code, valid for ten minutes; run the command again
    for a new one.

    Examples:
      mkctl dashboard
      mkctl dashboard -n shop --no-open
      mkctl dashboard --workloads statefulsets
    """
    from controlplane.apiserver import daemon_token, endpoint
    from controlplane.apiserver.dashboard import PREFIX
    from controlplane.apiserver.dashboard.login import login_code
    from controlplane.home import home
    from minikubectl import daemon_control

    client = Client(namespace)
    if client.served is None:
        pid = daemon_control.start(speed)
        out(f"mkctl daemon started (pid {pid})\n")
    where = home()
    served, token = endpoint.read(where), daemon_token.read_token(where)
    if served is None or token is None:
        raise CliError("the mkctl daemon is not serving: see 'mkctl cluster status'")
    query = urlencode({"namespace": client.namespace, "workloads": workloads.value})
    url = f"{served.url}{PREFIX}?{query}#code={login_code(token)}"
    out(f"mkctl dashboard: {url}\n")
    if not no_open:
        import webbrowser

        if not webbrowser.open(url):
            out("no browser found here: open the URL above in one\n")
