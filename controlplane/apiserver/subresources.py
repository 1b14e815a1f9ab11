"""The subresources of the served kinds: `/status`, `/scale` and `pods/{name}/eviction`.

* `/status` (GET, PUT, PATCH) reads the whole object and writes its status only: a spec
  change sent there is ignored, as the kinds' status strategies' PrepareForUpdate do.
* `/scale` (GET, PUT, PATCH) of deployments, replicasets, statefulsets and custom
  resources whose CRD asks for it speaks
  autoscaling/v1 `Scale` (pkg/registry/apps/deployment/storage/storage.go ScaleREST,
  scaleFromDeployment, scaleUpdatedObjectInfo; the replicaset and statefulset ones are the
  same): the object becomes a Scale, the request changes that Scale, and its spec.replicas and
  resourceVersion go back into the object, which is updated as any other; managedFields name
  the writer with `subresource: scale`, as the scale subresource's field manager records it
  (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager/scalehandler.go).
* `eviction` (POST of a policy/v1 or v1beta1 `Eviction`) deletes the pod with the Eviction's
  deleteOptions and answers `201` with a `Success` Status (pkg/registry/core/pod/storage/
  eviction.go EvictionREST.Create). mkctl has no PodDisruptionBudgets, so no eviction is
  ever refused for one.
"""

from __future__ import annotations

from typing import Any

from controlplane.api import errors
from controlplane.api.crd.scale import custom_scale, has_status, replicas_and_selector, set_replicas
from controlplane.api.errors import ApiError
from controlplane.api.field_validation import admit_body
from controlplane.api.jsonsyntax import go_type_name
from controlplane.api.verbs import Api
from controlplane.apiserver import bodies, options
from controlplane.apiserver.exchange import Query
from controlplane.apiserver.paths import Route
from controlplane.clock import rfc3339
from controlplane.models import selectors
from controlplane.models.clone import clone
from controlplane.models.constants import Kind, Obj

STATUS_KINDS = frozenset(
    {
        Kind.POD,
        Kind.DEPLOYMENT,
        Kind.REPLICA_SET,
        Kind.STATEFUL_SET,
        Kind.DAEMON_SET,
        Kind.NAMESPACE,
        Kind.NODE,
    }
)
SCALE_KINDS = frozenset({Kind.DEPLOYMENT, Kind.REPLICA_SET, Kind.STATEFUL_SET})
SCALE_VERSION = "autoscaling/v1"
EVICTION_VERSIONS = ("policy/v1", "policy/v1beta1")


def serves(route: Route) -> bool:
    kind = route.info.kind
    return bool(route.name) and (
        (route.subresource == "status" and (kind in STATUS_KINDS or has_status(kind)))
        or (
            route.subresource == "scale" and (kind in SCALE_KINDS or custom_scale(kind) is not None)
        )
        or (route.subresource == "eviction" and kind == Kind.POD)
    )


def handle(
    api: Api,
    verb: str,
    route: Route,
    query: Query,
    body: bytes,
    patch_type: str,
    field_manager: str = "",
) -> tuple[int, Obj] | None:
    """The answer of a subresource, or None for a verb it does not serve; `patch_type` is
    that of a PATCH's Content-Type, `field_manager` the writer (empty: the API's own)."""
    kind, namespace, name = route.info.kind, route.namespace or "", route.name
    if route.subresource == "eviction":
        return (201, evict(api, route, query, body)) if verb == "POST" else None
    if verb == "GET":
        obj = api.get(kind, namespace, name)
        return 200, scale_of(obj) if route.subresource == "scale" else obj
    if verb not in ("PUT", "PATCH"):
        return None
    write = options.write_options(verb, query)
    text = body.decode() if verb == "PATCH" else ""
    with api.batch():
        stored = api.get(kind, namespace, name)
        if route.subresource == "status":
            if verb == "PUT":
                new = _admitted(route, body, kind, route.info.api_version, write)
            else:
                new = api.patched(stored, text, patch_type, write.field_validation)
            return 200, api.update_status(new, dry_run=write.dry_run, field_manager=field_manager)
        old_scale = scale_of(stored)
        if verb == "PUT":
            new_scale = _admitted(route, body, "Scale", SCALE_VERSION, write)
        else:
            new_scale = api.patched(old_scale, text, patch_type, write.field_validation)
        scaled = _with_scale(route, stored, new_scale)
        from controlplane.api.managedfields import fieldmanager  # with the first write

        now = rfc3339(api.clock.now())
        fieldmanager.update(stored, scaled, field_manager or api.field_manager, now, "scale")
        # recorded above, with the subresource, as an apply records before it updates
        return 200, scale_of(api.update(scaled, dry_run=write.dry_run, _applied=True))


def _admitted(
    route: Route, body: bytes, kind: str, api_version: str, write: options.WriteOptions
) -> Obj:
    decoded, duplicates = bodies.decode_noting_duplicates(body)
    obj = bodies.addressed(route, decoded, kind, api_version)
    admit_body(obj, write.field_validation, duplicates)
    return obj


