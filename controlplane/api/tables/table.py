"""Server-side printing: an object or a list as the `meta.k8s.io/v1` Table kubectl prints.

Two steps, as in kube-apiserver. `convert_to_table` is the kind's TableConvertor
(pkg/printers/storage/storage.go over pkg/printers/tablegenerator.go, GenerateTable): the
kind's column definitions, one row per object with every cell (the server always generates wide
rows), and the list's resourceVersion and continue token (a single object's resourceVersion).
`as_table` is the handler's last step (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/
response.go, asTable): what each row carries as `object`, per the request's `includeObject`:
`Metadata` (the default, what kubectl gets) a PartialObjectMetadata, `Object` the whole
object, `None` nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

from controlplane.api import errors
from controlplane.api.crd.served import custom
from controlplane.api.tables.columns import NAME, ColumnDefinition
from controlplane.models.constants import Obj

TABLE_GROUP = "meta.k8s.io"
TABLE_VERSIONS = ("v1", "v1beta1")


@dataclass(frozen=True, slots=True)
class TableHandler:
    """A kind's column definitions, its cells, and the conditions of a row (pods only)."""

    columns: tuple[ColumnDefinition, ...]
    cells: Callable[[Obj, float], list[Any]]
    conditions: Callable[[Obj], list[dict[str, str]]] | None = None

    def row(self, obj: Obj, now: float) -> Obj:
        row: Obj = {"cells": self.cells(obj, now)}
        conditions = self.conditions(obj) if self.conditions else None
        if conditions:
            row["conditions"] = conditions
        row["object"] = obj
        return row


def _apps() -> ModuleType:
    from controlplane.api.tables import apps

    return apps


def _batch() -> ModuleType:
    from controlplane.api.tables import batch

    return batch


def _config() -> ModuleType:
    from controlplane.api.tables import config

    return config


def _coordination() -> ModuleType:
    from controlplane.api.tables import coordination

    return coordination


def _core() -> ModuleType:
    from controlplane.api.tables import core

    return core


def _crd() -> ModuleType:
    from controlplane.api.crd import tables

    return tables


def _services() -> ModuleType:
    from controlplane.api.tables import services

    return services


def _storage() -> ModuleType:
    from controlplane.api.tables import storage

    return storage


# Each built-in kind's TableConvertor. The module of its cells is imported with the first
# Table of one of its kinds: `get pods` needs neither the Services' selectors nor the
# volumes' quantities.
BUILT_IN: dict[str, Callable[[], TableHandler]] = {
    "Pod": lambda: TableHandler(
        _core().POD_COLUMNS, _core().pod_cells_wide, _core().pod_row_conditions
    ),
    "ReplicaSet": lambda: TableHandler(_apps().REPLICASET_COLUMNS, _apps().replicaset_cells),
    "Deployment": lambda: TableHandler(_apps().DEPLOYMENT_COLUMNS, _apps().deployment_cells),
    "StatefulSet": lambda: TableHandler(_apps().STATEFULSET_COLUMNS, _apps().statefulset_cells),
    "DaemonSet": lambda: TableHandler(_apps().DAEMONSET_COLUMNS, _apps().daemonset_cells),
    "ControllerRevision": lambda: TableHandler(
        _apps().CONTROLLERREVISION_COLUMNS, _apps().controllerrevision_cells
    ),
    "Node": lambda: TableHandler(_core().NODE_COLUMNS, _core().node_cells),
    "Namespace": lambda: TableHandler(_core().NAMESPACE_COLUMNS, _core().namespace_cells),
    "Event": lambda: TableHandler(_core().EVENT_COLUMNS, _core().event_cells),
    "ConfigMap": lambda: TableHandler(_config().CONFIGMAP_COLUMNS, _config().configmap_cells),
    "Secret": lambda: TableHandler(_config().SECRET_COLUMNS, _config().secret_cells),
    "Job": lambda: TableHandler(_batch().JOB_COLUMNS, _batch().job_cells),
    "CronJob": lambda: TableHandler(_batch().CRONJOB_COLUMNS, _batch().cronjob_cells),
    "Service": lambda: TableHandler(_services().SERVICE_COLUMNS, _services().service_cells),
    "Endpoints": lambda: TableHandler(_services().ENDPOINTS_COLUMNS, _services().endpoints_cells),
    "EndpointSlice": lambda: TableHandler(
        _services().ENDPOINT_SLICE_COLUMNS, _services().endpoint_slice_cells
    ),
    "PersistentVolumeClaim": lambda: TableHandler(
        _storage().PVC_COLUMNS, _storage().persistent_volume_claim_cells
    ),
    "PersistentVolume": lambda: TableHandler(
        _storage().PV_COLUMNS, _storage().persistent_volume_cells
    ),
    "StorageClass": lambda: TableHandler(
        _storage().STORAGECLASS_COLUMNS, _storage().storage_class_cells
    ),
    "CustomResourceDefinition": lambda: TableHandler(
        (NAME, _crd().CREATED_AT), _crd().definition_cells
    ),
    "Lease": lambda: TableHandler(_coordination().LEASE_COLUMNS, _coordination().lease_cells),
}


