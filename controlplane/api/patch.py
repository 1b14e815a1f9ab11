"""The three PATCH bodies a Kubernetes API server accepts, applied to plain dict objects.

- `merge_patch`: RFC 7386 JSON merge patch (`application/merge-patch+json`, sent by `scale`
  and `annotate`): maps merge, `null` deletes, every list is replaced whole.
- `json_patch`: RFC 6902 JSON patch (`application/json-patch+json`, sent by `rollout undo`),
  done by the `jsonpatch` library (`api/json_patch.py`).
- `strategic_merge_patch`: Kubernetes strategic merge patch
  (`application/strategic-merge-patch+json`, sent by client-side `apply`, `set image` and
  `rollout restart|pause|resume`). It is JSON merge patch plus two things: some lists are
  merged element by element, matched on a merge key (containers by `name`), and the patch
  may carry `$`-directives. Which lists merge comes from the `patchStrategy` and
  `patchMergeKey` struct tags in k8s.io/api (core/v1/types.go, apps/v1/types.go); a real
  server reads them by reflection, we keep the few we need in `SCHEMAS` below.

The algorithm follows k8s.io/apimachinery pkg/util/strategicpatch/patch.go (`mergeMap`,
`mergeSlice`, `mergePatchIntoOriginal`, `applyRetainKeysDirective`). Inputs are never
mutated: every function returns a new object. `patched` is the PATCH verb's part that
writes nothing: the body decoded and applied, failures as the API server answers them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from controlplane.api import errors
from controlplane.api.errors import PatchError as PatchError
from controlplane.api.field_validation import admit_patched
from controlplane.api.json_patch import json_patch
from controlplane.models.constants import Obj

PATCH = "$patch"  # "$patch": "replace" | "delete" on a map or as a list element
RETAIN_KEYS = "$retainKeys"  # keys of this map to keep; all others are cleared
DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/"  # + field: scalars to remove
SET_ELEMENT_ORDER = "$setElementOrder/"  # + field: the wanted order of a merged list


# ---------------------------------------------------------------------------------------------
# Patch metadata: which lists merge, on which key (the patchStrategy/patchMergeKey struct tags).


@dataclass(frozen=True)
class Field:
    """Patch metadata for one field; `fields` describes its value (or its list's elements)."""

    merge_key: str = ""  # patchMergeKey: identifies elements of a merged list of objects
    merge: bool = False  # patchStrategy "merge": list merged element-wise (scalars as a set)
    retain_keys: bool = False  # patchStrategy "retainKeys": diff emits `$retainKeys`
    fields: Mapping[str, Field] = field(default_factory=dict)


Schema = Mapping[str, Field]
NO_METADATA = Field()  # unknown fields: maps merge key by key, lists are replaced whole


def _merged_by(key: str, fields: Schema | None = None, retain_keys: bool = False) -> Field:
    return Field(merge_key=key, merge=True, retain_keys=retain_keys, fields=fields or {})


# core/v1 Container (and EphemeralContainerCommon): `resizePolicy`, `envFrom` are atomic.
_CONTAINER: Schema = {
    "ports": _merged_by("containerPort"),
    "env": _merged_by("name"),
    "volumeMounts": _merged_by("mountPath"),
    "volumeDevices": _merged_by("devicePath"),
}
# core/v1 PodSpec. `tolerations` and `readinessGates` carry no patchStrategy tag, so they are
# replaced whole (the kubectl docs' "update-api-object-kubectl-patch" task shows this).
_POD_SPEC: Schema = {
    "volumes": _merged_by("name", retain_keys=True),  # patchStrategy:"merge,retainKeys"
    "initContainers": _merged_by("name", _CONTAINER),
    "containers": _merged_by("name", _CONTAINER),
    "ephemeralContainers": _merged_by("name", _CONTAINER),
    "imagePullSecrets": _merged_by("name"),
    "hostAliases": _merged_by("ip"),
    "topologySpreadConstraints": _merged_by("topologyKey"),
    "schedulingGates": _merged_by("name"),
    "resourceClaims": _merged_by("name", retain_keys=True),
}
# meta/v1 ObjectMeta: `finalizers` has patchStrategy:"merge" and no key, so it merges as a set.
_OBJECT_META: Schema = {
    "ownerReferences": _merged_by("uid"),
    "finalizers": Field(merge=True),
}
_META = Field(fields=_OBJECT_META)
_CONDITIONS_STATUS = Field(fields={"conditions": _merged_by("type")})
_POD_TEMPLATE = Field(fields={"metadata": _META, "spec": Field(fields=_POD_SPEC)})


def _workload(**spec: Field) -> Schema:
    return {
        "metadata": _META,
        "spec": Field(fields={"template": _POD_TEMPLATE, **spec}),
        "status": _CONDITIONS_STATUS,
    }


SCHEMAS: Mapping[str, Schema] = {
    "Pod": {"metadata": _META, "spec": Field(fields=_POD_SPEC), "status": _CONDITIONS_STATUS},
    "ReplicaSet": _workload(),
    # apps/v1 DeploymentSpec.Strategy is patchStrategy:"retainKeys" (kubernetes#70436), so
    # switching to Recreate clears the defaulted `rollingUpdate`.
    "Deployment": _workload(strategy=Field(retain_keys=True)),
    "StatefulSet": _workload(),  # volumeClaimTemplates and updateStrategy: no tags
    "DaemonSet": _workload(),
    # batch/v1: a Job's pod template, and the one inside a CronJob's job template.
    "Job": _workload(),
    "CronJob": {
        "metadata": _META,
        "spec": Field(
            fields={
                "jobTemplate": Field(
                    fields={"metadata": _META, "spec": Field(fields={"template": _POD_TEMPLATE})}
                )
            }
        ),
    },
    "Node": {"metadata": _META, "status": _CONDITIONS_STATUS},
    # core/v1 ServiceSpec.Ports: patchStrategy:"merge" patchMergeKey:"port".
    "Service": {
        "metadata": _META,
        "spec": Field(fields={"ports": _merged_by("port")}),
        "status": _CONDITIONS_STATUS,
    },
}
_DEFAULT_SCHEMA: Schema = {"metadata": _META}


def schema_for(kind: str) -> Schema:
    """The patch metadata of a kind; other kinds get ObjectMeta's only."""
    return SCHEMAS.get(kind, _DEFAULT_SCHEMA)


# ---------------------------------------------------------------------------------------------
# A PATCH request: the body as the server decodes it, and the patch applied by type.


def decode_body(body: Any, patch_type: str) -> Any:
    """The request body (raw JSON text, or already decoded) checked for its patch type.

    Failures read as the API server's decoder reports them (Go's JSON errors, `json: cannot
    unmarshal object into Go value of type jsonpatch.Patch`); they are 400s.
    """
    from controlplane.api import jsonsyntax

    if isinstance(body, str):
        try:
            body = jsonsyntax.loads(body)
        except jsonsyntax.JSONSyntaxError as exc:
            raise PatchError(str(exc)) from exc
    found = jsonsyntax.go_type_name(body)
    if patch_type == "json" and not isinstance(body, list):
        raise PatchError(f"json: cannot unmarshal {found} into Go value of type jsonpatch.Patch")
    if patch_type == "merge" and not isinstance(body, dict):
        raise PatchError("Invalid JSON Patch")
    if patch_type == "strategic" and not isinstance(body, dict):
        raise PatchError(
            f"json: cannot unmarshal {found} into Go value of type map[string]interface {{}}"
        )
    return body


def apply_patch(target: Obj, body: Any, patch_type: str, kind: str) -> Obj:
    """`json`, `merge` or `strategic` (the default), as decoded by `decode_body`."""
    if patch_type == "json":
        return json_patch(target, body)
    if patch_type == "merge":
        return merge_patch(target, body)
    return strategic_merge_patch(target, body, kind)


# ---------------------------------------------------------------------------------------------
# RFC 7386 and RFC 6902.


def merge_patch(target: Obj, patch: Obj) -> Obj:
    """RFC 7386 JSON merge patch: maps merge recursively, `None` deletes, other values replace."""
    if not isinstance(patch, dict):
        raise PatchError("a merge patch must be a JSON object")
    result = copy.deepcopy(target)
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict):
            base = result.get(key)
            result[key] = merge_patch(base if isinstance(base, dict) else {}, value)
        else:
            result[key] = copy.deepcopy(value)
    return result


