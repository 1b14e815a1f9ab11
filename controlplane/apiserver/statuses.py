"""Status bodies the list and watch paths answer with, beyond a reason and a message: invalid
list options, an unparsable or unreached resourceVersion, an expired continue token."""

from __future__ import annotations

from typing import Any

from controlplane.api import errors
from controlplane.api.errors import ApiError, FieldError
from controlplane.api.registry import KindInfo


class StatusError(ApiError):
    """An error whose Status carries more than a reason and message: a continue token in its
    list metadata, or causes that are not field errors."""

    def __init__(
        self,
        reason: str,
        code: int,
        message: str,
        *,
        continue_token: str = "",
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(reason, code, message)
        self.continue_token = continue_token
        self.details = details

    def status(self) -> dict[str, Any]:
        status = super().status()
        if self.continue_token:
            status["metadata"] = {"continue": self.continue_token}
        if self.details is not None:
            status["details"] = self.details
        return status


def too_large_resource_version(requested: int, current: int) -> ApiError:
    """504: a revision the store has not reached (storage.NewTooLargeResourceVersionError)."""
    return StatusError(
        "Timeout",
        504,
        f"Timeout: Too large resource version: {requested}, current: {current}",
        details={
            "causes": [
                {"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}
            ],
            "retryAfterSeconds": 1,
        },
    )


def list_options_invalid(causes: list[FieldError]) -> ApiError:
    """422 for options that contradict each other, as get.go reports ValidateListOptions."""
    body = str(causes[0]) if len(causes) == 1 else f"[{', '.join(str(c) for c in causes)}]"
    return ApiError(
        "Invalid",
        422,
        f'ListOptions.meta.k8s.io "" is invalid: {body}',
        kind="ListOptions",
        causes=tuple(causes),
    )


def parse_resource_version(text: str, info: KindInfo) -> int:
    """APIObjectVersioner.ParseResourceVersion: a decimal uint64, else 422 Invalid."""
    if text.isdecimal() and text.isascii():
        return int(text)
    cause = errors.invalid_value(
        "resourceVersion", text, f'strconv.ParseUint: parsing "{text}": invalid syntax'
    )
    raise ApiError(
        "Invalid", 422, f'{info.plural} "" is invalid: {cause}', kind=info.plural, causes=(cause,)
    )
