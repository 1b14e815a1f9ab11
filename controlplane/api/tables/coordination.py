"""Table columns and cells of Leases, as pkg/printers/internalversion/printers.go
(AddHandlers, printLease) prints them: the holder's identity, empty when none holds it."""

from __future__ import annotations

from controlplane.api.tables.columns import AGE, NAME, Cell, ColumnDefinition, name_and_age
from controlplane.models.constants import Obj

# staging/src/k8s.io/api/coordination/v1/types_swagger_doc_generated.go: LeaseSpec's
# holderIdentity, the description upstream gives the column.
_HOLDER_IDENTITY = (
    "holderIdentity contains the identity of the holder of a current lease. If Coordinated "
    "Leader Election is used, the holder identity must be equal to the elected "
    "LeaseCandidate.metadata.name field."
)

LEASE_COLUMNS = (NAME, ColumnDefinition("Holder", _HOLDER_IDENTITY), AGE)


def lease_cells(lease: Obj, now: float) -> list[Cell]:
    spec = lease.get("spec") or {}
    holder = spec.get("holderIdentity") if isinstance(spec, dict) else None
    name, created = name_and_age(lease, now)
    return [name, str(holder or ""), created]