@cache
def _built_in(kind: str) -> TableHandler | None:
    make = BUILT_IN.get(kind)
    return None if make is None else make()


def handler_for(kind: str) -> TableHandler | None:
    """The kind's TableConvertor: a built-in kind's, or its CRD's printer columns."""
    found = _built_in(kind)
    if found is not None:
        return found
    resource = custom(kind)
    if resource is None:
        return None
    crd_tables = _crd()
    return TableHandler(
        crd_tables.columns(resource), lambda obj, now: crd_tables.cells(resource, obj, now)
    )


def has_table(kind: str) -> bool:
    """Whether the kind's storage has a TableConvertor (every kind mkctl serves does)."""
    return handler_for(kind) is not None


def _is_list(result: Obj) -> bool:
    return "items" in result


def convert_to_table(kind: str, result: Obj, now: float) -> Obj:
    """TableConvertor.ConvertToTable: every row carries its whole object."""
    handler = handler_for(kind)
    assert handler is not None
    meta = result.get("metadata") or {}
    table_meta: Obj = {}
    if meta.get("resourceVersion"):
        table_meta["resourceVersion"] = meta["resourceVersion"]
    items = [result]
    if _is_list(result):
        items = result.get("items") or []
        for key in ("continue", "remainingItemCount"):
            if meta.get(key):
                table_meta[key] = meta[key]
    return {
        "kind": "Table",
        "apiVersion": f"{TABLE_GROUP}/v1",
        "metadata": table_meta,
        "columnDefinitions": [column.as_json() for column in handler.columns],
        "rows": [handler.row(obj, now) for obj in items],
    }


def partial_object_metadata(obj: Obj, version: str = "v1") -> Obj:
    """meta.AsPartialObjectMetadata: the object's whole metadata, under its own kind."""
    return {
        "kind": "PartialObjectMetadata",
        "apiVersion": f"{TABLE_GROUP}/{version}",
        "metadata": obj.get("metadata") or {},
    }


def as_table(
    kind: str, result: Obj, now: float, include_object: str = "", version: str = "v1"
) -> Obj:
    """The Table a GET answers for `result` (an object or a `<Kind>List`), in `version` of
    meta.k8s.io; an unknown `includeObject` is a BadRequest once there is a row to apply it to,
    as upstream checks it row by row."""
    table = convert_to_table(kind, result, now)
    table["apiVersion"] = f"{TABLE_GROUP}/{version}"
    for row in table["rows"]:
        if include_object == "Object":
            continue
        if include_object in ("Metadata", ""):
            row["object"] = partial_object_metadata(row["object"], version)
        elif include_object == "None":
            row["object"] = None
        else:
            raise errors.bad_request(f'unrecognized includeObject value: "{include_object}"')
    return table
