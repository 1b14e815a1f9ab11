"""kubectl's resource builder (staging/src/k8s.io/cli-runtime/pkg/resource/builder.go): what
it adds to a failed list request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from controlplane.api.errors import ApiError
from controlplane.api.registry import KindInfo


def enhance_list_error(
    exc: ApiError, info: KindInfo, selector: str | None, field_selector: str | None
) -> ApiError:
    """The builder's context on a failed list (EnhanceListError): `Unable to find
    "/v1, Resource=pods" that match label selector "...", field selector "...": <message>`,
    for a BadRequest or a NotFound; any other error as it came."""
    if exc.reason not in ("BadRequest", "NotFound"):
        return exc
    version = info.api_version.rpartition("/")[2]
    resource = f"{info.group}/{version}, Resource={info.plural}"
    if selector or field_selector:
        exc.message = (
            f'Unable to find "{resource}" that match label selector "{selector or ""}", '
            f'field selector "{field_selector or ""}": {exc.message}'
        )
    else:
        exc.message = f'Unable to list "{resource}": {exc.message}'
    return exc


@contextmanager
def list_errors(info: KindInfo, selector: str | None, field_selector: str | None) -> Iterator[None]:
    """A list request's errors as the builder reports them (`enhance_list_error`)."""
    try:
        yield
    except ApiError as exc:
        raise enhance_list_error(exc, info, selector, field_selector) from None
