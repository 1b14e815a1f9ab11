"""The verbs a client of the cluster speaks, as one typed interface.

mkctl's commands and kubectl's client-side logic (`minikubectl/kubectl/`) are written
against `ClusterApi`, and two things satisfy it: `controlplane.api.verbs.Api`, in process over
the store (embedded mode), and the CLI's `RemoteApi`, over a daemon's Kubernetes REST API. Both
return the same objects and raise the same `ApiError`s, so a command cannot tell them apart.

Only what a REST client can do is here: no owner index, no change log, no store. This
module imports nothing heavier than the models, so the CLI can know the interface without
importing the store.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol

from controlplane.clock import Clock
from controlplane.models.constants import Obj
from controlplane.models.meta import is_controlled_by


class ClusterApi(Protocol):
    """get, list, create, update, update_status, patch, apply and delete, as the API server
    serves them; `dry_run` is the request's `dryRun=All`."""

    @property
    def clock(self) -> Clock:
        """The client's clock, for the stamps a client writes (`rollout restart`)."""
        ...

    def get(self, kind: str, namespace: str, name: str) -> Obj: ...

    def list(
        self,
        kind: str,
        namespace: str | None = None,
        *,
        label_selector: Mapping[str, Any] | str | None = None,
        field_selector: str | None = None,
    ) -> builtins.list[Obj]:
        """`namespace=None` lists every namespace; a mapping is a LabelSelector object."""
        ...

    def create(self, obj: Obj, *, dry_run: bool = False, field_manager: str = "") -> Obj:
        """`field_manager` names the writer in managedFields (the `fieldManager` query
        parameter); empty, the server names it."""
        ...

    def update(self, obj: Obj, *, dry_run: bool = False, field_manager: str = "") -> Obj: ...

    def update_status(self, obj: Obj, *, dry_run: bool = False, field_manager: str = "") -> Obj: ...

    def patch(
        self,
        kind: str,
        namespace: str,
        name: str,
        body: Any,
        patch_type: str,
        *,
        dry_run: bool = False,
        field_manager: str = "",
    ) -> Obj:
        """`patch_type` is `json`, `merge` or `strategic`; `body` a decoded patch or its text."""
        ...

    def apply(
        self, config: Obj, *, field_manager: str, force: bool = False, dry_run: bool = False
    ) -> tuple[Obj, bool]:
        """Server-side apply of `config` by `field_manager` (`force` takes conflicting
        fields); the object, and True when the apply created it."""
        ...

    def delete(
        self,
        kind: str,
        namespace: str,
        name: str,
        *,
        propagation: str | None = None,
        grace_period_seconds: int | None = None,
        uid: str = "",
        resource_version: str = "",
        dry_run: bool = False,
    ) -> Obj:
        """DeleteOptions: propagation policy, grace period, preconditions (`uid`,
        `resource_version`: a 409 Conflict unless the object still has them), dry run."""
        ...

    def batch(self) -> AbstractContextManager[None]:
        """Writes inside commit together where the door can: in process, one store
        transaction. Kubernetes' REST API has no transactions, so over HTTP each write
        commits alone; see `minikubectl/manifest_writes.py` for what mkctl guarantees there."""
        ...


def controlled_by(api: ClusterApi, kind: str, owner: Obj) -> list[Obj]:
    """The objects of `kind` whose controller is `owner`, found as kubectl finds them: listed
    by the owner's selector, then kept if their controller ownerReference is the owner's uid
    (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/history.go controlledHistoryV1,
    pkg/describe/describe.go getPodsForReplicaSet). REST has no owner index to ask."""
    selector = (owner.get("spec") or {}).get("selector")
    found = api.list(
        kind,
        owner["metadata"].get("namespace"),
        label_selector=selector if isinstance(selector, Mapping) else None,
    )
    return [obj for obj in found if is_controlled_by(obj, owner)]
