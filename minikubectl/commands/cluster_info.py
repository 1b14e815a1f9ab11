"""`api-versions` and `cluster-info`: what the cluster serves, and where.

`api-versions` lists the served group versions, sorted, as kubectl prints them from
discovery (staging/src/k8s.io/kubectl/pkg/cmd/apiresources/apiversions.go). `cluster-info`
says where the control plane answers and, for each Service in kube-system labelled
`kubernetes.io/cluster-service=true` (CoreDNS's `kube-dns`), its proxy URL, in kubectl's
colours (staging/src/k8s.io/kubectl/pkg/cmd/clusterinfo/clusterinfo.go printService).
Without a daemon there is no API server to point at, and it says so.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from controlplane.api.registry import KINDS
from controlplane.models.constants import Obj
from minikubectl.client import Client
from minikubectl.commands.options import Namespace, out
from minikubectl.errors import CliError

DEBUG_LINE = "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
CLUSTER_SERVICE = "kubernetes.io/cluster-service=true"


def api_versions() -> None:
    """Print the supported API versions on the server, in the form "group/version".

    Examples:
      mkctl api-versions
    """
    from minikubectl.discovery import custom_kinds

    served = (*KINDS, *custom_kinds(lambda _: False))  # every version a CRD serves
    out("".join(f"{version}\n" for version in sorted({info.api_version for info in served})))


def _coloured(text: str, colour: int) -> str:
    """go-colortext's ChangeColor/ResetColor around `text`, as kubectl writes them to
    stdout whatever it is (nothing on a `TERM=dumb` terminal)."""
    if os.environ.get("TERM") == "dumb":
        return text
    return f"\x1b[0;{colour}m{text}\x1b[0m"


def service_line(name: str, link: str) -> str:
    """printService: the name in green, the link in yellow."""
    return f"{_coloured(name, 32)} is running at {_coloured(link, 33)}\n"


def service_link(host: str, service: Obj) -> str:
    """The API server's proxy URL of a Service: `<scheme>:<name>:<port name>` from its first
    port (https when named so or on 443)."""
    name = service["metadata"]["name"]
    ports = (service.get("spec") or {}).get("ports") or []
    if ports:  # utilnet.JoinSchemeNamePort
        port = ports[0]
        port_name = str(port.get("name") or "")
        if port_name == "https" or port.get("port") == 443:
            name = f"https:{name}:{port_name}"
        elif port_name:
            name = f"{name}:{port_name}"
    return f"{host}/api/v1/namespaces/{service['metadata']['namespace']}/services/{name}/proxy"


def cluster_info(
    args: Annotated[list[str] | None, typer.Argument(help="Nothing, or `dump`.")] = None,
    namespace: Namespace = None,
) -> None:
    """Display the addresses of the control plane and of the services labelled
    kubernetes.io/cluster-service=true (CoreDNS).

    Examples:
      mkctl cluster-info
    """
    if args:
        if args == ["dump"]:
            raise CliError(
                "mkctl has no cluster-info dump: mkctl runs no containers, so there are no "
                "container logs to collect; use 'mkctl get all -A' and 'mkctl describe'"
            )
        raise CliError(f'unknown command "{args[0]}" for "mkctl cluster-info"')
    client = Client(namespace or "kube-system")
    if client.served is None:
        out(
            "Kubernetes control plane is running inside mkctl (embedded: no API server; "
            "'mkctl cluster start' serves one)\n"
        )
        out(DEBUG_LINE)
        return
    host = f"https://{client.served.address}"
    out(service_line("Kubernetes control plane", host))
    if any(info.kind == "Service" for info in KINDS):
        for service in client.api.list("Service", client.namespace, label_selector=CLUSTER_SERVICE):
            labels = service["metadata"].get("labels") or {}
            name = labels.get("kubernetes.io/name") or service["metadata"]["name"]
            out(service_line(name, service_link(host, service)))
    out(DEBUG_LINE)
