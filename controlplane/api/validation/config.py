"""ConfigMap and Secret validation: keys that can be file names, a 1 MiB cap, and the
`immutable` and Secret `type` rules on update.

Ported from `pkg/apis/core/validation/validation.go` (ValidateConfigMap,
ValidateConfigMapUpdate, ValidateSecret, ValidateSecretUpdate, ValidateImmutableField) and
apimachinery `pkg/util/validation/validation.go` (IsConfigMapKey, hasChDirPrefix). Both kinds
are validated after conversion: a Secret's `stringData` is already merged into `data`
(see `defaults`), and `data` holds base64 text whose decoded length is what counts.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from controlplane.api.errors import FieldError, forbidden, invalid_value, required
from controlplane.api.jsonsyntax import JSONSyntaxError, go_type_name, loads
from controlplane.api.validation.common import Errors, meta_errors, name_is_dns_subdomain
from controlplane.models.constants import Obj
from controlplane.models.identifiers import chdir_prefix_errors, max_len_error, regex_error

# pkg/apis/core/types.go: MaxSecretSize, also the cap of a ConfigMap's data.
MAX_SECRET_SIZE = 1 * 1024 * 1024
_CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+"
_CONFIG_MAP_KEY_RE = re.compile(_CONFIG_MAP_KEY_FMT)
_CONFIG_MAP_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
_IMMUTABLE_WHEN_SET = "field is immutable when `immutable` is set"

# pkg/apis/core/types.go: the Secret types whose data ValidateSecret checks.
_SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token"
_DOCKERCFG = "kubernetes.io/dockercfg"
_DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson"
_BASIC_AUTH = "kubernetes.io/basic-auth"
_SSH_AUTH = "kubernetes.io/ssh-auth"
_TLS = "kubernetes.io/tls"


def config_map_key_errors(key: str) -> list[str]:
    """IsConfigMapKey: a key is a file name in a volume, so `.`, `..` and `..x` are refused."""
    errs = []
    if len(key) > 253:
        errs.append(max_len_error(253))
    if not _CONFIG_MAP_KEY_RE.fullmatch(key):
        errs.append(
            regex_error(
                _CONFIG_MAP_KEY_MSG, _CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"
            )
        )
    return errs + chdir_prefix_errors(key)


def _key_errors(data: dict[str, Any], path: str) -> Errors:
    return [
        invalid_value(f"{path}[{key}]", key, msg)
        for key in sorted(data)
        for msg in config_map_key_errors(key)
    ]


def _too_long(path: str) -> FieldError:
    """field.TooLong: its body shows no value."""
    return FieldError(path, "Too long", detail=f"may not be more than {MAX_SECRET_SIZE} bytes")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _decoded(value: Any) -> bytes:
    """The bytes a base64 `data` value stands for (the decoder has checked it)."""
    try:
        return base64.b64decode(str(value))
    except ValueError:
        return str(value).encode()


def decoded_size(value: Any) -> int:
    return len(_decoded(value))


def validate_config_map(obj: Obj, old: Obj | None) -> Errors:
    """ValidateConfigMapUpdate's immutability checks on update, then ValidateConfigMap."""
    data, binary = _dict(obj.get("data")), _dict(obj.get("binaryData"))
    errs = meta_errors(obj, name_is_dns_subdomain, namespaced=True, update=old is not None)
    errs += _immutable_errors(obj, old, ("data", "binaryData"))
    errs += _key_errors(data, "data")
    errs += [
        invalid_value(f"data[{key}]", key, "duplicate of key present in binaryData")
        for key in sorted(data)
        if key in binary
    ]
    errs += _key_errors(binary, "binaryData")
    size = sum(len(str(v).encode()) for v in data.values())
    size += sum(decoded_size(v) for v in binary.values())
    if size > MAX_SECRET_SIZE:
        errs.append(_too_long(""))  # "" names the whole object
    return errs


def validate_secret(obj: Obj, old: Obj | None) -> Errors:
    """ValidateSecretUpdate's checks (type, immutability) on update, then ValidateSecret."""
    data = _dict(obj.get("data"))
    secret_type = obj.get("type") or ""
    errs = meta_errors(obj, name_is_dns_subdomain, namespaced=True, update=old is not None)
    if old is not None and secret_type != (old.get("type") or ""):
        errs.append(invalid_value("type", secret_type, "field is immutable"))
    errs += _immutable_errors(obj, old, ("data",))
    errs += _key_errors(data, "data")
    if sum(decoded_size(v) for v in data.values()) > MAX_SECRET_SIZE:
        errs.append(_too_long("data"))
    return errs + _secret_type_errors(obj, secret_type, data)


def _secret_type_errors(obj: Obj, secret_type: str, data: dict[str, Any]) -> Errors:
    """ValidateSecret's switch on the type: the keys each well-known type needs."""
    if secret_type == _SERVICE_ACCOUNT_TOKEN:
        annotations = _dict(_dict(obj.get("metadata")).get("annotations"))
        key = "kubernetes.io/service-account.name"
        return [] if annotations.get(key) else [required(f"metadata.annotations[{key}]")]
    if secret_type in (_DOCKERCFG, _DOCKER_CONFIG_JSON):
        key = ".dockercfg" if secret_type == _DOCKERCFG else ".dockerconfigjson"
        if key not in data:
            return [required(f"data[{key}]")]
        problem = _not_a_json_object(_decoded(data[key]))
        redacted = "<secret contents redacted>"
        return [invalid_value(f"data[{key}]", redacted, problem)] if problem else []
    if secret_type == _BASIC_AUTH and "username" not in data and "password" not in data:
        # Either may be empty, but one of them must be there.
        return [required("data[username]"), required("data[password]")]
    if secret_type == _SSH_AUTH and not _decoded(data.get("ssh-privatekey") or ""):
        return [required("data[ssh-privatekey]")]
    if secret_type == _TLS:
        return [required(f"data[{k}]") for k in ("tls.crt", "tls.key") if k not in data]
    return []


def _not_a_json_object(raw: bytes) -> str:
    """What `json.Unmarshal(raw, &map[string]interface{}{})` says, or "" when it succeeds."""
    try:
        value = loads(raw.decode(errors="replace"))
    except JSONSyntaxError as exc:
        return str(exc)
    if value is None or isinstance(value, dict):
        return ""
    into = "Go value of type map[string]interface {}"
    return f"json: cannot unmarshal {go_type_name(value)} into {into}"


def _immutable_errors(obj: Obj, old: Obj | None, fields: tuple[str, ...]) -> Errors:
    """What an object whose old version set `immutable: true` may no longer change."""
    if old is None or old.get("immutable") is not True:
        return []
    errs: Errors = []
    if obj.get("immutable") is not True:
        errs.append(forbidden("immutable", _IMMUTABLE_WHEN_SET))
    return errs + [
        forbidden(field, _IMMUTABLE_WHEN_SET)
        for field in fields
        if (obj.get(field) or {}) != (old.get(field) or {})
    ]
