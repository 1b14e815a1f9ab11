"""Lease validation: a DNS-subdomain name, a positive duration, a count of transitions that
is never negative.

Ported from `pkg/apis/coordination/validation/validation.go` (ValidateLease,
ValidateLeaseUpdate, ValidateLeaseSpec). The holder is a free-form string. `strategy` and
`preferredHolder` belong to coordinated leader election, whose feature gate is off: the
strategy drops them before validation (see `strategy.coordination`).
"""

from __future__ import annotations

from controlplane.api.errors import invalid_value
from controlplane.api.validation.common import (
    Errors,
    meta_errors,
    name_is_dns_subdomain,
    obj_or_empty,
)
from controlplane.models.constants import Obj


def validate_lease(obj: Obj, old: Obj | None) -> Errors:
    """ValidateLease (ValidateObjectMeta, then the spec) or ValidateLeaseUpdate."""
    errs = meta_errors(obj, name_is_dns_subdomain, namespaced=True, update=old is not None)
    spec = obj_or_empty(obj.get("spec"))
    duration = spec.get("leaseDurationSeconds")
    if isinstance(duration, int) and duration <= 0:
        errs.append(invalid_value("spec.leaseDurationSeconds", duration, "must be greater than 0"))
    transitions = spec.get("leaseTransitions")
    if isinstance(transitions, int) and transitions < 0:
        errs.append(
            invalid_value(
                "spec.leaseTransitions", transitions, "must be greater than or equal to 0"
            )
        )
    return errs
