"""What a request asks to do, in the terms an authorizer decides on: verb, API group,
resource and subresource, namespace and name; or a verb on a path that names no resource.

After `RequestInfoFactory.NewRequestInfo` (staging/src/k8s.io/apiserver/pkg/endpoints/
request/requestinfo.go), so that mkctl refuses exactly what kube-apiserver refuses:

- a path shorter than `/api/v1/RESOURCE` or `/apis/GROUP/VERSION/RESOURCE` (discovery,
  `/version`, `/openapi/v2`) is not a resource request, and its verb is the HTTP method in
  lower case;
- the HTTP method is the verb (`POST` create, `GET` get, `PUT` update, `PATCH` patch,
  `DELETE` delete), except that a GET without a name is a `list`, or a `watch` when the
  query says `watch=true`, and a DELETE without a name a `deletecollection`;
- `/api/v1/namespaces/NS` is the namespace NS itself, in the namespace NS (so a user who may
  read one namespace may read its own Namespace object);
- a list or watch with `fieldSelector=metadata.name=X` names X, as `kubectl get -w pod X`
  sends it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from controlplane.apiserver.exchange import Request

# requestinfo.go: namespaceSubresources, the subresources of a Namespace itself.
NAMESPACE_SUBRESOURCES = frozenset({"status", "finalize"})
HTTP_VERBS = {"POST": "create", "GET": "get", "HEAD": "get", "PUT": "update", "PATCH": "patch"}
TRUE = frozenset({"1", "t", "T", "true", "TRUE", "True"})  # Go's strconv.ParseBool


@dataclass(frozen=True)
class Attributes:
    """authorizer.Attributes (staging/src/k8s.io/apiserver/pkg/authorization/authorizer/
    interfaces.go) of one request, without the user."""

    verb: str
    path: str
    resource_request: bool = False
    api_group: str = ""
    api_version: str = ""
    resource: str = ""
    subresource: str = ""
    namespace: str = ""
    name: str = ""

    @property
    def resource_and_subresource(self) -> str:
        """`pods`, `pods/log`: what RBAC rules name and what messages say."""
        return f"{self.resource}/{self.subresource}" if self.subresource else self.resource


def request_attributes(request: Request) -> Attributes:
    """`NewRequestInfo` of `request`."""
    parts = [unquote(p) for p in request.path.split("/") if p]
    non_resource = Attributes(request.verb.lower(), request.path)
    if len(parts) < 3 or parts[0] not in ("api", "apis"):
        return non_resource
    group = ""
    rest = parts[1:]
    if parts[0] == "apis":
        if len(rest) < 3:
            return non_resource
        group, rest = rest[0], rest[1:]
    version, rest = rest[0], rest[1:]
    verb = HTTP_VERBS.get(request.verb, "delete" if request.verb == "DELETE" else "")
    namespace = ""
    if rest[0] == "namespaces" and len(rest) > 1:
        namespace = rest[1]
        if len(rest) > 2 and rest[2] not in NAMESPACE_SUBRESOURCES:
            rest = rest[2:]
    resource, name, subresource = [*rest, "", "", ""][:3]
    if not name and verb == "get":
        verb = "watch" if (request.first("watch") or "") in TRUE else "list"
        name = _name_selected(request.first("fieldSelector") or "")
    if not name and verb == "delete":
        verb = "deletecollection"
    return Attributes(
        verb, request.path, True, group, version, resource, subresource, namespace, name
    )


def _name_selected(field_selector: str) -> str:
    """The X of a field selector that requires `metadata.name=X` (`RequiresExactMatch`)."""
    for term in field_selector.split(","):
        key, _, value = term.partition("==" if "==" in term else "=")
        if key.strip() == "metadata.name" and value and "!" not in key:
            return value.strip()
    return ""
