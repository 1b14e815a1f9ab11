"""The custom kinds this process serves: read from the stored CRDs, put into the kind
registry (`registry.set_custom_kinds`) so that every part of the API finds them.

kube-apiserver's crdHandler watches CRDs through an informer; mkctl reloads them when a CRD
is written through this process's API, when a request names a kind or path it does not know
(another process may have created the CRD), and on every discovery request. `source` names
the store the kinds were read from, so that an API over another store reloads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from controlplane.api.crd.definitions import CustomResource, custom_resource
from controlplane.api.registry import KindInfo, is_served, set_custom_kinds
from controlplane.models.constants import Obj


@dataclass
class _Served:
    by_kind: dict[str, CustomResource] = field(default_factory=dict)
    source: object = None


_SERVED = _Served()


def load(crds: Iterable[Obj], source: object) -> None:
    """Serve the kinds of these CRDs (every CRD in the store) and nothing else."""
    by_kind: dict[str, CustomResource] = {}
    for crd in crds:
        served = custom_resource(crd)
        if served is not None and served.info.kind not in by_kind:
            by_kind[served.info.kind] = served
    storage: dict[str, KindInfo] = {kind: c.info for kind, c in by_kind.items()}
    set_custom_kinds(storage, tuple(i for c in by_kind.values() for i in c.served_infos()))
    _SERVED.by_kind, _SERVED.source = by_kind, source


def loaded_from(source: object) -> bool:
    return _SERVED.source is source


def custom(kind: str) -> CustomResource | None:
    """The custom resource of a served custom kind, else None."""
    found = _SERVED.by_kind.get(kind)
    return found if found is not None and is_served(kind) else None


def all_custom() -> list[CustomResource]:
    """Every served custom resource."""
    return [c for kind, c in _SERVED.by_kind.items() if is_served(kind)]


def list_kind(kind: str) -> str:
    """`DeploymentList`, or a custom kind's `names.listKind`."""
    resource = custom(kind)
    return resource.list_kind if resource is not None else f"{kind}List"
