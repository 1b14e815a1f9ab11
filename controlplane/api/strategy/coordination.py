"""The Lease strategy (pkg/registry/coordination/lease/strategy.go): with the
CoordinatedLeaderElection feature gate off, as it is by default, PrepareForCreate and
PrepareForUpdate drop `spec.strategy` and `spec.preferredHolder`."""

from __future__ import annotations

from controlplane.api.strategy.generic import Strategy
from controlplane.models.constants import Obj

_GATED_FIELDS = ("strategy", "preferredHolder")


def _drop_disabled_fields(obj: Obj) -> None:
    spec = obj.get("spec")
    if isinstance(spec, dict):
        for field in _GATED_FIELDS:
            spec.pop(field, None)


class LeaseStrategy(Strategy):
    def prepare_for_create(self, obj: Obj) -> None:
        _drop_disabled_fields(obj)

    def prepare_for_update(self, obj: Obj, stored: Obj) -> None:
        _drop_disabled_fields(obj)
