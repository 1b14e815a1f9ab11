"""The options of a write, from its query string (and a DELETE's body): `dryRun`,
`fieldValidation`, and DeleteOptions.

As the API server does (staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/
validation.go ValidateCreateOptions, ValidateUpdateOptions, ValidatePatchOptions,
ValidateDeleteOptions), a value it does not support is a 422 about the options object:
`CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["x"]: supported
values: "All"`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from controlplane.api import errors
from controlplane.api.errors import ApiError, FieldError
from controlplane.api.field_validation import DIRECTIVES, SERVER_DEFAULT
from controlplane.api.jsonsyntax import go_type_name
from controlplane.apiserver.exchange import Query

DRY_RUN_ALL = "All"
OPTIONS_KIND = {
    "POST": "CreateOptions",
    "PUT": "UpdateOptions",
    "PATCH": "PatchOptions",
    "DELETE": "DeleteOptions",
}


@dataclass(frozen=True)
class WriteOptions:
    dry_run: bool
    field_validation: str  # Ignore, Warn or Strict


@dataclass(frozen=True)
class DeleteOptions:
    dry_run: bool
    propagation: str | None
    grace_period_seconds: int | None
    uid: str
    resource_version: str


def write_options(verb: str, query: Query) -> WriteOptions:
    """The options of a create (POST), update (PUT) or patch (PATCH)."""
    dry_run = query.get("dryRun") or []
    directive = first(query, "fieldValidation") or ""
    problems = _dry_run_errors(dry_run)
    if directive not in ("", *DIRECTIVES):
        problems.append(errors.unsupported("fieldValidation", directive, sorted(("", *DIRECTIVES))))
    _refuse(verb, problems)
    return WriteOptions(DRY_RUN_ALL in dry_run, directive or SERVER_DEFAULT)


def delete_options(query: Query, body: Any) -> DeleteOptions:
    """DeleteOptions from the body, or from the query as kubectl's flags may send them."""
    if not isinstance(body, dict):
        raise errors.bad_request("the body of the request must be DeleteOptions")
    preconditions = body.get("preconditions") or {}
    grace = body.get("gracePeriodSeconds", first(query, "gracePeriodSeconds"))
    dry_run = body.get("dryRun") or query.get("dryRun") or []
    if not isinstance(dry_run, list):
        raise errors.bad_request(
            f"json: cannot unmarshal {go_type_name(dry_run)} into Go struct field "
            "DeleteOptions.dryRun of type []string"
        )
    _refuse("DELETE", _dry_run_errors(dry_run))
    return DeleteOptions(
        dry_run=DRY_RUN_ALL in dry_run,
        propagation=body.get("propagationPolicy") or first(query, "propagationPolicy"),
        grace_period_seconds=_grace_period(grace),
        uid=preconditions.get("uid") or "",
        resource_version=preconditions.get("resourceVersion") or "",
    )


def _grace_period(value: object) -> int | None:
    if value is None:
        return None
    if not isinstance(value, bool) and isinstance(value, int | str):
        try:
            return int(value)
        except ValueError:
            pass
    raise errors.bad_request(f"gracePeriodSeconds must be an integer, not {value!r}")


def _dry_run_errors(dry_run: Any) -> list[FieldError]:
    if all(value == DRY_RUN_ALL for value in dry_run):
        return []
    return [errors.unsupported("dryRun", list(dry_run), [DRY_RUN_ALL])]


def _refuse(verb: str, problems: list[FieldError]) -> None:
    if not problems:
        return
    kind = OPTIONS_KIND[verb]
    body = str(problems[0]) if len(problems) == 1 else f"[{', '.join(map(str, problems))}]"
    raise ApiError(
        "Invalid",
        422,
        f'{kind}.meta.k8s.io "" is invalid: {body}',
        kind=kind,
        causes=tuple(problems),
    )


def first(query: Query, key: str) -> str | None:
    values = query.get(key)
    return values[0] if values else None