# ---------------------------------------------------------------------------------------------
# Strategic merge patch (server side: MergeParallelList and IgnoreUnmatchedNulls both on).


def strategic_merge_patch(target: Obj, patch: Obj, kind: str) -> Obj:
    """Apply a strategic merge patch to `target` using the merge keys of `kind`."""
    if not isinstance(patch, dict):
        raise PatchError("a strategic merge patch must be a JSON object")
    return _merge_map(copy.deepcopy(target), copy.deepcopy(patch), schema_for(kind))


def _merge_map(original: Obj, patch: Obj, schema: Schema) -> Obj:
    """patch.go mergeMap. Owns (and may mutate) both arguments."""
    if PATCH in patch:
        directive = patch.pop(PATCH)
        if directive == "replace":  # the patch is the whole new map
            return _merge_map({}, patch, schema)
        if directive == "delete":  # the map becomes empty
            return {}
        raise PatchError(f"unknown patch directive {PATCH}: {directive!r} in a map")
    _apply_retain_keys(original, patch)
    _apply_set_element_order(original, patch, schema)
    for key, value in patch.items():
        if key.startswith(DELETE_FROM_PRIMITIVE_LIST):
            name = key.removeprefix(DELETE_FROM_PRIMITIVE_LIST)
            if not isinstance(value, list):
                raise PatchError(f"{key} must be a list")
            current = original.get(name)
            if isinstance(current, list):  # upstream would *set* a missing list; we skip it
                original[name] = [v for v in current if v not in value]
            continue
        if value is None:
            original.pop(key, None)
            continue
        meta = schema.get(key, NO_METADATA)
        current = original.get(key)
        if isinstance(value, dict):
            base = current if isinstance(current, dict) else {}
            original[key] = _merge_map(base, value, meta.fields)
        elif isinstance(value, list) and meta.merge:
            base_list = current if isinstance(current, list) else []
            original[key] = _merge_list(base_list, value, meta)
        else:  # scalars, lists without a merge strategy, and changes of type replace
            original[key] = value
    return original


