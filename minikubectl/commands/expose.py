"""`expose TYPE NAME`: a Service for a Deployment, ReplicaSet, pod or Service, as kubectl
makes it (staging/src/k8s.io/kubectl/pkg/cmd/expose/expose.go, RunExpose and createService,
over pkg/polymorphichelpers: canbeexposed.go, mapbasedselectorforobject.go, portsforobject.go,
multiprotocolsforobject.go): the selector, ports, protocols and labels are the exposed
object's unless flags say otherwise."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from controlplane.models.constants import Obj
from minikubectl.commands.options import Namespace
from minikubectl.errors import CliError

_EXPOSABLE = ("Pod", "Service", "Deployment", "ReplicaSet")
_MAX_NAME = 63  # validation.DNS1035LabelMaxLength


def _template_spec(obj: Obj) -> dict[str, Any]:
    if obj["kind"] == "Pod":
        return obj.get("spec") or {}
    return ((obj.get("spec") or {}).get("template") or {}).get("spec") or {}


def selector_for(obj: Obj) -> dict[str, str]:
    """MapBasedSelectorForObjectFn: the labels a Service must select to reach the object's
    pods."""
    kind = obj["kind"]
    if kind == "Pod":
        labels = (obj.get("metadata") or {}).get("labels") or {}
        if not labels:
            raise CliError("the pod has no labels and cannot be exposed")
        return dict(labels)
    if kind == "Service":
        selector = (obj.get("spec") or {}).get("selector") or {}
        if not selector:
            raise CliError("the service has no pod selector set")
        return dict(selector)
    selector = (obj.get("spec") or {}).get("selector") or {}
    if selector.get("matchExpressions"):
        raise CliError(
            f'couldn\'t convert expressions - "{selector["matchExpressions"]}" to map-based '
            "selector format"
        )
    return dict(selector.get("matchLabels") or {})


def ports_for(obj: Obj) -> list[tuple[str, str]]:
    """PortsForObjectFn and MultiProtocolsForObjectFn: each port and its protocol."""
    if obj["kind"] == "Service":
        declared = (obj.get("spec") or {}).get("ports") or []
        return [(str(p.get("port")), p.get("protocol") or "TCP") for p in declared]
    return [
        (str(p.get("containerPort")), p.get("protocol") or "TCP")
        for container in _template_spec(obj).get("containers") or []
        for p in container.get("ports") or []
    ]


def _parse_labels(text: str) -> dict[str, str]:
    """parseLabels: `k=v,k2=v2`."""
    labels: dict[str, str] = {}
    for spec in text.split(","):
        parts = spec.split("=")
        if len(parts) != 2:
            raise CliError(f"unexpected label spec: {spec}")
        if not parts[0]:
            raise CliError("unexpected empty label key")
        labels[parts[0]] = parts[1]
    return labels


def _target_port(text: str) -> int | str:
    """intstr.Parse: a number if it is one."""
    try:
        return int(text)
    except ValueError:
        return text


def _service_ports(port_text: str, protocol: str, protocols: dict[str, list[str]]) -> list[Obj]:
    """createService's loop over the ports: `port-N` names when there are several, each
    port's protocol from the exposed object unless --protocol says."""
    specs = port_text.split(",") if port_text else []
    ports: list[Obj] = []
    for i, text in enumerate(specs):
        try:
            number = int(text)
        except ValueError as exc:
            raise CliError(f'strconv.Atoi: parsing "{text}": invalid syntax') from exc
        name = f"port-{i + 1}" if len(specs) > 1 else ""
        chosen = protocol or "TCP"
        found = protocols.get(text, [])
        if not protocol and len(found) > 1:
            for each in found:
                ports.append(
                    {"name": f"port-{i + 1}-{each.lower()}", "protocol": each, "port": number}
                )
            continue
        if not protocol and len(found) == 1:
            chosen = found[0]
        port: Obj = {"name": name} if name else {}
        ports.append({**port, "protocol": chosen, "port": number})
    return ports


def expose_object(obj: Obj, flags: dict[str, str]) -> Obj:
    """RunExpose's derivations, then createService, in the Go types' field order."""
    selector = _parse_labels(flags["selector"]) if flags["selector"] else selector_for(obj)
    if not selector:
        raise CliError("selector must be specified")
    port_text = flags["port"]
    if not port_text:
        # getPorts, getServicePorts: each port once
        found = list(dict.fromkeys(port for port, _ in ports_for(obj)))
        if not found and flags["cluster_ip"] != "None":
            raise CliError("couldn't find port via --port flag or introspection")
        port_text = ",".join(found)
    protocols: dict[str, list[str]] = {}
    for port, protocol in ports_for(obj):
        protocols.setdefault(port, []).append(protocol)
    meta = obj.get("metadata") or {}
    labels = _parse_labels(flags["labels"]) if flags["labels"] else dict(meta.get("labels") or {})
    ports = _service_ports(port_text, flags["protocol"], protocols)
    target = _target_port(flags["target_port"]) if flags["target_port"] else None
    for service_port in ports:
        service_port["targetPort"] = service_port["port"] if target is None else target
    metadata: Obj = {"name": flags["name"] or str(meta.get("name", ""))[:_MAX_NAME]}
    if labels:
        metadata["labels"] = dict(sorted(labels.items()))
    spec: Obj = {}
    if ports:
        spec["ports"] = ports
    spec["selector"] = dict(sorted(selector.items()))
    if flags["cluster_ip"]:
        spec["clusterIP"] = flags["cluster_ip"]
    if flags["type"]:
        spec["type"] = flags["type"]
    if flags["external_ip"]:
        spec["externalIPs"] = [flags["external_ip"]]
    affinity = flags["session_affinity"]
    if affinity:
        if affinity not in ("None", "ClientIP"):
            raise CliError(f"unknown session affinity: {affinity}")
        spec["sessionAffinity"] = affinity
    if flags["type"] == "LoadBalancer" and flags["load_balancer_ip"]:
        spec["loadBalancerIP"] = flags["load_balancer_ip"]
    return {
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": metadata,
        "spec": spec,
        "status": {"loadBalancer": {}},
    }


