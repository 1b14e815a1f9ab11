"""Services: allocated cluster IPs and node ports (pkg/registry/core/service/strategy.go,
and storage/storage.go's beginCreate/beginUpdate over storage/alloc.go)."""

from __future__ import annotations

from controlplane.api.services import allocation
from controlplane.api.strategy.generic import Strategy
from controlplane.ids import Ids
from controlplane.models.constants import Obj
from controlplane.store.reader import Reader


class ServiceStrategy(Strategy):
    def prepare_for_update(self, obj: Obj, stored: Obj) -> None:
        """An update that leaves out the cluster IP or a node port keeps what is allocated
        (alloc.go patchAllocatedValues)."""
        allocation.keep_allocated(obj, stored)

    def allocate(self, reader: Reader, obj: Obj, stored: Obj | None, ids: Ids) -> None:
        allocation.allocate(reader, obj, stored, ids)
