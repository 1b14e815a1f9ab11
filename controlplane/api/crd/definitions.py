"""What one CustomResourceDefinition serves: its names, scope, versions (one of them the
storage version), each version's schema, subresources and printer columns.

Read from the CRD's spec as the apiextensions-apiserver's handler reads it
(staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/customresource_handler.go,
getOrCreateServingInfoFor). mkctl serves no conversion webhook: every served version shares
the storage version's data, only `apiVersion` is rewritten per request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from controlplane.api.registry import SCALE, STATUS, KindInfo
from controlplane.models.constants import Obj

Schema = dict[str, Any]

CRD_GROUP = "apiextensions.k8s.io"


@dataclass(frozen=True)
class ScaleSubresource:
    """spec.versions[].subresources.scale: JSON paths of the replicas and the selector."""

    spec_replicas_path: str
    status_replicas_path: str
    label_selector_path: str = ""


@dataclass(frozen=True)
class CustomVersion:
    name: str
    served: bool
    storage: bool
    schema: Schema
    status: bool
    scale: ScaleSubresource | None
    printer_columns: tuple[Obj, ...]


@dataclass(frozen=True)
class CustomResource:
    """A custom kind as served: `info` at the storage version, `versions` in spec order."""

    crd_name: str
    info: KindInfo
    list_kind: str
    versions: tuple[CustomVersion, ...]

    @property
    def storage(self) -> CustomVersion:
        return next(v for v in self.versions if v.storage)

    def version(self, name: str) -> CustomVersion:
        """A served version by name, else the storage version."""
        return next((v for v in self.versions if v.name == name and v.served), self.storage)

    def served_infos(self) -> tuple[KindInfo, ...]:
        """The registry entry of each served version, by discovery's version priority."""
        served = sorted(
            (v for v in self.versions if v.served), key=lambda v: version_priority(v.name)
        )
        group = self.info.group
        return tuple(self.info._replace(api_version=f"{group}/{v.name}") for v in served)


def custom_resource(crd: Obj) -> CustomResource | None:
    """The custom kind a stored CRD serves; None while it is not served (its names not
    accepted, or no storage version)."""
    spec = crd.get("spec") or {}
    names = spec.get("names") or {}
    versions = tuple(_version(v) for v in spec.get("versions") or [])
    storage = [v for v in versions if v.storage]
    if len(storage) != 1 or not _established(crd):
        return None
    subresources = tuple(
        sub
        for sub, on in ((SCALE, storage[0].scale is not None), (STATUS, storage[0].status))
        if on
    )
    info = KindInfo(
        kind=names["kind"],
        api_version=f"{spec['group']}/{storage[0].name}",
        plural=names["plural"],
        namespaced=spec.get("scope") != "Cluster",
        short_names=tuple(names.get("shortNames") or ()),
        categories=tuple(names.get("categories") or ()),
        subresources=subresources,
        singular_name=names.get("singular") or names["kind"].lower(),
    )
    list_kind = names.get("listKind") or f"{names['kind']}List"
    return CustomResource(crd["metadata"]["name"], info, list_kind, versions)


def _established(crd: Obj) -> bool:
    conditions = (crd.get("status") or {}).get("conditions") or []
    return any(c.get("type") == "Established" and c.get("status") == "True" for c in conditions)


def _version(version: Obj) -> CustomVersion:
    subresources = version.get("subresources") or {}
    scale = subresources.get("scale")
    return CustomVersion(
        name=version.get("name", ""),
        served=bool(version.get("served")),
        storage=bool(version.get("storage")),
        schema=((version.get("schema") or {}).get("openAPIV3Schema")) or {},
        status="status" in subresources,
        scale=ScaleSubresource(
            scale.get("specReplicasPath", ""),
            scale.get("statusReplicasPath", ""),
            scale.get("labelSelectorPath") or "",
        )
        if isinstance(scale, dict)
        else None,
        printer_columns=tuple(version.get("additionalPrinterColumns") or ()),
    )


_KUBE_VERSION = re.compile(r"^v(\d+)(?:(alpha|beta)(\d+))?$")


def version_priority(name: str) -> tuple[int, int, int, str]:
    """staging/src/k8s.io/apimachinery/pkg/version/helpers.go CompareKubeAwareVersionStrings:
    GA before beta before alpha, higher numbers first, then other names alphabetically."""
    match = _KUBE_VERSION.match(name)
    if match is None:
        return (3, 0, 0, name)
    major, stage, minor = match.groups()
    rank = {None: 0, "beta": 1, "alpha": 2}[stage]
    return (rank, -int(major), -int(minor or 0), "")