def _apply_retain_keys(original: Obj, patch: Obj) -> None:
    """patch.go applyRetainKeysDirective: clear every key of original not listed."""
    if RETAIN_KEYS not in patch:
        return
    keep = patch.pop(RETAIN_KEYS)
    if not isinstance(keep, list):
        raise PatchError(f"{RETAIN_KEYS} must be a list of field names")
    for key, value in patch.items():
        if value is not None and not key.startswith("$") and key not in keep:
            raise PatchError(f"field {key!r} is set by the patch but missing from {RETAIN_KEYS}")
    for key in [k for k in original if k not in keep]:
        del original[key]


def _apply_set_element_order(original: Obj, patch: Obj, schema: Schema) -> None:
    """patch.go mergePatchIntoOriginal: merge each ordered list, then enforce the order."""
    for directive in [k for k in patch if k.startswith(SET_ELEMENT_ORDER)]:
        order = patch.pop(directive)
        name = directive.removeprefix(SET_ELEMENT_ORDER)
        meta = schema.get(name, NO_METADATA)
        if not isinstance(order, list):
            raise PatchError(f"{directive} must be a list")
        if not meta.merge:  # only merged lists have an order to keep; ignore it elsewhere
            continue
        current = original.get(name)
        current_list = current if isinstance(current, list) else []
        if name in patch:
            patch_list = patch.pop(name)
            if not isinstance(patch_list, list):
                raise PatchError(f"{name} must be a list to be merged")
            merged = _merge_list(copy.deepcopy(current_list), patch_list, meta)
        elif name in original:
            merged = current_list
        else:
            continue
        wanted = [_identity(v, meta.merge_key) for v in order]
        in_order = [v for v in merged if _identity(v, meta.merge_key) in wanted]
        server_only = [v for v in merged if _identity(v, meta.merge_key) not in wanted]
        in_order.sort(key=lambda v: wanted.index(_identity(v, meta.merge_key)))
        original[name] = _interleave(server_only, in_order, current_list, meta.merge_key)


