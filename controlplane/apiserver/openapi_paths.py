"""The OpenAPI v3 document of one group version: the operations of every served kind and the
schemas they name, as kube-apiserver's installer describes its routes (staging/src/k8s.io/
apiserver/pkg/endpoints/installer.go `registerResourceHandlers`; operation ids as
staging/src/k8s.io/apiserver/pkg/endpoints/openapi/openapi.go makes them): per resource a
collection path, an item path, its subresources, the all-namespaces list and the deprecated
`watch/` paths, each operation with the parameters it takes.

What kubectl reads here (staging/src/k8s.io/cli-runtime/pkg/resource/
query_param_verifier_v3.go, staging/src/k8s.io/kubectl/pkg/cmd/apply/patcher.go,
staging/src/k8s.io/kubectl/pkg/explain/v2): the PATCH operation of each kind, found by its
`x-kubernetes-group-version-kind`, with a `fieldValidation` query parameter (so validation is
left to the server) and a strategic-merge-patch request body (so apply computes its patch
from the schemas' `x-kubernetes-patch-merge-key`s); and the component schemas. Only what
mkctl writes is listed as content (JSON), and only the patch types it applies.
"""

from __future__ import annotations

from controlplane.api import openapi
from controlplane.api.registry import KindInfo, Subresource
from controlplane.apiserver.discovery import resources_of
from controlplane.apiserver.handlers import PATCH_TYPES
from controlplane.apiserver.paths import group_version_prefix
from controlplane.models.constants import Obj
from controlplane.models.version import GIT_VERSION

META = "io.k8s.apimachinery.pkg.apis.meta.v1."
LIST_PARAMS = (
    "allowWatchBookmarks",
    "continue",
    "fieldSelector",
    "labelSelector",
    "limit",
    "resourceVersion",
    "resourceVersionMatch",
    "sendInitialEvents",
    "timeoutSeconds",
    "watch",
)
WRITE_PARAMS = ("dryRun", "fieldManager", "fieldValidation")
PATCH_PARAMS = ("dryRun", "fieldManager.patch", "fieldValidation", "force")
DELETE_PARAMS = (
    "dryRun",
    "gracePeriodSeconds",
    "ignoreStoreReadErrorWithClusterBreakingPotential",
    "orphanDependents",
    "propagationPolicy",
)
DELETE_COLLECTION_PARAMS = tuple(
    sorted({*DELETE_PARAMS, *LIST_PARAMS} - {"allowWatchBookmarks", "watch"})
)
OBJECT_TYPES = ("application/json",)
STREAM_TYPES = ("application/json", "application/json;stream=watch")


def _a(kind: str) -> str:
    """`a Deployment`, `an Event`: the article the generated descriptions use."""
    return f"an {kind}" if kind[0] in "AEIOU" else f"a {kind}"


def _ref(name: str) -> Obj:
    return {"$ref": openapi.REF_PREFIX + name}


def _parameter(key: str, where: str = "query") -> Obj:
    known = openapi.parameters()[key]
    param: Obj = {"description": known["description"], "in": where}
    param["name"] = key.partition(".")[0]
    if where == "path":
        param["required"] = True
    param["schema"] = {"type": known["type"], "uniqueItems": True}
    return param


def _name_parameter(kind: str) -> Obj:
    return {
        "description": f"name of the {kind}",
        "in": "path",
        "name": "name",
        "required": True,
        "schema": {"type": "string", "uniqueItems": True},
    }


def _content(schema: str, types: tuple[str, ...] = OBJECT_TYPES) -> Obj:
    return {t: {"schema": _ref(schema)} for t in types}


def _responses(schema: str, codes: dict[str, str], types: tuple[str, ...] = OBJECT_TYPES) -> Obj:
    found: Obj = {
        code: {"content": _content(schema, types), "description": text}
        for code, text in codes.items()
    }
    found["401"] = {"description": "Unauthorized"}
    return found


