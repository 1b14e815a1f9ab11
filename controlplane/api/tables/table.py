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
from typing import Any

from controlplane.api import errors
from controlplane.api.crd import tables as crd_tables
from controlplane.api.crd.served import custom
from controlplane.api.tables import apps, batch, config, coordination, core, services, storage
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


HANDLERS: dict[str, TableHandler] = {
    "Pod": TableHandler(core.POD_COLUMNS, core.pod_cells_wide, core.pod_row_conditions),
    "ReplicaSet": TableHandler(apps.REPLICASET_COLUMNS, apps.replicaset_cells),
    "Deployment": TableHandler(apps.DEPLOYMENT_COLUMNS, apps.deployment_cells),
    "StatefulSet": TableHandler(apps.STATEFULSET_COLUMNS, apps.statefulset_cells),
    "DaemonSet": TableHandler(apps.DAEMONSET_COLUMNS, apps.daemonset_cells),
    "ControllerRevision": TableHandler(
        apps.CONTROLLERREVISION_COLUMNS, apps.controllerrevision_cells
    ),
    "Node": TableHandler(core.NODE_COLUMNS, core.node_cells),
    "Namespace": TableHandler(core.NAMESPACE_COLUMNS, core.namespace_cells),
    "Event": TableHandler(core.EVENT_COLUMNS, core.event_cells),
    "ConfigMap": TableHandler(config.CONFIGMAP_COLUMNS, config.configmap_cells),
    "Secret": TableHandler(config.SECRET_COLUMNS, config.secret_cells),
    "Job": TableHandler(batch.JOB_COLUMNS, batch.job_cells),
    "CronJob": TableHandler(batch.CRONJOB_COLUMNS, batch.cronjob_cells),
    "Service": TableHandler(services.SERVICE_COLUMNS, services.service_cells),
    "Endpoints": TableHandler(services.ENDPOINTS_COLUMNS, services.endpoints_cells),
    "EndpointSlice": TableHandler(services.ENDPOINT_SLICE_COLUMNS, services.endpoint_slice_cells),
    "PersistentVolumeClaim": TableHandler(
        storage.PVC_COLUMNS, storage.persistent_volume_claim_cells
    ),
    "PersistentVolume": TableHandler(storage.PV_COLUMNS, storage.persistent_volume_cells),
    "StorageClass": TableHandler(storage.STORAGECLASS_COLUMNS, storage.storage_class_cells),
    "CustomResourceDefinition": TableHandler(
        (NAME, crd_tables.CREATED_AT), crd_tables.definition_cells
    ),
    "Lease": TableHandler(coordination.LEASE_COLUMNS, coordination.lease_cells),
}


def handler_for(kind: str) -> TableHandler | None:
    """The kind's TableConvertor: a built-in kind's, or its CRD's printer columns."""
    found = HANDLERS.get(kind)
    if found is not None:
        return found
    resource = custom(kind)
    if resource is None:
        return None
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