def scale_of(obj: Obj) -> Obj:
    """scaleFromDeployment (and its replicaset and statefulset twins): the Scale of `obj`;
    a custom resource's from its CRD's paths (`api/crd/scale.py`)."""
    meta = obj["metadata"]
    paths = custom_scale(obj.get("kind", ""))
    if paths is not None:
        replicas, status_replicas, selector = replicas_and_selector(obj, paths)
    else:
        replicas = obj["spec"].get("replicas", 0)
        status_replicas = (obj.get("status") or {}).get("replicas", 0)
        try:
            selector = str(selectors.from_label_selector(obj["spec"].get("selector")))
        except selectors.SelectorError as exc:
            raise errors.bad_request(str(exc)) from exc
    return {
        "kind": "Scale",
        "apiVersion": SCALE_VERSION,
        "metadata": {
            key: meta[key]
            for key in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
            if key in meta
        },
        "spec": {"replicas": replicas},
        "status": {"replicas": status_replicas, "selector": selector},
    }


def _with_scale(route: Route, stored: Obj, scale: Any) -> Obj:
    """scaleUpdatedObjectInfo.UpdatedObject: the Scale validated (autoscaling's
    ValidateScale), its uid a precondition, its replicas and resourceVersion moved into a copy
    of the stored object."""
    meta = scale.get("metadata") if isinstance(scale, dict) else None
    spec = scale.get("spec") if isinstance(scale, dict) else None
    if not isinstance(meta, dict) or not isinstance(spec, dict):
        raise errors.bad_request("the body of the request must be a Scale")
    replicas = spec.get("replicas", 0)
    if not isinstance(replicas, int) or isinstance(replicas, bool):
        raise errors.bad_request(
            'Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal '
            f"{go_type_name(replicas)} into Go struct field ScaleSpec.spec.replicas of type int32"
        )
    name = stored["metadata"]["name"]
    if replicas < 0:
        cause = errors.invalid_value(
            "spec.replicas", replicas, "must be greater than or equal to 0"
        )
        raise ApiError(
            "Invalid",
            422,
            f'Scale.autoscaling "{name}" is invalid: {cause}',
            kind="Scale",
            name=name,
            causes=(cause,),
        )
    uid = meta.get("uid")
    if uid and uid != stored["metadata"]["uid"]:
        raise ApiError(
            "Conflict",
            409,
            f"Operation cannot be fulfilled on {route.info.plural}/scale.{route.info.group} "
            f'"{name}": Precondition failed: UID in precondition: {uid}, UID in object meta: '
            f"{stored['metadata']['uid']}",
            kind=f"{route.info.plural}/scale",
            name=name,
        )
    scaled = clone(stored)
    paths = custom_scale(stored.get("kind", ""))
    if paths is not None:
        set_replicas(scaled, paths, replicas)
    else:
        scaled["spec"]["replicas"] = replicas
    scaled["metadata"]["resourceVersion"] = meta.get("resourceVersion") or ""
    return scaled


def evict(api: Api, route: Route, query: Query, body: bytes) -> Obj:
    """EvictionREST.Create: the Eviction names the pod of the path; its deleteOptions (with
    the request's dryRun, which must not contradict them) delete it."""
    write = options.write_options("POST", query)
    eviction = bodies.decode(body)
    if not isinstance(eviction, dict) or eviction.get("kind", "Eviction") != "Eviction":
        raise errors.bad_request("the body of the request must be an Eviction")
    if eviction.get("apiVersion", EVICTION_VERSIONS[0]) not in EVICTION_VERSIONS:
        raise errors.bad_request(
            f"the API version in the data ({eviction['apiVersion']}) does not match the "
            "expected API version (policy/v1)"
        )
    meta = eviction.get("metadata") or {}
    if meta.get("namespace", route.namespace) != route.namespace:
        raise errors.bad_request(
            "the namespace of the provided object does not match the namespace sent on the request"
        )
    if meta.get("name") != route.name:
        raise errors.bad_request("name in URL does not match name in Eviction object")
    given = dict(eviction.get("deleteOptions") or {})
    if write.dry_run and given.get("dryRun") and given["dryRun"] != [options.DRY_RUN_ALL]:
        raise errors.ApiError(
            "InternalError",
            500,
            "Internal error occurred: Non-matching dry-run options in request and content: "
            f"[All] and [{' '.join(given['dryRun'])}]",
        )
    if write.dry_run:
        given.setdefault("dryRun", [options.DRY_RUN_ALL])
    delete = options.delete_options({}, given)
    api.delete(
        Kind.POD,
        route.namespace or "",
        route.name,
        propagation=delete.propagation,
        grace_period_seconds=delete.grace_period_seconds,
        uid=delete.uid,
        resource_version=delete.resource_version,
        dry_run=delete.dry_run,
    )
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}