class _Builder:
    """The operations of one kind: its names, schemas and the group version's tag."""

    def __init__(self, info: KindInfo) -> None:
        self.info = info
        group = info.group or "core"
        self.tag = f"{group.split('.')[0]}_{info.version}"
        self.gv_name = group.split(".")[0].capitalize() + info.version.capitalize()
        self.schema = self._schema(info.api_version, info.kind)

    @staticmethod
    def _schema(api_version: str, kind: str) -> str:
        group, _, version = api_version.rpartition("/")
        name = openapi.root_for(group, kind, version)
        if name is None:
            raise LookupError(f"no schema for {api_version} {kind}")
        return name

    def operation(
        self,
        action: str,
        verb: str,
        description: str,
        params: tuple[str, ...],
        responses: Obj,
        body: Obj | None = None,
        sub: Subresource | None = None,
        suffix: str = "",
    ) -> Obj:
        scope = "Namespaced" if self.info.namespaced and "AllNamespaces" not in suffix else ""
        sub_name = sub.name.capitalize() if sub else ""
        op: Obj = {
            "description": description,
            "operationId": f"{verb}{self.gv_name}{scope}{self.info.kind}{sub_name}{suffix}",
        }
        if params:
            op["parameters"] = [_parameter(p) for p in params]
        if body is not None:
            op["requestBody"] = {"content": body, "required": True}
        op["responses"] = responses
        op["tags"] = [self.tag]
        op["x-kubernetes-action"] = action
        group, _, version = (
            (sub.response_api_version if sub and sub.response_api_version else "")
            or self.info.api_version
        ).rpartition("/")
        kind = (sub.response_kind if sub else "") or self.info.kind
        op["x-kubernetes-group-version-kind"] = {"group": group, "kind": kind, "version": version}
        return op

    def paths(self) -> dict[str, Obj]:
        info, kind, schema = self.info, self.info.kind, self.schema
        prefix = group_version_prefix(info.api_version)
        scoped = f"{prefix}/namespaces/{{namespace}}" if info.namespaced else prefix
        base = [_parameter("namespace", "path")] if info.namespaced else []
        pretty = _parameter("pretty")
        list_schema = self._schema(info.api_version, f"{kind}List")
        status = META + "Status"
        found: dict[str, Obj] = {}
        collection: Obj = {
            "get": self._list(list_schema),
            "parameters": [*base, pretty],
            "post": self._create(schema, f"create {_a(kind)}"),
        }
        if "deletecollection" in info.verbs:
            collection["delete"] = self.operation(
                "deletecollection",
                "deleteCollection",
                f"delete collection of {kind}",
                DELETE_COLLECTION_PARAMS,
                _responses(status, {"200": "OK"}),
                {"*/*": {"schema": _ref(META + "DeleteOptions")}},
            )
        found[f"{scoped}/{info.plural}"] = collection
        deleted = schema if info.kind == "Pod" else status
        found[f"{scoped}/{info.plural}/{{name}}"] = {
            "delete": self.operation(
                "delete",
                "delete",
                f"delete {_a(kind)}",
                DELETE_PARAMS,
                _responses(deleted, {"200": "OK", "202": "Accepted"}),
                {"*/*": {"schema": _ref(META + "DeleteOptions")}},
            ),
            "get": self._read(schema, f"read the specified {kind}"),
            "parameters": [_name_parameter(kind), *base, pretty],
            "patch": self._patch(schema, f"partially update the specified {kind}"),
            "put": self._put(schema, f"replace the specified {kind}"),
        }
        for sub in sorted(info.subresources, key=lambda s: s.name):
            found[f"{scoped}/{info.plural}/{{name}}/{sub.name}"] = self._subresource(sub, base)
        if info.namespaced:
            found[f"{prefix}/{info.plural}"] = {
                "get": self._list(list_schema, "ForAllNamespaces"),
                "parameters": [pretty],
            }
        return found | self._watch_paths(prefix, base)

    def _list(self, list_schema: str, suffix: str = "") -> Obj:
        return self.operation(
            "list",
            "list",
            f"list or watch objects of kind {self.info.kind}",
            LIST_PARAMS,
            _responses(list_schema, {"200": "OK"}, STREAM_TYPES),
            suffix=suffix,
        )

    def _create(self, schema: str, description: str, sub: Subresource | None = None) -> Obj:
        return self.operation(
            "post",
            "create",
            description,
            WRITE_PARAMS,
            _responses(schema, {"200": "OK", "201": "Created", "202": "Accepted"}),
            {"*/*": {"schema": _ref(schema)}},
            sub,
        )

    def _read(self, schema: str, description: str, sub: Subresource | None = None) -> Obj:
        return self.operation(
            "get", "read", description, (), _responses(schema, {"200": "OK"}), sub=sub
        )

    def _patch(self, schema: str, description: str, sub: Subresource | None = None) -> Obj:
        body = {t: {"schema": _ref(META + "Patch")} for t in sorted(PATCH_TYPES)}
        return self.operation(
            "patch",
            "patch",
            description,
            PATCH_PARAMS,
            _responses(schema, {"200": "OK", "201": "Created"}),
            body,
            sub,
        )

    def _put(self, schema: str, description: str, sub: Subresource | None = None) -> Obj:
        return self.operation(
            "put",
            "replace",
            description,
            WRITE_PARAMS,
            _responses(schema, {"200": "OK", "201": "Created"}),
            {"*/*": {"schema": _ref(schema)}},
            sub,
        )

    def _subresource(self, sub: Subresource, base: list[Obj]) -> Obj:
        kind, name = self.info.kind, sub.name
        schema = self._schema(
            sub.response_api_version or self.info.api_version, sub.response_kind or kind
        )
        item: Obj = {"parameters": [_name_parameter(sub.response_kind or kind), *base]}
        if "create" in sub.verbs:
            item["post"] = self._create(schema, f"create {name} of {_a(kind)}", sub)
        if "get" in sub.verbs:
            item["get"] = self._read(schema, f"read {name} of the specified {kind}", sub)
        item["parameters"].append(_parameter("pretty"))
        if "patch" in sub.verbs:
            item["patch"] = self._patch(
                schema, f"partially update {name} of the specified {kind}", sub
            )
        if "update" in sub.verbs:
            item["put"] = self._put(schema, f"replace {name} of the specified {kind}", sub)
        return item

    def _watch_paths(self, prefix: str, base: list[Obj]) -> dict[str, Obj]:
        """The deprecated `watch/` paths, which installer.go still registers; their
        parameters are the list's, the path's and `pretty`, sorted by name."""
        info, kind = self.info, self.info.kind
        scoped = (
            f"{prefix}/watch/namespaces/{{namespace}}" if info.namespaced else f"{prefix}/watch"
        )
        deprecated = "deprecated: use the 'watch' parameter with a list operation instead"
        one = (
            f"watch changes to an object of kind {kind}. {deprecated}, filtered to a single item "
            "with the 'fieldSelector' parameter."
        )
        many = f"watch individual changes to a list of {kind}. {deprecated}."

        def watch(action: str, text: str, suffix: str, *path: Obj) -> Obj:
            params = [*path, *(_parameter(p) for p in (*LIST_PARAMS, "pretty"))]
            return {
                "get": self.operation(
                    action,
                    "watch",
                    text,
                    (),
                    _responses(META + "WatchEvent", {"200": "OK"}, STREAM_TYPES),
                    suffix=suffix,
                ),
                "parameters": sorted(params, key=lambda p: str(p["name"])),
            }

        found = {
            f"{scoped}/{info.plural}": watch("watchlist", many, "List", *base),
            f"{scoped}/{info.plural}/{{name}}": watch(
                "watch", one, "", _name_parameter(kind), *base
            ),
        }
        if info.namespaced:
            found[f"{prefix}/watch/{info.plural}"] = watch(
                "watchlist", many, "ListForAllNamespaces"
            )
        return found


