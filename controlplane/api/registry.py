"""The kinds the API serves, with the names kubectl uses for them and what discovery says of
them: verbs, short names, categories and subresources, as kube-apiserver 1.37 lists them
(each kind's REST storage in pkg/registry/<group>/<resource>/storage/storage.go declares
`ShortNames`, `Categories` and its subresource stores; the verbs follow from the storage's
interfaces in staging/src/k8s.io/apiserver/pkg/endpoints/installer.go).

`resource` is what Kubernetes puts in messages (`deployments.apps "web" not found`);
`kind_group` is the prefix of name output (`deployment.apps/web`).

Every command imports this module, so its records are NamedTuples: `dataclasses` imports
`inspect` (with `ast`, `dis` and `tokenize`), ~12 ms of a `get` that a daemon answers.
"""

from __future__ import annotations

from typing import NamedTuple

# Every verb of a store that can create, read, update, delete and watch, and delete a
# collection: installer.go's order is irrelevant, discovery lists them sorted.
VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
# The verbs of a `/status` subresource (a get, update and patch store).
STATUS_VERBS = ("get", "patch", "update")


class Subresource(NamedTuple):
    """One subresource of a kind: `deployments/scale` answers an autoscaling/v1 Scale;
    `response_api_version` and `response_kind` are empty when it answers the kind itself."""

    name: str
    verbs: tuple[str, ...]
    response_api_version: str = ""
    response_kind: str = ""


STATUS = Subresource("status", STATUS_VERBS)
# pkg/registry/apps/deployment/storage/storage.go ScaleREST (and the replicaset and
# statefulset ones): GroupVersionKind autoscaling/v1 Scale.
SCALE = Subresource("scale", STATUS_VERBS, "autoscaling/v1", "Scale")
# pkg/registry/core/pod/storage/eviction.go: EvictionREST creates a policy/v1 Eviction.
EVICTION = Subresource("eviction", ("create",), "policy/v1", "Eviction")
# pkg/registry/core/pod/rest/log.go: LogREST answers a pod's log (GET only).
LOG = Subresource("log", ("get",))
# pkg/registry/core/pod/storage/storage.go: BindingREST creates a v1 Binding.
BINDING = Subresource("binding", ("create",), "v1", "Binding")


