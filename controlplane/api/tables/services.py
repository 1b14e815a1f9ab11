"""Table columns and cells of Services, Endpoints and EndpointSlices, as
pkg/printers/internalversion/printers.go (AddHandlers, printService, getServiceExternalIP,
makePortString, printEndpoints, formatEndpoints, printEndpointSlice, formatDiscoveryPorts,
formatDiscoveryEndpoints) prints them. Cells are computed as the API server computes them,
wide (`Selector` is a priority-1 column kubectl shows with `-o wide`).
"""

from __future__ import annotations

from typing import Any

from controlplane.api.tables.columns import AGE, NAME, WIDE, ColumnDefinition, name_and_age
from controlplane.models.constants import Obj
from controlplane.models.selectors import labels_to_string

# staging/src/k8s.io/api/core/v1/types_swagger_doc_generated.go (ServiceSpec, Endpoints) and
# staging/src/k8s.io/api/discovery/v1/types_swagger_doc_generated.go (EndpointSlice).
_TYPE = (
    "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are "
    'ExternalName, ClusterIP, NodePort, and LoadBalancer. "ClusterIP" allocates a cluster-'
    "internal IP address for load-balancing to endpoints. Endpoints are determined by the "
    "selector or if that is not specified, by manual construction of an Endpoints object or "
    'EndpointSlice objects. If clusterIP is "None", no virtual IP is allocated and the '
    'endpoints are published as a set of endpoints rather than a virtual IP. "NodePort" '
    "builds on ClusterIP and allocates a port on every node which routes to the same "
    'endpoints as the clusterIP. "LoadBalancer" builds on NodePort and creates an external '
    "load-balancer (if supported in the current cloud) which routes to the same endpoints as "
    'the clusterIP. "ExternalName" aliases this service to the specified externalName. '
    "Several other fields do not apply to ExternalName services. More info: "
    "https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-"
    "service-types"
)
_CLUSTER_IP = (
    "clusterIP is the IP address of the service and is usually assigned randomly. If an "
    "address is specified manually, is in-range (as per system configuration), and is not in "
    "use, it will be allocated to the service; otherwise creation of the service will fail. "
    "This field may not be changed through updates unless the type field is also being "
    "changed to ExternalName (which requires this field to be blank) or the type field is "
    "being changed from ExternalName (in which case this field may optionally be specified, "
    'as describe above).  Valid values are "None", empty string (""), or a valid IP address. '
    'Setting this to "None" makes a "headless service" (no virtual IP), which is useful when '
    "direct endpoint connections are preferred and proxying is not required.  Only applies to"
    " types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a"
    " Service of type ExternalName, creation will fail. This field will be wiped when "
    "updating a Service to type ExternalName. More info: "
    "https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-"
    "service-proxies"
)
_EXTERNAL_IPS = (
    "externalIPs is a list of IP addresses for which nodes in the cluster will also accept "
    "traffic for this service.  These IPs are not managed by Kubernetes.  The user is "
    "responsible for ensuring that traffic arrives at a node with this IP.  A common example "
    "is external load-balancers that are not part of the Kubernetes system."
)
_PORTS = (
    "The list of ports that are exposed by this service. More info: "
    "https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-"
    "service-proxies"
)
_SELECTOR = (
    "Route service traffic to pods with label keys and values matching this selector. If "
    "empty or not present, the service is assumed to have an external process managing its "
    "endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, "
    "and LoadBalancer. Ignored if type is ExternalName. More info: "
    "https://kubernetes.io/docs/concepts/services-networking/service/"
)
_SUBSETS = (
    "The set of all endpoints is the union of all subsets. Addresses are placed into subsets "
    "according to the IPs they share. A single address with multiple ports, some of which are"
    " ready and some of which are not (because they come from different containers) will "
    "result in the address being displayed in different subsets for the different ports. No "
    "address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of "
    "addresses and ports that comprise a service."
)
_ADDRESS_TYPE = (
    "addressType specifies the type of address carried by this EndpointSlice. All addresses "
    "in this slice must be the same type. This field is immutable after creation. The "
    "following address types are currently supported: * IPv4: Represents an IPv4 Address. * "
    "IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name. "
    "(Deprecated) The EndpointSlice controller only generates, and kube-proxy only processes,"
    ' slices of addressType "IPv4" and "IPv6". No semantics are defined for the "FQDN" type.'
)
_SLICE_PORTS = (
    "ports specifies the list of network ports exposed by each endpoint in this slice. Each "
    "port must have a unique name. Each slice may include a maximum of 100 ports. Services "
    "always have at least 1 port, so EndpointSlices generated by the EndpointSlice controller"
    " will likewise always have at least 1 port. EndpointSlices used for other purposes may "
    "have an empty ports list."
)
_SLICE_ENDPOINTS = (
    "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum "
    "of 1000 endpoints."
)

