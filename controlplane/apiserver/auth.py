"""Who may talk to the API server, and how mkctl knows it talks to its own daemon.

The daemon listens on loopback, where every local user and every web page the user opens can
reach it. So, before a request is routed, `guarded` refuses:

- a `Host` that is not this server's loopback address (a page whose name was rebound to
  127.0.0.1 sends its own name), with 403;
- a method the API does not serve (OPTIONS is a CORS preflight: 405, and no CORS headers);
- a request without a bearer token the cluster knows, with 401 `Unauthorized` (a wrong
  token too: it never falls back to an anonymous user, as kube-apiserver's
  staging/src/k8s.io/apiserver/pkg/endpoints/filters/authentication.go answers a failed
  authentication), except the health and version paths, which kube-apiserver leaves to
  everyone (the `system:public-info-viewer` role of
  plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go). The daemon's token is the
  owner's (cluster-admin); a learner's token is looked up in the store
  (`controlplane.models.learners`), so every API server over one store knows it;
- what the user may not do, with 403 `Forbidden` (`authorizer`), as kube-apiserver's
  authorization filter (staging/src/k8s.io/apiserver/pkg/endpoints/filters/
  authorization.go) refuses it before any handler runs, watches included;
- a body whose `Content-Type` the verb does not accept, with 415 (a form or `text/plain`
  POST, which a page may send without a preflight, never creates an object), as the
  negotiation in staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go.

The token, and the proof a CLI asks for before it sends it, are in `daemon_token`.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from controlplane.api.errors import ApiError
from controlplane.apiserver import dashboard
from controlplane.apiserver.authorizer import (
    OWNER,
    User,
    authorize,
    forbidden_status,
    learner_user,
)
from controlplane.apiserver.daemon_token import CHALLENGE_HEADER, PROOF_HEADER, proof
from controlplane.apiserver.exchange import Request, Response, error_response, json_response
from controlplane.apiserver.requestinfo import request_attributes
from controlplane.models import learners

if TYPE_CHECKING:
    from controlplane.api.verbs import Api

# Who a learner's token logs in as: (learner name, token) -> the user, or None.
LearnerLookup = Callable[[str, str], User | None]

MAX_CHALLENGE_LENGTH = 128

# kube-apiserver serves these without authentication (system:public-info-viewer); mkctl adds
# the dashboard's static page and its login-code exchange (apiserver/dashboard).
UNAUTHENTICATED_PATHS = (
    frozenset({"/healthz", "/livez", "/readyz", "/version"}) | dashboard.PUBLIC_PATHS
)

# JSON, and protobuf as kubectl's typed commands send it (apiserver/protobuf).
JSON = ("application/json", "application/vnd.kubernetes.protobuf")
# staging/src/k8s.io/apimachinery/pkg/types/patch.go
PATCH = (
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
    "application/apply-patch+yaml",
)
ACCEPTED_BODIES: dict[str, tuple[str, ...]] = {
    "GET": JSON,
    "POST": JSON,
    "PUT": JSON,
    "DELETE": JSON,
    "PATCH": PATCH,
}


@dataclass(frozen=True)
class Guard:
    token: str
    port: int
    learners: LearnerLookup | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def hosts(self) -> frozenset[str]:
        return frozenset(f"{name}:{self.port}" for name in ("127.0.0.1", "localhost", "[::1]"))


# kube-apiserver's answer to a failed authentication, exactly: a Status without details
# (`Unauthorized` in staging/src/k8s.io/apiserver/pkg/endpoints/filters/authentication.go,
# which writes apierrors.NewUnauthorized("Unauthorized")).
UNAUTHORIZED_STATUS = {
    "kind": "Status",
    "apiVersion": "v1",
    "metadata": {},
    "status": "Failure",
    "message": "Unauthorized",
    "reason": "Unauthorized",
    "code": 401,
}


def authenticate(guard: Guard, request: Request) -> User | None:
    """The user whose bearer token `request` carries, or None when the token is unknown."""
    scheme, _, sent = request.header("authorization").partition(" ")
    token = sent.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    if hmac.compare_digest(token.encode(), guard.token.encode()):
        return OWNER
    name = learners.token_learner(token)
    if name is None or guard.learners is None:
        return None
    return guard.learners(name, token)


def store_learners(api: Api, lock: threading.Lock) -> LearnerLookup:
    """Learners as the store holds them, read on each request: one learner added or removed
    through any API server over the store is known to every one at its next request."""

    def lookup(name: str, token: str) -> User | None:
        with lock:
            try:
                secret = api.get("Secret", learners.SYSTEM_NAMESPACE, learners.secret_name(name))
            except ApiError:
                return None
        learner = learners.authenticate(secret, token)
        if learner is None:
            return None
        return learner_user(learner.name, learner.namespace, learner.role)

    return lookup


@dataclass(frozen=True)
class Admitted:
    """A request let through: its user, None on the paths open to everyone."""

    user: User | None


def admission(guard: Guard, request: Request) -> Admitted | Response:
    """Who sent `request`, or the response that refuses it."""
    host = request.header("host")
    if host not in guard.hosts():
        return error_response(
            ApiError("Forbidden", 403, f'the Host "{host}" is not this API server\'s address')
        )
    accepted = ACCEPTED_BODIES.get(request.verb)
    if accepted is None:
        return error_response(
            ApiError(
                "MethodNotAllowed",
                405,
                f"the server does not allow this method on the requested resource ({request.verb})",
            )
        )
    user = None
    if request.path not in UNAUTHENTICATED_PATHS:
        user = authenticate(guard, request)
        if user is None:
            return json_response(401, UNAUTHORIZED_STATUS)
        attributes = request_attributes(request)
        if not authorize(user, attributes):
            return json_response(403, forbidden_status(user, attributes))
    media_type = request.header("content-type").split(";")[0].strip().lower()
    if media_type and media_type not in accepted:
        return error_response(
            ApiError(
                "UnsupportedMediaType",
                415,
                f'the body of the request was in an unknown format "{media_type}" - accepted '
                f"media types include: {', '.join(accepted)}",
            )
        )
    return Admitted(user)


def guarded(
    guard: Guard, request: Request, route: Callable[[Request, User | None], Response]
) -> Response:
    """The answer to `request`: its refusal, or what `route` answers for its user (None on
    the paths open to everyone); signed if challenged."""
    admitted = admission(guard, request)
    response = admitted if isinstance(admitted, Response) else route(request, admitted.user)
    challenge = request.header(CHALLENGE_HEADER)
    if challenge and len(challenge) <= MAX_CHALLENGE_LENGTH:
        response.headers[PROOF_HEADER] = proof(guard.token, challenge, guard.address)
    return response
