"""Protobuf request bodies (`application/vnd.kubernetes.protobuf`), decoded into the JSON
object a client would have sent.

kubectl's typed commands (`create deployment`, `create namespace`, `run`, `drain`'s
eviction) encode their bodies as protobuf, and client-go does not fall back to JSON when
a server answers 415. The envelope is runtime.Unknown behind the 4-byte magic `k8s\\0`
(staging/src/k8s.io/apimachinery/pkg/runtime/serializer/protobuf/protobuf.go); `raw`
holds the object, whose fields are numbered as in k8s.io/api's generated.proto.

`fields.json` is the table that numbering needs: for each message, `[number, json name,
type, flags]`, made by `regenerate.py` from the `protobuf:` and `json:` struct tags of
k8s.io/api (core/v1, apps/v1, policy/v1, autoscaling/v1) and apimachinery's meta/v1
types.go. A type is a scalar (`string`, `int`, `bool`, `bytes`, `double`), one of the
types with their own JSON form (`Time`, `MicroTime`, `Quantity`, `IntOrString`,
`RawExtension`, `FieldsV1`), `["msg", name]`, `["list", type]` or `["map", key, value]`.
Flags: `o` omitempty, `p` a pointer, `i` an embedded struct whose fields are its parent's.

The JSON written is what Go's encoding/json makes of the decoded struct, so that the verbs
see the body a JSON client would have sent: a pointer is there only if it was sent; an
omitempty scalar is dropped when zero (generated marshallers always write non-pointer
scalars); a zero Time is left out (Go writes it as null); answers stay JSON.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from functools import cache
from typing import Any

from controlplane.api import errors
from controlplane.apiserver.protobuf import wire
from controlplane.clock import rfc3339
from controlplane.models.constants import Obj

CONTENT_TYPE = "application/vnd.kubernetes.protobuf"
MAGIC = b"k8s\x00"

# The served messages by apiVersion and kind, as the scheme registers them.
MESSAGES = {
    ("v1", "Pod"): "core.Pod",
    ("v1", "Namespace"): "core.Namespace",
    ("v1", "Node"): "core.Node",
    ("v1", "Event"): "core.Event",
    ("v1", "ConfigMap"): "core.ConfigMap",
    ("v1", "Secret"): "core.Secret",
    ("v1", "Service"): "core.Service",
    ("v1", "Endpoints"): "core.Endpoints",
    ("discovery.k8s.io/v1", "EndpointSlice"): "discovery.EndpointSlice",
    ("v1", "PersistentVolumeClaim"): "core.PersistentVolumeClaim",
    ("v1", "PersistentVolume"): "core.PersistentVolume",
    ("storage.k8s.io/v1", "StorageClass"): "storage.StorageClass",
    ("coordination.k8s.io/v1", "Lease"): "coordination.Lease",
    ("apps/v1", "Deployment"): "apps.Deployment",
    ("apps/v1", "ReplicaSet"): "apps.ReplicaSet",
    ("apps/v1", "StatefulSet"): "apps.StatefulSet",
    ("apps/v1", "DaemonSet"): "apps.DaemonSet",
    ("apps/v1", "ControllerRevision"): "apps.ControllerRevision",
    ("batch/v1", "Job"): "batch.Job",
    ("batch/v1", "CronJob"): "batch.CronJob",
    ("policy/v1", "Eviction"): "policy.Eviction",
    ("policy/v1beta1", "Eviction"): "policy.Eviction",  # the same fields as policy/v1
    ("autoscaling/v1", "Scale"): "autoscaling.Scale",
    ("authorization.k8s.io/v1", "SelfSubjectAccessReview"): "authorization.SelfSubjectAccessReview",
    ("authentication.k8s.io/v1", "SelfSubjectReview"): "authentication.SelfSubjectReview",
}
# Options that every group version registers (metav1.AddToGroupVersion).
OPTIONS = {"DeleteOptions": "meta.DeleteOptions"}

Field = tuple[int, str, Any, str]


@cache
def _table() -> dict[str, dict[int, Field]]:
    from importlib import resources  # ~10 ms: for protobuf bodies only

    text = resources.files(__package__).joinpath("fields.json").read_text(encoding="utf-8")
    return {
        message: {f[0]: (f[0], f[1], f[2], f[3]) for f in found}
        for message, found in json.loads(text).items()
    }


def is_protobuf(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == CONTENT_TYPE


def decode_body(data: bytes) -> Obj:
    """The object in a protobuf request body, with its apiVersion and kind; a BadRequest
    in the API server's words when it cannot be read."""
    try:
        return _decode_unknown(data)
    except (wire.WireError, ValueError, UnicodeDecodeError) as exc:
        raise errors.bad_request(f"the body of the request could not be decoded: {exc}") from exc


def _decode_unknown(data: bytes) -> Obj:
    if not data.startswith(MAGIC):
        raise ValueError(
            "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]"
        )
    api_version = kind = ""
    raw = b""
    for number, _, value in wire.fields(data[len(MAGIC) :]):
        if number == 1 and isinstance(value, bytes):  # typeMeta
            for inner, _, text in wire.fields(value):
                if inner == 1 and isinstance(text, bytes):
                    api_version = text.decode()
                elif inner == 2 and isinstance(text, bytes):
                    kind = text.decode()
        elif number == 2 and isinstance(value, bytes):
            raw = value
        elif number == 3 and value:
            raise ValueError("content encodings are not supported")
    message = MESSAGES.get((api_version, kind)) or OPTIONS.get(kind)
    if message is None:
        raise ValueError(f'no kind "{kind}" is registered for version "{api_version}"')
    return {"kind": kind, "apiVersion": api_version, **decode_message(raw, message)}


