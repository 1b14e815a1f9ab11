"""`kubectl describe` pages for ConfigMaps and Secrets (staging/src/k8s.io/kubectl/pkg/describe/
describe.go: ConfigMapDescriber, describeSecret).

A ConfigMap's values are printed whole, a Secret's never: only the length of each decoded
value, except the token of a service account token Secret, which kubectl shows.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from controlplane.models.constants import Obj
from minikubectl.printers.writer import (
    PrefixWriter,
    labels_and_annotations,
    name_and_namespace,
    tabbed,
)

_SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token"


def _header(w: PrefixWriter, obj: Obj) -> None:
    meta: dict[str, Any] = obj.get("metadata") or {}
    name_and_namespace(w, meta)
    labels_and_annotations(w, meta)


def _decoded(value: Any) -> bytes:
    try:
        return base64.b64decode(str(value))
    except (binascii.Error, ValueError):
        return str(value).encode()


def _sorted(data: Any) -> list[tuple[str, Any]]:
    return sorted(data.items()) if isinstance(data, dict) else []


def describe_configmap(config_map: Obj) -> str:
    """ConfigMapDescriber: each value under its key, then the byte count of binary values."""
    w = PrefixWriter()
    _header(w, config_map)
    w.write(0, "\nData\n====\n")
    for key, value in _sorted(config_map.get("data")):
        w.write(0, f"{key}:\n----\n")
        w.write(0, f"{value}\n")
        w.write(0, "\n")
    w.write(0, "\nBinaryData\n====\n")
    for key, value in _sorted(config_map.get("binaryData")):
        w.write(0, f"{key}: {len(_decoded(value))} bytes\n")
    w.write(0, "\n")
    return tabbed(w)


def describe_secret(secret: Obj) -> str:
    """describeSecret: the type, and the length of each value, never the value."""
    w = PrefixWriter()
    _header(w, secret)
    secret_type = secret.get("type") or ""
    w.write(0, f"\nType:\t{secret_type}\n")
    w.write(0, "\nData\n====\n")
    for key, value in _sorted(secret.get("data")):
        decoded = _decoded(value)
        if key == "token" and secret_type == _SERVICE_ACCOUNT_TOKEN:
            w.write(0, f"{key}:\t{decoded.decode(errors='replace')}\n")
        else:
            w.write(0, f"{key}:\t{len(decoded)} bytes\n")
    return tabbed(w)
