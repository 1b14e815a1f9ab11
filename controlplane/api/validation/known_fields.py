"""Every field of the kinds mkctl serves, for strict decoding's "unknown field" errors.

kubectl sends `fieldValidation=Strict` by default, so the API server refuses a body with a
field its Go types do not have, listing every one in the JSON's order:
`Deployment in version "v1" cannot be handled as a Deployment: strict decoding error:
unknown field "spec.replicaz", unknown field "spec.template.spec.containers[0].imagee"`.

The table is the JSON field names of k8s.io/api 1.37's types reachable from Deployment,
ReplicaSet, Pod, Namespace, Node, Event, StatefulSet, DaemonSet, ControllerRevision, ConfigMap,
Secret, Job, CronJob, Service, Endpoints, discovery/v1 EndpointSlice (whose EndpointPort has
core/v1's fields), PersistentVolumeClaim, PersistentVolume, StorageClass, coordination/v1 Lease
and autoscaling/v1 Scale, as the official Python client (kubernetes 37.0.2, `openapi_types` and
`attribute_map` of each model) lists them. The table, `known_fields.txt`, has one struct per
line, continued on indented lines: `name` is a scalar or free-form field, `name:Type` a struct,
`name:[]Type` a list of them, `name:{}Type` a map of them, `name:[]` and `name:{}` lists and
maps of scalars.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from controlplane.models.constants import Obj

# The table itself, one struct per line as described above, sits beside this module.
_TABLE_FILE = Path(__file__).with_name("known_fields.txt")


@cache
def structs() -> dict[str, dict[str, str]]:
    """known_fields.txt as {struct: {field: type}}, parsed when a write first needs it (reading
    commands import the API without ever validating)."""
    structs: dict[str, dict[str, str]] = {}
    fields: dict[str, str] = {}
    for line in _TABLE_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        words = line.split()
        if not line.startswith(" "):
            fields = structs[words.pop(0)] = {}
        for word in words:
            name, _, type_ = word.partition(":")
            fields[name] = type_
    return structs


def unknown_fields(obj: Obj) -> list[str]:
    """Paths of the fields `obj`'s kind does not have, in sorted-key order (kubectl's JSON)."""
    found: list[str] = []
    if str(obj.get("kind", "")) in structs():
        _walk(obj, str(obj["kind"]), "", found, drop=False)
    return found


def drop_unknown_fields(obj: Obj) -> list[str]:
    """Remove the fields `obj`'s kind does not have, as a lenient decoder never reads them
    (fieldValidation Ignore and Warn); their paths, as `unknown_fields` gives them."""
    found: list[str] = []
    if str(obj.get("kind", "")) in structs():
        _walk(obj, str(obj["kind"]), "", found, drop=True)
    return found


def _walk(value: Any, type_: str, path: str, found: list[str], *, drop: bool) -> None:
    """Check `value` against `type_`; values of the wrong shape are the decoder's business."""
    if type_.startswith("[]"):
        if isinstance(value, list):
            for i, item in enumerate(value):
                _walk(item, type_[2:], f"{path}[{i}]", found, drop=drop)
    elif type_.startswith("{}"):
        if isinstance(value, dict):
            for key in sorted(value):
                _walk(value[key], type_[2:], f"{path}.{key}", found, drop=drop)
    elif type_ and isinstance(value, dict):
        fields = structs()[type_]
        for key in sorted(value):
            where = f"{path}.{key}" if path else key
            if key not in fields:
                found.append(where)
                if drop:
                    del value[key]
            else:
                _walk(value[key], fields[key], where, found, drop=drop)
