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


@pytest.mark.parametrize(
    ("cause", "cause_type", "message"),
    [
        (errors.required("spec.selector"), "FieldValueRequired", "Required value"),
        (
            errors.invalid_value("spec.replicas", -1, "bad"),
            "FieldValueInvalid",
            "Invalid value: -1: bad",
        ),
        (
            errors.unsupported("spec.x", "y", ["z"]),
            "FieldValueNotSupported",
            'Unsupported value: "y": supported values: "z"',
        ),
        (errors.forbidden("spec.template", "no"), "FieldValueForbidden", "Forbidden: no"),
        (errors.duplicate("spec.c", "n"), "FieldValueDuplicate", 'Duplicate value: "n"'),
        (
            FieldError(
                "metadata.namespace",
                "NamespaceTerminating",
                detail="namespace x is being terminated",
            ),
            "NamespaceTerminating",
            "namespace x is being terminated",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_a_cause_carries_the_status_cause_type_and_error_body(
    cause: FieldError, cause_type: str, message: str
) -> None:
    """apierrors.NewInvalid: the cause's type is field.ErrorType's value (FieldValueRequired),
    its message the ErrorBody; a non-field cause keeps its own message."""
    sent = ApiError("Invalid", 422, "msg", causes=(cause,)).status()["details"]["causes"]
    assert sent == [{"reason": cause_type, "message": message, "field": cause.path}]
    received = ApiError.from_status({"details": {"causes": sent}}, 422).causes
    assert (received[0].type, str(received[0])) == (cause.type, str(cause))
