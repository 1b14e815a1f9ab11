"""API errors shaped like Kubernetes `Status` objects.

Every failure a verb can report is an `ApiError` carrying the same reason, code, message and
causes a real API server sends, so that the CLI can render it exactly as kubectl does
(`Error from server (NotFound): ...`, `The Deployment "web" is invalid: ...`).
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from controlplane.api.registry import KindInfo


class _NoValue:
    """Marks a field error whose type shows no bad value (Required, Forbidden)."""


NO_VALUE: Any = _NoValue()

# field.ErrorType: what a field error is called in its message, and the StatusCause type a
# Status carries for it (staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go,
# ErrorType.String; apierrors.NewInvalid copies err.Type into the cause).
FIELD_ERROR_CAUSE_TYPES = {
    "Not found": "FieldValueNotFound",
    "Required value": "FieldValueRequired",
    "Duplicate value": "FieldValueDuplicate",
    "Invalid value": "FieldValueInvalid",
    "Unsupported value": "FieldValueNotSupported",
    "Forbidden": "FieldValueForbidden",
    "Too long": "FieldValueTooLong",
    "Too many": "FieldValueTooMany",
    "Internal error": "InternalError",
}
_FIELD_ERROR_TYPES = {cause: name for name, cause in FIELD_ERROR_CAUSE_TYPES.items()}


class FieldError(NamedTuple):
    """One validation problem, rendered `<path>: <Type>[: <bad value>][: <detail>]`."""

    path: str
    type: str
    value: Any = NO_VALUE
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.body()}"

    def cause(self) -> dict[str, str]:
        """The StatusCause: a field error's message is its ErrorBody; other causes (a
        FieldManagerConflict, NamespaceTerminating) carry their own message."""
        if self.type in FIELD_ERROR_CAUSE_TYPES:
            return {
                "reason": FIELD_ERROR_CAUSE_TYPES[self.type],
                "message": self.body(),
                "field": self.path,
            }
        return {"reason": self.type, "message": self.detail, "field": self.path}

    def body(self) -> str:
        """field.Error's ErrorBody: the error without its path, as a Status cause's message."""
        parts = [self.type]
        if not isinstance(self.value, _NoValue):
            parts.append(render_bad_value(self.value))
        if self.detail:
            parts.append(self.detail)
        return ": ".join(parts)


def render_bad_value(value: Any) -> str:
    """Numbers and booleans plain, strings quoted, anything else compact JSON (as v1.31+)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if value is None:
        return "null"
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def required(path: str, detail: str = "") -> FieldError:
    return FieldError(path, "Required value", NO_VALUE, detail)


def invalid_value(path: str, value: Any, detail: str) -> FieldError:
    return FieldError(path, "Invalid value", value, detail)


def unsupported(path: str, value: Any, supported: list[str]) -> FieldError:
    values = ", ".join(f'"{s}"' for s in supported)
    return FieldError(path, "Unsupported value", value, f"supported values: {values}")


def forbidden(path: str, detail: str) -> FieldError:
    return FieldError(path, "Forbidden", NO_VALUE, detail)


def duplicate(path: str, value: Any) -> FieldError:
    return FieldError(path, "Duplicate value", value)


def too_many(path: str, actual: int, limit: int) -> FieldError:
    """field.TooMany: more items (or properties) than `limit`."""
    return FieldError(path, "Too many", actual, f"must have at most {limit} items")


