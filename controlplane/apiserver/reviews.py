"""A user asking about itself: `kubectl auth can-i` and `kubectl auth whoami`.

`POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews` answers whether the caller
may do what `spec` describes (pkg/registry/authorization/selfsubjectaccessreview/rest.go),
decided by the same `authorizer` that guards every request; `POST /apis/
authentication.k8s.io/v1/selfsubjectreviews` answers who the caller is (pkg/registry/
authentication/selfsubjectreview/rest.go). Both are created and never stored: the answer is
the request with its `status` filled in, with 201 Created.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from controlplane.api.errors import ApiError, FieldError, invalid_value
from controlplane.apiserver import protobuf
from controlplane.apiserver.authorizer import User, authorize
from controlplane.apiserver.bodies import decode
from controlplane.apiserver.exchange import Request, Response, error_response, json_response
from controlplane.apiserver.requestinfo import Attributes

ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"
SELF_REVIEWS = "/apis/authentication.k8s.io/v1/selfsubjectreviews"


def _review(request: Request, kind: str, api_version: str) -> dict[str, Any]:
    if protobuf.is_protobuf(request.header("content-type")):  # kubectl's typed client
        review: Any = protobuf.decode_body(request.body)
    else:
        review = decode(request.body)
    if not isinstance(review, dict) or review.get("kind", kind) != kind:
        raise ApiError("BadRequest", 400, f"the body of the request is not a {kind}")
    review["kind"], review["apiVersion"] = kind, api_version
    review["metadata"] = {**(review.get("metadata") or {}), "creationTimestamp": None}
    return review


def _invalid(why: FieldError) -> ApiError:
    return ApiError(
        "Invalid",
        422,
        f'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: {why}',
        kind="SelfSubjectAccessReview",
        causes=(why,),
    )


def access_review(user: User, request: Request) -> Response:
    """SelfSubjectAccessReview: `status.allowed` for the attributes of `spec`."""
    review = _review(request, "SelfSubjectAccessReview", "authorization.k8s.io/v1")
    spec = review.get("spec") or {}
    resource: dict[str, Any] | None = spec.get("resourceAttributes")
    path: dict[str, Any] | None = spec.get("nonResourceAttributes")
    # ValidateSelfSubjectAccessReviewSpec (pkg/apis/authorization/validation/validation.go)
    if resource is not None and path is not None:
        raise _invalid(
            invalid_value(
                "spec.nonResourceAttributes",
                path,
                "cannot be specified in combination with resourceAttributes",
            )
        )
    if resource is None and path is None:
        raise _invalid(
            invalid_value(
                "spec.resourceAttributes",
                None,
                "exactly one of nonResourceAttributes or resourceAttributes must be specified",
            )
        )
    if resource is not None:
        attributes = Attributes(
            str(resource.get("verb") or ""),
            "",
            True,
            str(resource.get("group") or ""),
            str(resource.get("version") or ""),
            str(resource.get("resource") or ""),
            str(resource.get("subresource") or ""),
            str(resource.get("namespace") or ""),
            str(resource.get("name") or ""),
        )
    else:
        url = path or {}
        attributes = Attributes(str(url.get("verb") or ""), str(url.get("path") or ""))
    review["status"] = {"allowed": authorize(user, attributes)}
    return json_response(201, review)


def self_review(user: User, request: Request) -> Response:
    """SelfSubjectReview: `status.userInfo` of the caller."""
    review = _review(request, "SelfSubjectReview", "authentication.k8s.io/v1")
    review["status"] = {"userInfo": {"username": user.name, "groups": list(user.groups)}}
    return json_response(201, review)


REVIEWS: dict[str, Callable[[User, Request], Response]] = {
    ACCESS_REVIEWS: access_review,
    SELF_REVIEWS: self_review,
}


def answer(user: User | None, request: Request) -> Response | None:
    """The answer to a review `request` makes, or None when it asks for no review."""
    review = REVIEWS.get(request.path.rstrip("/"))
    if review is None or user is None or request.verb != "POST":
        return None
    try:
        return review(user, request)
    except ApiError as exc:
        return error_response(exc)
