"""`version`: the client's and the server's versions, as kubectl 1.37 prints them.

staging/src/k8s.io/kubectl/pkg/cmd/version/version.go `Run`: `Client Version: ...`, then
`Server Version: ...` (the server's `/version`, from the daemon or, without one, from the
control plane in process); `-o json` is `json.MarshalIndent` of `{clientVersion,
serverVersion}`, `-o yaml` the same through sigs.k8s.io/yaml (keys sorted), each followed by
an empty line as `fmt.Fprintln` adds it.

mkctl's client version says what it is: the kubectl release whose behaviour it follows, with
mkctl's own release as build metadata (`v1.37.1+mkctl.0.1.0`, in the way k3s versions read
`v1.31.4+k3s1`), the Python that runs it as `goVersion`, `cpython` as `compiler`. mkctl
bundles no kustomize (`-k` is refused), so `kustomizeVersion` is left out, as `Version`'s
`omitempty` leaves out an empty one, and so is the `Kustomize Version:` line.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from minikubectl.commands.options import out
from minikubectl.errors import CliError


def client_version() -> dict[str, str]:
    """The client's `version.Info` (staging/src/k8s.io/apimachinery/pkg/version/types.go)."""
    import platform
    import sys

    from controlplane.models.version import GIT_VERSION, MAJOR, MINOR
    from minikubectl import __version__

    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine)
    return {
        "major": MAJOR,
        "minor": MINOR,
        "gitVersion": f"{GIT_VERSION}+mkctl.{__version__}",
        "gitCommit": "",
        "gitTreeState": "",
        "buildDate": "",
        "goVersion": f"python{platform.python_version()}",
        "compiler": sys.implementation.name,
        "platform": f"{sys.platform}/{arch}",
    }


def client_version_line() -> str:
    return f"Client Version: {client_version()['gitVersion']}\n"


def server_version() -> dict[str, str]:
    """`/version` of the daemon serving this store, else of the control plane in process."""
    from minikubectl.client import Client

    served = Client().served
    if served is None:
        from controlplane.models.version import version_info

        return version_info()
    return {str(k): str(v) for k, v in served.request("GET", "/version").items()}


def version(
    client: Annotated[
        bool, typer.Option("--client/--no-client", help="If true, shows client version only.")
    ] = False,
    output: Annotated[str, typer.Option("--output", "-o", help="One of 'yaml' or 'json'.")] = "",
) -> None:
    """Print the client and server version information for the current context.

    Examples:
      mkctl version
      mkctl version --client
      mkctl version -o json
    """
    if output not in ("", "yaml", "json"):
        raise CliError("--output must be 'yaml' or 'json'")
    info: dict[str, object] = {"clientVersion": client_version()}
    if not client:
        info["serverVersion"] = server_version()
    if output == "json":
        out(json.dumps(info, indent=2) + "\n")
    elif output == "yaml":
        from minikubectl.printers.formats import to_yaml

        out(to_yaml(info) + "\n")
    else:
        out(client_version_line())
        if "serverVersion" in info:
            out(f"Server Version: {info['serverVersion']['gitVersion']}\n")  # type: ignore[index]