class ApiError(Exception):
    """A failed API call, as the Status object Kubernetes would return."""

    def __init__(
        self,
        reason: str,
        code: int,
        message: str,
        *,
        kind: str = "",
        name: str = "",
        causes: tuple[FieldError, ...] = (),
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.code = code
        self.message = message
        self.kind = kind
        self.name = name
        self.causes = causes

    def status(self) -> dict[str, Any]:
        details: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.causes:
            details["causes"] = [c.cause() for c in self.causes]
        return {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "details": details,
            "code": self.code,
        }

    @classmethod
    def from_status(cls, status: dict[str, Any], code: int) -> ApiError:
        """The error a Status body describes, as a client of the REST API receives it."""
        details = status.get("details") or {}
        causes = tuple(cause_from_status(c) for c in details.get("causes") or [])
        return cls(
            str(status.get("reason", "")),
            int(status.get("code") or code),
            str(status.get("message", "")),
            kind=str(details.get("kind", "")),
            name=str(details.get("name", "")),
            causes=causes,
        )


def not_found(info: KindInfo, name: str) -> ApiError:
    return ApiError(
        "NotFound", 404, f'{info.resource} "{name}" not found', kind=info.plural, name=name
    )


def already_exists(info: KindInfo, name: str) -> ApiError:
    return ApiError(
        "AlreadyExists",
        409,
        f'{info.resource} "{name}" already exists',
        kind=info.plural,
        name=name,
    )


def conflict(info: KindInfo, name: str, why: str = "") -> ApiError:
    why = why or (
        "the object has been modified; please apply your changes to the latest version "
        "and try again"
    )
    return ApiError(
        "Conflict",
        409,
        f'Operation cannot be fulfilled on {info.resource} "{name}": {why}',
        kind=info.plural,
        name=name,
    )


MAX_REQUEST_BYTES = 3 * 1024 * 1024  # apiserver's MaxRequestBodyBytes


def request_too_large() -> ApiError:
    """413: a body over the API server's limit, refused before it is even decoded."""
    return ApiError(
        "RequestEntityTooLarge", 413, f"Request entity too large: limit is {MAX_REQUEST_BYTES}"
    )


def storage_too_large() -> ApiError:
    """etcd's refusal of an object over 1.5 MiB, passed on with no reason (kubectl then
    prints `Error from server: etcdserver: request is too large`)."""
    return ApiError("", 500, "etcdserver: request is too large")


def expired(requested: int, compacted: int) -> ApiError:
    """410 Gone: a watch from a revision the log no longer reaches (apiserver watch_cache.go)."""
    return ApiError("Expired", 410, f"too old resource version: {requested} ({compacted})")


def invalid(info: KindInfo, name: str, errors: list[FieldError]) -> ApiError:
    """422 Invalid; the message lists every cause, as the API server's does."""
    body = str(errors[0]) if len(errors) == 1 else f"[{', '.join(str(e) for e in errors)}]"
    return ApiError(
        "Invalid",
        422,
        f'{info.group_kind} "{name}" is invalid: {body}',
        kind=info.kind,
        name=name,
        causes=tuple(errors),
    )


def bad_request(message: str) -> ApiError:
    return ApiError("BadRequest", 400, message)


def forbidden_status(
    info: KindInfo, name: str, why: str, *, causes: tuple[FieldError, ...] = ()
) -> ApiError:
    """403 Forbidden as apierrors.NewForbidden words it: `pods "x" is forbidden: <why>`."""
    subject = f'{info.resource} "{name}"' if name else info.resource
    return ApiError(
        "Forbidden",
        403,
        f"{subject} is forbidden: {why}",
        kind=info.plural,
        name=name,
        causes=causes,
    )


def has_cause(exc: ApiError, cause_type: str) -> bool:
    """apierrors.HasStatusCause: does the Status carry a cause of this type?"""
    return any(c.type == cause_type for c in exc.causes)


def cause_from_status(cause: dict[str, Any]) -> FieldError:
    """A StatusCause read back: a field error's message is its ErrorBody (the type's name,
    then the value and detail if any); any other cause's message is its detail."""
    reason = str(cause.get("reason", ""))
    message = str(cause.get("message", ""))
    field = str(cause.get("field", ""))
    if reason in _FIELD_ERROR_TYPES:
        name = _FIELD_ERROR_TYPES[reason]
        return FieldError(field, name, detail=message.removeprefix(name).lstrip(": "))
    return FieldError(field, reason, detail=message)


class PatchError(ValueError):
    """A patch that cannot be applied: bad operation, missing path, malformed directive."""
