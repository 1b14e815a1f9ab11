"""An ApiError sent as a Status body and rebuilt by a REST client renders as the original."""

from __future__ import annotations

import pytest

from controlplane.api import errors
from controlplane.api.errors import ApiError, FieldError


@pytest.mark.parametrize(
    "cause",
    [
        errors.required("spec.containers[0].image"),
        errors.required("spec.selector", "must be set"),
        errors.invalid_value("spec.replicas", -1, "must be greater than or equal to 0"),
        errors.unsupported("spec.strategy.type", "Sideways", ["Recreate", "RollingUpdate"]),
        errors.forbidden("spec.template", "may not be changed"),
        errors.duplicate("spec.containers[1].name", "nginx"),
    ],
    ids=str,
)
def test_a_cause_survives_the_status_round_trip(cause: FieldError) -> None:
    sent = ApiError("Invalid", 422, "msg", kind="Pod", name="p", causes=(cause,))
    received = ApiError.from_status(sent.status(), 422)
    assert [str(c) for c in received.causes] == [str(cause)]
    assert (received.reason, received.code, received.kind, received.name) == (
        "Invalid",
        422,
        "Pod",
        "p",
    )
