"""`create service clusterip|nodeport|loadbalancer|externalname NAME`: the Service kubectl's
generator makes (staging/src/k8s.io/kubectl/pkg/cmd/create/create_service.go: Validate,
createService, parsePorts), selecting pods labelled `app=NAME`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from controlplane.models.constants import Obj
from minikubectl.commands.options import Namespace, Validate
from minikubectl.errors import CliError
from minikubectl.intflags import INT

app = typer.Typer(help="Create a service using a specified subcommand.", no_args_is_help=True)

Tcp = Annotated[
    list[str] | None,
    typer.Option("--tcp", help="Port pairs can be specified as '<port>:<targetPort>'."),
]
DryRunFlag = Annotated[
    str,
    typer.Option("--dry-run", help='"none", "server", or "client": only show what would be made.'),
]
OutputFlag = Annotated[
    str, typer.Option("--output", "-o", help="Output format: yaml, json or name.")
]
Names = Annotated[list[str] | None, typer.Argument(help="The name of the new Service.")]


def _port_number(text: str) -> int:
    """utilsnet.ParsePort(text, allowZero=true): Go's strconv.ParseUint(text, 10, 16)."""
    if not text.isdigit():
        raise CliError(f'strconv.ParseUint: parsing "{text}": invalid syntax')
    if int(text) > 65535:
        raise CliError(f'strconv.ParseUint: parsing "{text}": value out of range')
    return int(text)


def parse_ports(spec: str) -> tuple[int, int | str]:
    """parsePorts: `80`, `80:8080` or `80:http`."""
    from controlplane.api.validation.pods import port_name_errors

    parts = spec.split(":")
    port = _port_number(parts[0])
    if len(parts) == 1:
        return port, port
    target = parts[1]
    if target.lstrip("-").isdigit():
        number = int(target)
        if not 1 <= number <= 65535:
            raise CliError("must be between 1 and 65535, inclusive")
        return port, number
    problems = port_name_errors(target)
    if problems:
        raise CliError(",".join(problems))
    return port, target


def service_object(
    name: str,
    service_type: str,
    tcp: list[str],
    *,
    cluster_ip: str = "",
    node_port: int = 0,
    external_name: str = "",
) -> Obj:
    """createService, in the Go types' field order (what `-o json` prints)."""
    ports: list[dict[str, Any]] = []
    for spec in [p for given in tcp for p in given.split(",")]:
        port, target = parse_ports(spec)
        entry: dict[str, Any] = {
            "name": spec.replace(":", "-"),
            "protocol": "TCP",
            "port": port,
            "targetPort": target,
        }
        if node_port:
            entry["nodePort"] = node_port
        ports.append(entry)
    spec_: dict[str, Any] = {}
    if ports:
        spec_["ports"] = ports
    spec_["selector"] = {"app": name}
    if cluster_ip:
        spec_["clusterIP"] = cluster_ip
    spec_["type"] = service_type
    if external_name:
        spec_["externalName"] = external_name
    return {
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": spec_,
        "status": {"loadBalancer": {}},
    }


def _validate(service_type: str, tcp: list[str], cluster_ip: str, external_name: str) -> None:
    """ServiceOptions.Validate."""
    from controlplane.models.identifiers import dns1123_subdomain_errors

    if cluster_ip == "None" and service_type != "ClusterIP":
        raise CliError("ClusterIP=None can only be used with ClusterIP service type")
    if cluster_ip != "None" and not tcp and service_type != "ExternalName":
        raise CliError("at least one tcp port specifier must be provided")
    if service_type == "ExternalName" and dns1123_subdomain_errors(external_name):
        raise CliError(f"invalid service external name {external_name}")


def _create(
    names: list[str] | None,
    service_type: str,
    tcp: list[str] | None,
    namespace: str | None,
    dry_run: str,
    output: str,
    validate: str,
    **fields: Any,
) -> None:
    from controlplane.api.errors import ApiError
    from minikubectl.commands import generated

    name = generated.one_name(names, f"service {service_type.lower()}")
    output = generated.dry_run_and_output(dry_run, output)
    _validate(
        service_type, tcp or [], fields.get("cluster_ip", ""), fields.get("external_name", "")
    )
    obj = service_object(name, service_type, tcp or [], **fields)
    try:
        generated.create_generated(obj, "service", dry_run, output, namespace, validate=validate)
    except ApiError as exc:
        raise CliError(f"failed to create {service_type} service: {exc.message}") from exc


@app.command("clusterip")
def clusterip(
    names: Names = None,
    tcp: Tcp = None,
    cluster_ip: Annotated[
        str,
        typer.Option(
            "--clusterip",
            help="Assign your own ClusterIP or set to 'None' for a 'headless' service "
            "(no loadbalancing).",
        ),
    ] = "",
    namespace: Namespace = None,
    dry_run: DryRunFlag = "none",
    output: OutputFlag = "",
    validate: Validate = "strict",
) -> None:
    """Create a ClusterIP service with the specified name.

    Examples:
      mkctl create service clusterip my-cs --tcp=5678:8080
      mkctl create service clusterip my-cs --clusterip="None"
    """
    _create(names, "ClusterIP", tcp, namespace, dry_run, output, validate, cluster_ip=cluster_ip)


@app.command("nodeport")
def nodeport(
    names: Names = None,
    tcp: Tcp = None,
    node_port: Annotated[
        int,
        typer.Option(
            "--node-port",
            help="Port used to expose the service on each node in a cluster.",
            click_type=INT,
        ),
    ] = 0,
    namespace: Namespace = None,
    dry_run: DryRunFlag = "none",
    output: OutputFlag = "",
    validate: Validate = "strict",
) -> None:
    """Create a NodePort service with the specified name.

    Examples:
      mkctl create service nodeport my-ns --tcp=5678:8080
      mkctl create service nodeport web --tcp=80:80 --node-port=30080
    """
    _create(names, "NodePort", tcp, namespace, dry_run, output, validate, node_port=node_port)


@app.command("loadbalancer")
def loadbalancer(
    names: Names = None,
    tcp: Tcp = None,
    namespace: Namespace = None,
    dry_run: DryRunFlag = "none",
    output: OutputFlag = "",
    validate: Validate = "strict",
) -> None:
    """Create a LoadBalancer service with the specified name (its EXTERNAL-IP stays
    <pending>: mkctl's cluster has no cloud load balancer).

    Examples:
      mkctl create service loadbalancer my-lbs --tcp=5678:8080
    """
    _create(names, "LoadBalancer", tcp, namespace, dry_run, output, validate)


@app.command("externalname")
def externalname(
    names: Names = None,
    external_name: Annotated[
        str, typer.Option("--external-name", help="External name of service")
    ] = "",
    tcp: Tcp = None,
    namespace: Namespace = None,
    dry_run: DryRunFlag = "none",
    output: OutputFlag = "",
    validate: Validate = "strict",
) -> None:
    """Create an ExternalName service with the specified name.

    Examples:
      mkctl create service externalname my-ns --external-name bar.com
    """
    if not external_name:
        raise CliError('required flag(s) "external-name" not set')
    _create(
        names,
        "ExternalName",
        tcp,
        namespace,
        dry_run,
        output,
        validate,
        external_name=external_name,
    )