class KindInfo(NamedTuple):
    kind: str
    api_version: str
    plural: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    verbs: tuple[str, ...] = VERBS
    categories: tuple[str, ...] = ()
    subresources: tuple[Subresource, ...] = ()
    # The warning every request for a deprecated resource earns (the `deprecated` and
    # `removedRelease` of its REST storage, staging/src/k8s.io/apiserver/pkg/endpoints/
    # installer.go, as `Warning: ...` headers).
    deprecation: str = ""
    # A custom resource's `names.singular` (built-in kinds' singular is the lower-case kind).
    singular_name: str = ""

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]

    @property
    def version(self) -> str:
        return self.api_version.rpartition("/")[2]

    @property
    def singular(self) -> str:
        return self.singular_name or self.kind.lower()

    @property
    def resource(self) -> str:
        """`deployments.apps`, `pods`: the plural resource and group, as in API messages."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def kind_group(self) -> str:
        """`deployment.apps`, `pod`: the prefix of `-o name` and of success messages."""
        return f"{self.singular}.{self.group}" if self.group else self.singular

    @property
    def group_kind(self) -> str:
        """`Deployment.apps`, `ReplicaSet.apps`, `Pod`: as kubectl names a kind in errors."""
        return f"{self.kind}.{self.group}" if self.group else self.kind


ALL = ("all",)  # the category `kubectl get all` expands

KINDS: tuple[KindInfo, ...] = (
    # A namespace is deleted one at a time (no deletecollection), and finalized: the
    # `finalize` subresource is not served by mkctl.
    KindInfo(
        "Namespace",
        "v1",
        "namespaces",
        namespaced=False,
        short_names=("ns",),
        verbs=("create", "delete", "get", "list", "patch", "update", "watch"),
        subresources=(STATUS,),
    ),
    KindInfo("Node", "v1", "nodes", namespaced=False, short_names=("no",), subresources=(STATUS,)),
    KindInfo(
        "Pod",
        "v1",
        "pods",
        namespaced=True,
        short_names=("po",),
        categories=ALL,
        subresources=(BINDING, EVICTION, LOG, STATUS),
    ),
    KindInfo(
        "ReplicaSet",
        "apps/v1",
        "replicasets",
        namespaced=True,
        short_names=("rs",),
        categories=ALL,
        subresources=(SCALE, STATUS),
    ),
    KindInfo(
        "Deployment",
        "apps/v1",
        "deployments",
        namespaced=True,
        short_names=("deploy",),
        categories=ALL,
        subresources=(SCALE, STATUS),
    ),
    KindInfo(
        "StatefulSet",
        "apps/v1",
        "statefulsets",
        namespaced=True,
        short_names=("sts",),
        categories=ALL,
        subresources=(SCALE, STATUS),
    ),
    KindInfo(
        "DaemonSet",
        "apps/v1",
        "daemonsets",
        namespaced=True,
        short_names=("ds",),
        categories=ALL,
        subresources=(STATUS,),
    ),
    KindInfo("ControllerRevision", "apps/v1", "controllerrevisions", namespaced=True),
    KindInfo("Event", "v1", "events", namespaced=True, short_names=("ev",)),
    # pkg/registry/core/configmap/storage/storage.go (ShortNames `cm`) and
    # pkg/registry/core/secret/storage/storage.go (no short names): plain stores, no
    # subresources, no categories.
    KindInfo("ConfigMap", "v1", "configmaps", namespaced=True, short_names=("cm",)),
    KindInfo("Secret", "v1", "secrets", namespaced=True),
    # pkg/registry/batch/job/storage/storage.go (category `all`, no short name) and
    # pkg/registry/batch/cronjob/storage/storage.go (ShortNames `cj`, category `all`).
    KindInfo("Job", "batch/v1", "jobs", namespaced=True, categories=ALL, subresources=(STATUS,)),
    KindInfo(
        "CronJob",
        "batch/v1",
        "cronjobs",
        namespaced=True,
        short_names=("cj",),
        categories=ALL,
        subresources=(STATUS,),
    ),
    # pkg/registry/core/service/storage/storage.go (ShortNames `svc`, Categories `all`, a
    # status store; the proxy subresource is not served),
    # pkg/registry/core/endpoint/storage/storage.go (ShortNames `ep`) and
    # pkg/registry/discovery/endpointslice/storage/storage.go (no short names).
    KindInfo(
        "Service",
        "v1",
        "services",
        namespaced=True,
        short_names=("svc",),
        categories=ALL,
        subresources=(STATUS,),
    ),
    KindInfo(
        "Endpoints",
        "v1",
        "endpoints",
        namespaced=True,
        short_names=("ep",),
        deprecation="v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice",
    ),
    KindInfo("EndpointSlice", "discovery.k8s.io/v1", "endpointslices", namespaced=True),
    # pkg/registry/core/persistentvolumeclaim/storage/storage.go (ShortNames `pvc`),
    # pkg/registry/core/persistentvolume/storage/storage.go (`pv`, cluster-scoped), both with
    # a status store; pkg/registry/storage/storageclass/storage/storage.go (`sc`).
    KindInfo(
        "PersistentVolumeClaim",
        "v1",
        "persistentvolumeclaims",
        namespaced=True,
        short_names=("pvc",),
        subresources=(STATUS,),
    ),
    KindInfo(
        "PersistentVolume",
        "v1",
        "persistentvolumes",
        namespaced=False,
        short_names=("pv",),
        subresources=(STATUS,),
    ),
    KindInfo(
        "StorageClass",
        "storage.k8s.io/v1",
        "storageclasses",
        namespaced=False,
        short_names=("sc",),
    ),
    # staging/src/k8s.io/apiextensions-apiserver/pkg/registry/customresourcedefinition/
    # etcd.go: ShortNames `crd`, `crds`; Categories `api-extensions`; a status store.
    KindInfo(
        "CustomResourceDefinition",
        "apiextensions.k8s.io/v1",
        "customresourcedefinitions",
        namespaced=False,
        short_names=("crd", "crds"),
        categories=("api-extensions",),
        subresources=(STATUS,),
    ),
    # pkg/registry/coordination/lease/storage/storage.go: a plain store, no short names, no
    # categories. Where the controller manager's leader election keeps its lock.
    KindInfo("Lease", "coordination.k8s.io/v1", "leases", namespaced=True),
)

_BY_KIND = {info.kind: info for info in KINDS}


class _CustomKinds:
    """The kinds CustomResourceDefinitions add (`api/crd/served.py` sets them): each kind at
    its storage version, and every served version of each (discovery and paths)."""

    def __init__(self) -> None:
        self.storage: dict[str, KindInfo] = {}
        self.served: tuple[KindInfo, ...] = ()
        self.generation = 0


_CUSTOM = _CustomKinds()


def set_custom_kinds(storage: dict[str, KindInfo], served: tuple[KindInfo, ...]) -> None:
    """Serve these custom kinds instead of the previous ones (a no-op when unchanged)."""
    if storage != _CUSTOM.storage or served != _CUSTOM.served:
        _CUSTOM.storage, _CUSTOM.served = dict(storage), served
        _CUSTOM.generation += 1


def custom_generation() -> int:
    """Counts the changes of the custom kinds: caches of discovery and OpenAPI key on it."""
    return _CUSTOM.generation


def served_kinds() -> tuple[KindInfo, ...]:
    """The built-in kinds, then every served version of every custom kind."""
    return KINDS + _CUSTOM.served


def stored_kinds() -> tuple[KindInfo, ...]:
    """Every kind whose objects the store holds: the built-in kinds, then each custom kind
    once, at its storage version."""
    return KINDS + tuple(_CUSTOM.storage.values())


def kind_info(kind: str) -> KindInfo:
    """The registry entry of a served kind (a custom one at its storage version); KeyError
    for others."""
    return _BY_KIND.get(kind) or _CUSTOM.storage[kind]


def is_served(kind: str) -> bool:
    return kind in _BY_KIND or kind in _CUSTOM.storage


def is_custom(kind: str) -> bool:
    return kind in _CUSTOM.storage
