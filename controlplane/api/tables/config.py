"""Table columns and cells of ConfigMaps and Secrets, as pkg/printers/internalversion/
printers.go (AddHandlers, printConfigMap, printSecret) prints them: a count of keys, never a
value."""

from __future__ import annotations

from typing import Any

from controlplane.api.tables.columns import AGE, NAME, ColumnDefinition, name_and_age
from controlplane.models.constants import Obj

# staging/src/k8s.io/api/core/v1/types_swagger_doc_generated.go: ConfigMap.data, Secret.data,
# Secret.type, the descriptions upstream gives these columns.
_CONFIG_MAP_DATA = (
    "Data contains the configuration data. Each key must consist of alphanumeric characters, "
    "'-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The "
    "keys stored in Data must not overlap with the keys in the BinaryData field, this is "
    "enforced during validation process."
)
_SECRET_DATA = (
    "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' "
    "or '.'. The serialized form of the secret data is a base64 encoded string, representing "
    "the arbitrary (possibly non-string) data value here. Described in "
    "https://tools.ietf.org/html/rfc4648#section-4"
)
_SECRET_TYPE = (
    "Used to facilitate programmatic handling of secret data. More info: "
    "https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"
)

CONFIGMAP_COLUMNS = (NAME, ColumnDefinition("Data", _CONFIG_MAP_DATA), AGE)
SECRET_COLUMNS = (
    NAME,
    ColumnDefinition("Type", _SECRET_TYPE),
    ColumnDefinition("Data", _SECRET_DATA),
    AGE,
)


def _count(value: Any) -> int:
    return len(value) if isinstance(value, dict) else 0


def configmap_cells(config_map: Obj, now: float) -> list[str | int]:
    """printConfigMap: DATA counts the keys of `data` and `binaryData`."""
    name, created = name_and_age(config_map, now)
    count = _count(config_map.get("data")) + _count(config_map.get("binaryData"))
    return [name, count, created]


def secret_cells(secret: Obj, now: float) -> list[str | int]:
    """printSecret: the type, and DATA the number of keys of `data`."""
    name, created = name_and_age(secret, now)
    return [name, str(secret.get("type") or ""), _count(secret.get("data")), created]