def group_version_document(api_version: str) -> Obj:
    """The whole document of one group version: its paths and every schema they name."""
    paths: dict[str, Obj] = {
        group_version_prefix(api_version) + "/": {
            "get": {
                "description": "get available resources",
                "operationId": f"get{_Builder(resources_of(api_version)[0]).gv_name}APIResources",
                "responses": _responses(META + "APIResourceList", {"200": "OK"}),
                "tags": [_Builder(resources_of(api_version)[0]).tag],
            }
        }
    }
    for info in resources_of(api_version):
        paths |= _Builder(info).paths()
    roots = {r["$ref"].removeprefix(openapi.REF_PREFIX) for r in _all_refs(paths)}
    return {
        "components": {
            "schemas": {n: openapi.schemas()[n] for n in openapi.referenced(roots)},
            "securitySchemes": {
                "BearerToken": {
                    "description": "Bearer Token authentication",
                    "in": "header",
                    "name": "authorization",
                    "type": "apiKey",
                }
            },
        },
        "info": {"title": "Kubernetes", "version": GIT_VERSION},
        "openapi": "3.0.0",
        "paths": dict(sorted(paths.items())),
        "security": [{"BearerToken": []}],
    }


def _all_refs(node: object) -> list[Obj]:
    if isinstance(node, dict):
        own = [node] if "$ref" in node else []
        return own + [r for v in node.values() for r in _all_refs(v)]
    if isinstance(node, list):
        return [r for item in node for r in _all_refs(item)]
    return []