SERVICE_COLUMNS = (
    NAME,
    ColumnDefinition("Type", _TYPE),
    ColumnDefinition("Cluster-IP", _CLUSTER_IP),
    ColumnDefinition("External-IP", _EXTERNAL_IPS),
    ColumnDefinition("Port(s)", _PORTS),
    AGE,
    ColumnDefinition("Selector", _SELECTOR, priority=WIDE),
)
ENDPOINTS_COLUMNS = (NAME, ColumnDefinition("Endpoints", _SUBSETS), AGE)
ENDPOINT_SLICE_COLUMNS = (
    NAME,
    ColumnDefinition("AddressType", _ADDRESS_TYPE),
    ColumnDefinition("Ports", _SLICE_PORTS),
    ColumnDefinition("Endpoints", _SLICE_ENDPOINTS),
    AGE,
)
_MAX_LISTED = 3


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def port_string(ports: list[dict[str, Any]]) -> str:
    """makePortString: `80/TCP`, `80:30080/TCP` when a node port is allocated."""
    pieces = []
    for port in ports:
        node_port = port.get("nodePort") or 0
        middle = f":{node_port}" if node_port > 0 else ""
        pieces.append(f"{port.get('port', 0)}{middle}/{port.get('protocol', '')}")
    return ",".join(pieces)


def _load_balancer_ips(service: Obj) -> list[str]:
    """loadBalancerStatusStringer (wide): each ingress's IP, else its hostname."""
    ingress = _dicts(((service.get("status") or {}).get("loadBalancer") or {}).get("ingress"))
    return [
        i.get("ip") or i.get("hostname") or "" for i in ingress if i.get("ip") or i.get("hostname")
    ]


def external_ip(service: Obj) -> str:
    """getServiceExternalIP: `<none>`, `<pending>` for a LoadBalancer with no ingress yet."""
    spec = service.get("spec") or {}
    external = [str(ip) for ip in spec.get("externalIPs") or []]
    kind = spec.get("type")
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if kind == "LoadBalancer":
        found = _load_balancer_ips(service) + external
        return ",".join(found) if found else "<pending>"
    if kind == "ExternalName":
        return str(spec.get("externalName") or "")
    return "<unknown>"


def service_cells(service: Obj, now: float) -> list[str | int]:
    """printService, wide."""
    name, created = name_and_age(service, now)
    spec = service.get("spec") or {}
    cluster_ips = spec.get("clusterIPs") or []
    ports = port_string(_dicts(spec.get("ports"))) or "<none>"
    selector = labels_to_string(spec.get("selector") or {})
    return [
        name,
        str(spec.get("type") or ""),
        str(cluster_ips[0]) if cluster_ips else "<none>",
        external_ip(service),
        ports,
        created,
        selector,
    ]


def _join_host_port(ip: str, port: Any) -> str:
    """net.JoinHostPort: IPv6 addresses in brackets."""
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def format_endpoints(endpoints: Obj) -> str:
    """formatEndpoints: the first three ready `ip:port`s and `+ N more...`."""
    subsets = _dicts(endpoints.get("subsets"))
    if not subsets:
        return "<none>"
    listed: list[str] = []
    count = 0
    for subset in subsets:
        addresses = [str(a.get("ip") or "") for a in _dicts(subset.get("addresses"))]
        # A headless Service may have no ports: its addresses are listed bare.
        numbers = [p.get("port") for p in _dicts(subset.get("ports"))] or [None]
        for number in numbers:
            count += len(addresses)
            for ip in addresses:
                if len(listed) < _MAX_LISTED:
                    listed.append(ip if number is None else _join_host_port(ip, number))
    text = ",".join(listed)
    return f"{text} + {count - _MAX_LISTED} more..." if count > _MAX_LISTED else text


def endpoints_cells(endpoints: Obj, now: float) -> list[str | int]:
    name, created = name_and_age(endpoints, now)
    return [name, format_endpoints(endpoints), created]


def _list_with_more(listed: list[str], count: int) -> str:
    """listWithMoreString."""
    text = ",".join(listed[:_MAX_LISTED])
    if count > _MAX_LISTED:
        return f"{text} + {count - _MAX_LISTED} more..."
    return text or "<unset>"


def endpoint_slice_cells(endpoint_slice: Obj, now: float) -> list[str | int]:
    """printEndpointSlice: ports (a name when unnumbered, else `*`) and addresses."""
    name, created = name_and_age(endpoint_slice, now)
    ports = [
        str(p["port"]) if p.get("port") is not None else str(p.get("name") or "*")
        for p in _dicts(endpoint_slice.get("ports"))
    ]
    addresses = [
        str(address)
        for endpoint in _dicts(endpoint_slice.get("endpoints"))
        for address in endpoint.get("addresses") or []
    ]
    return [
        name,
        str(endpoint_slice.get("addressType") or ""),
        _list_with_more(ports, len(ports)),
        _list_with_more(addresses, len(addresses)),
        created,
    ]