def decode_message(data: bytes, message: str) -> Obj:
    """One message as Go's encoding/json would write the struct it decodes into."""
    table = _table()[message]
    found: dict[int, Any] = {}
    for number, wire_type, value in wire.fields(data):
        field = table.get(number)
        if field is None:
            continue  # an unknown field, as proto2 keeps and Go's decoder then drops
        kind = field[2]
        if isinstance(kind, list) and kind[0] in ("list", "map"):
            found.setdefault(number, []).extend(_repeated(kind, wire_type, value))
        else:
            found[number] = _value(kind, value)
    obj: Obj = {}
    for number, name, kind, flags in table.values():
        if number not in found:
            continue
        decoded = found[number]
        if isinstance(kind, list) and kind[0] == "map":
            decoded = dict(decoded)
        if "i" in flags:
            obj.update(decoded)
        elif not ("o" in flags and "p" not in flags and _is_zero(kind, decoded)):
            obj[name] = decoded
    return obj


def _repeated(kind: list[Any], wire_type: int, value: int | bytes) -> list[Any]:
    if kind[0] == "map":  # an entry message: key = 1, value = 2
        assert isinstance(value, bytes)
        key = entry = None
        for number, _, part in wire.fields(value):
            if number == 1:
                key = _value(kind[1], part)
            elif number == 2:
                entry = _value(kind[2], part)
        return [(key if key is not None else "", entry if entry is not None else _zero(kind[2]))]
    item = kind[1]
    if item in ("int", "bool") and wire_type == wire.LENGTH_DELIMITED:
        assert isinstance(value, bytes)
        return [_value(item, v) for v in wire.packed_varints(value)]
    return [_value(item, value)]


def _value(kind: Any, value: int | bytes) -> Any:
    if kind == "int":
        return wire.signed(_int(value))
    if kind == "bool":
        return _int(value) != 0
    if kind == "double":
        return wire.double(_bytes(value))
    data = _bytes(value)
    if kind == "string":
        return data.decode()
    if kind == "bytes":
        return base64.b64encode(data).decode()
    if isinstance(kind, list):
        return decode_message(data, kind[1])
    return SPECIAL[kind](data)


def _int(value: int | bytes) -> int:
    if not isinstance(value, int):
        raise ValueError("a length-delimited value where a varint was expected")
    return value


def _bytes(value: int | bytes) -> bytes:
    if not isinstance(value, bytes):
        raise ValueError("a varint where a length-delimited value was expected")
    return value


def _seconds_and_nanos(data: bytes) -> tuple[int, int]:
    seconds = nanos = 0
    for number, _, value in wire.fields(data):
        if number == 1:
            seconds = wire.signed(_int(value))
        elif number == 2:
            nanos = wire.signed(_int(value))
    return seconds, nanos


def _time(data: bytes) -> str | None:
    """metav1.Time: whole seconds in JSON (staging/.../apis/meta/v1/time.go MarshalJSON)."""
    seconds, nanos = _seconds_and_nanos(data)
    return None if seconds == nanos == 0 else rfc3339(seconds)


def _micro_time(data: bytes) -> str | None:
    """metav1.MicroTime: RFC 3339 with microseconds (micro_time.go's RFC3339Micro)."""
    seconds, nanos = _seconds_and_nanos(data)
    if seconds == nanos == 0:
        return None
    moment = datetime.fromtimestamp(seconds, UTC).replace(microsecond=nanos // 1000)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _first_field(data: bytes) -> int | bytes | None:
    return next((value for number, _, value in wire.fields(data) if number == 1), None)


def _quantity(data: bytes) -> str:
    value = _first_field(data)
    return value.decode() if isinstance(value, bytes) else "0"


def _int_or_string(data: bytes) -> int | str:
    """intstr.IntOrString: type 0 is intVal (2), type 1 strVal (3)."""
    parts: dict[int, int | bytes] = {number: value for number, _, value in wire.fields(data)}
    if _int(parts.get(1, 0)) == 1:
        return _bytes(parts.get(3, b"")).decode()
    return wire.signed(_int(parts.get(2, 0)))


def _raw_json(data: bytes) -> Any:
    """runtime.RawExtension and metav1.FieldsV1 carry JSON bytes as field 1."""
    value = _first_field(data)
    return json.loads(value) if isinstance(value, bytes) and value else None


SPECIAL = {
    "Time": _time,
    "MicroTime": _micro_time,
    "Quantity": _quantity,
    "IntOrString": _int_or_string,
    "RawExtension": _raw_json,
    "FieldsV1": _raw_json,
}


def _zero(kind: Any) -> Any:
    return {"int": 0, "bool": False, "double": 0.0, "string": "", "bytes": ""}.get(kind)


def _is_zero(kind: Any, value: Any) -> bool:
    """encoding/json's omitempty: false, 0, "", and empty lists and maps (never structs)."""
    if isinstance(kind, list):
        return kind[0] != "msg" and not value
    return value in (None, 0, "", False) and not isinstance(value, dict)
