"""The kinds the API serves, with the names kubectl uses for them.

`resource` is what Kubernetes puts in messages (`deployments.apps "web" not found`);
`kind_group` is the prefix of name output (`deployment.apps/web`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KindInfo:
    kind: str
    api_version: str
    plural: str
    namespaced: bool
    short_names: tuple[str, ...] = ()

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]

    @property
    def singular(self) -> str:
        return self.kind.lower()

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


KINDS: tuple[KindInfo, ...] = (
    KindInfo("Namespace", "v1", "namespaces", namespaced=False, short_names=("ns",)),
    KindInfo("Node", "v1", "nodes", namespaced=False, short_names=("no",)),
    KindInfo("Pod", "v1", "pods", namespaced=True, short_names=("po",)),
    KindInfo("ReplicaSet", "apps/v1", "replicasets", namespaced=True, short_names=("rs",)),
    KindInfo("Deployment", "apps/v1", "deployments", namespaced=True, short_names=("deploy",)),
    KindInfo("StatefulSet", "apps/v1", "statefulsets", namespaced=True, short_names=("sts",)),
    KindInfo("DaemonSet", "apps/v1", "daemonsets", namespaced=True, short_names=("ds",)),
    KindInfo("ControllerRevision", "apps/v1", "controllerrevisions", namespaced=True),
    KindInfo("Event", "v1", "events", namespaced=True, short_names=("ev",)),
)

_BY_KIND = {info.kind: info for info in KINDS}


def kind_info(kind: str) -> KindInfo:
    """The registry entry of a served kind; KeyError for others."""
    return _BY_KIND[kind]


def is_served(kind: str) -> bool:
    return kind in _BY_KIND
