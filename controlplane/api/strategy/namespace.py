"""Namespaces and Nodes: objects whose status a create keeps
(pkg/registry/core/namespace/strategy.go, pkg/registry/core/node/strategy.go)."""

from __future__ import annotations

from controlplane.api import namespaces
from controlplane.api.strategy.generic import Strategy
from controlplane.models.constants import Obj


class NamespaceStrategy(Strategy):
    keeps_status_on_create = True

    def keep_on_update(self, obj: Obj, stored: Obj) -> None:
        """namespaceStrategy.PrepareForUpdate: spec.finalizers and the phase stay."""
        namespaces.keep_lifecycle_fields(obj, stored)

    def deletion_can_finish(self, obj: Obj) -> bool:
        """A terminating namespace goes once its spec.finalizers are empty too."""
        return super().deletion_can_finish(obj) and namespaces.is_finalized(obj)


class NodeStrategy(Strategy):
    keeps_status_on_create = True