def _merge_list(original: list[Any], patch: list[Any], meta: Field) -> list[Any]:
    """patch.go mergeSlice for a list with patchStrategy "merge"."""
    if not original and not patch:
        return original
    if not all(isinstance(v, dict) for v in [*original, *patch]):
        merged = list(original)  # scalars merge as a set (finalizers)
        for value in patch:
            if value not in merged:
                merged.append(value)
        items = patch
    else:
        key = meta.merge_key
        if not key:
            raise PatchError("cannot merge lists of objects without a merge key")
        items = []
        for item in patch:
            directive = item.get(PATCH)
            if directive == "replace":  # the non-directive elements are the whole list
                rest = [p for p in patch if PATCH not in p]
                return [_merge_map({}, p, meta.fields) for p in rest]
            if directive == "delete":
                if key not in item:
                    raise PatchError(f"{PATCH}: delete element lacks merge key {key!r}")
                original = [o for o in original if o.get(key) != item[key]]
            elif directive is not None:
                raise PatchError(f"unsupported {PATCH}: {directive!r} in a list of {key}s")
            elif key not in item:
                raise PatchError(f"list element {item} lacks merge key {key!r}")
            else:
                items.append(item)
        merged = list(original)
        for item in items:
            at = next((i for i, o in enumerate(merged) if o.get(key) == item[key]), None)
            if at is None:
                merged.append(_merge_map({}, item, meta.fields))
            else:
                merged[at] = _merge_map(merged[at], item, meta.fields)
    # Patch elements keep the patch's order; the server's own elements keep theirs.
    wanted = [_identity(v, meta.merge_key) for v in items]
    in_patch = [v for v in merged if _identity(v, meta.merge_key) in wanted]
    server_only = [v for v in merged if _identity(v, meta.merge_key) not in wanted]
    in_patch.sort(key=lambda v: wanted.index(_identity(v, meta.merge_key)))
    return _interleave(server_only, in_patch, original, meta.merge_key)


def _identity(value: Any, merge_key: str) -> Any:
    return value.get(merge_key) if merge_key and isinstance(value, dict) else value


def _interleave(left: list[Any], right: list[Any], server: list[Any], key: str) -> list[Any]:
    """patch.go mergeSortedSlice: merge two ordered lists, taking a `left` (server-only)
    element first only when the live list had it before the `right` (patch) element.

    Example: live [a, s, b], patch order [b, a], server-only [s]. s is compared with b: live
    index 1 < 2, so s goes first, and the result is [s, b, a].
    """
    position = {repr(_identity(v, key)): i for i, v in enumerate(server)}
    result: list[Any] = []
    i = j = 0
    while i < len(left) or j < len(right):
        if j >= len(right):
            result.append(left[i])
            i += 1
            continue
        if i < len(left):
            li = position.get(repr(_identity(left[i], key)))
            ri = position.get(repr(_identity(right[j], key)))
            if li is not None and ri is not None and li < ri:
                result.append(left[i])
                i += 1
                continue
        result.append(right[j])
        j += 1
    return result


def patched(current: Obj, body: Any, patch_type: str, field_validation: str) -> Obj:
    """`current` with the patch applied, as the PATCH of an object or of its `/status` or
    `/scale` (whose `current` is the Scale) changes it; nothing is written."""
    try:
        body = decode_body(body, patch_type)
    except PatchError as exc:
        raise errors.bad_request(str(exc)) from exc
    try:
        patched = apply_patch(current, body, patch_type, str(current.get("kind")))
    except PatchError as exc:
        if patch_type == "json":
            raise errors.ApiError(
                "Invalid",
                422,
                f"the server rejected our request due to an error in our request: {exc}",
            ) from exc
        raise errors.bad_request(str(exc)) from exc
    admit_patched(patched, body, patch_type, field_validation)
    metadata = body.get("metadata") if isinstance(body, dict) else None
    current_version = current["metadata"].get("resourceVersion")
    names_version = (
        patched.get("metadata", {}).get("resourceVersion") != current_version
        if patch_type == "json"  # kubectl's managedFields migration locks this way
        else isinstance(metadata, dict) and bool(metadata.get("resourceVersion"))
    )
    if not names_version:
        # a patch is a precondition on resourceVersion only when it names one
        patched.setdefault("metadata", {})["resourceVersion"] = current_version
    return patched