def _option(name: str, help_: str) -> Any:
    return typer.Option("", name, help=help_)


def expose(
    args: Annotated[
        list[str] | None, typer.Argument(help="TYPE NAME or TYPE/NAME of what to expose.")
    ] = None,
    port: str = _option(
        "--port",
        "The port that the service should serve on. Copied from the resource being exposed, "
        "if unspecified",
    ),
    target_port: str = _option(
        "--target-port",
        "Name or number for the port on the container that the service should direct "
        "traffic to. Optional.",
    ),
    service_type: str = _option(
        "--type",
        "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default "
        "is 'ClusterIP'.",
    ),
    name: str = _option("--name", "The name for the newly created object."),
    protocol: str = _option(
        "--protocol", "The network protocol for the service to be created. Default is 'TCP'."
    ),
    selector: str = _option(
        "--selector",
        "A label selector to use for this service. Only equality-based selector requirements "
        "are supported. If empty (the default) infer the selector from the resource being "
        "exposed.",
    ),
    labels: str = typer.Option(
        "", "--labels", "-l", help="Labels to apply to the service created by this call."
    ),
    external_ip: str = _option(
        "--external-ip",
        "Additional external IP address (not managed by Kubernetes) to accept for the service.",
    ),
    cluster_ip: str = _option(
        "--cluster-ip",
        "ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to "
        "'None' to create a headless service.",
    ),
    session_affinity: str = _option(
        "--session-affinity",
        "If non-empty, set the session affinity for the service to this; legal values: "
        "'None', 'ClientIP'",
    ),
    load_balancer_ip: str = _option(
        "--load-balancer-ip", "IP to assign to the LoadBalancer (mkctl assigns none)."
    ),
    namespace: Namespace = None,
    dry_run: str = typer.Option(
        "none", "--dry-run", help='"none", "server", or "client": only show what would be made.'
    ),
    output: str = typer.Option("", "--output", "-o", help="Output format: yaml, json or name."),
) -> None:
    """Expose a resource as a new Kubernetes service.

    Looks up a deployment, service, replica set or pod by name and uses its selector as the
    selector of a new Service on the given port (by default, the ports it declares). The new
    Service takes the labels of what it exposes unless --labels says otherwise.

    Examples:
      mkctl expose deployment web --port=80 --target-port=8080
      mkctl expose deploy/web --port=80 --type=NodePort --name=web-public
      mkctl expose pod valid-pod --port=444 --name=frontend
      mkctl expose service nginx --port=443 --target-port=8443 --name=nginx-https
      mkctl expose rs nginx --port=80 --dry-run=client -o yaml
    """
    from minikubectl.client import Client
    from minikubectl.commands import generated
    from minikubectl.commands.builder import NOTHING_NAMED
    from minikubectl.resources import parse_targets

    output = generated.dry_run_and_output(dry_run, output)
    targets = parse_targets(args or [])
    if not targets:
        raise CliError(NOTHING_NAMED)
    info, object_name = targets[0]
    if object_name is None:
        raise CliError("resource(s) were provided, but no name was specified")
    client = Client(namespace)
    exposed = client.get(info, object_name)  # NotFound first, as the builder fetches first
    if info.kind not in _EXPOSABLE:
        raise CliError(f"cannot expose a {info.group_kind}")
    flags = {
        "port": port,
        "target_port": target_port,
        "type": service_type,
        "name": name,
        "protocol": protocol,
        "selector": selector,
        "labels": labels,
        "external_ip": external_ip,
        "cluster_ip": cluster_ip,
        "session_affinity": session_affinity,
        "load_balancer_ip": load_balancer_ip,
    }
    try:
        service = expose_object(exposed, flags)
    except CliError as exc:
        if not selector and str(exc).startswith(("the pod", "the service", "couldn't convert")):
            raise CliError(
                f"couldn't retrieve selectors via --selector flag or introspection: {exc}"
            ) from exc
        raise
    if dry_run == "client" and namespace is not None:
        service["metadata"] = {
            "name": service["metadata"]["name"],
            "namespace": client.namespace,
            **{k: v for k, v in service["metadata"].items() if k != "name"},
        }
    generated.create_generated(
        service,
        "service",
        dry_run,
        output,
        namespace,
        verb="exposed",
        field_manager="kubectl-expose",  # expose.go's default --field-manager
    )
