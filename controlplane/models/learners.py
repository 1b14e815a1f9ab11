"""Learners: people given a token that reaches one namespace of a shared cluster.

Kubernetes keeps no user objects: a token authenticator maps a bearer token to a user, and
RBAC bindings say what the user may do. mkctl keeps both for a learner in one Secret in
`kube-system` (as bootstrap tokens live there, staging/src/k8s.io/cluster-bootstrap/token/
api/types.go), so every API server over the same store knows every learner, and a learner
removed is refused at once by all of them:

- the token itself is never stored, only its SHA-256 (a token is 256 random bits, so an
  unsalted hash is enough to make a copied store useless for logging in);
- the token names its learner (`ana.<secret>`), so an API server finds the Secret by name
  instead of hashing against every learner's;
- the namespace and role (`edit` or `view`, the ClusterRoles of
  plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go) stand for the RoleBinding a
  Kubernetes administrator would create in that namespace.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from controlplane.models.constants import Obj

SYSTEM_NAMESPACE = "kube-system"
SECRET_PREFIX = "mkctl-learner-"
SECRET_TYPE = "mkctl.dev/learner-token"
LEARNER_LABEL = "mkctl.dev/learner"
ROLES = ("edit", "view")


@dataclass(frozen=True)
class Learner:
    name: str  # the user name in every message: `User "ana" cannot ...`
    namespace: str
    role: str  # "edit" or "view"
    created: str = ""  # creationTimestamp of the Secret


def secret_name(name: str) -> str:
    return SECRET_PREFIX + name


def new_token(name: str) -> str:
    return f"{name}.{secrets.token_urlsafe(32)}"


def token_learner(token: str) -> str | None:
    """The learner a token names, or None when it is not shaped as a learner's token."""
    name, dot, secret = token.partition(".")
    return name if dot and name and secret else None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _encode(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _decode(data: dict[str, str], key: str) -> str:
    try:
        return base64.b64decode(data.get(key) or "").decode()
    except ValueError:
        return ""


def learner_secret(learner: Learner, token: str) -> Obj:
    """The Secret that stands for `learner`, holding the hash of `token`."""
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": secret_name(learner.name),
            "namespace": SYSTEM_NAMESPACE,
            "labels": {LEARNER_LABEL: learner.name},
        },
        "type": SECRET_TYPE,
        "data": {
            "user": _encode(learner.name),
            "namespace": _encode(learner.namespace),
            "role": _encode(learner.role),
            "token-sha256": _encode(token_hash(token)),
        },
    }


def from_secret(secret: Obj) -> Learner | None:
    """The learner a Secret stands for, or None when it is not a learner's."""
    if secret.get("type") != SECRET_TYPE:
        return None
    data = secret.get("data") or {}
    role = _decode(data, "role")
    name, namespace = _decode(data, "user"), _decode(data, "namespace")
    if not (name and namespace) or role not in ROLES:
        return None
    created = (secret.get("metadata") or {}).get("creationTimestamp") or ""
    return Learner(name, namespace, role, created)


def authenticate(secret: Obj, token: str) -> Learner | None:
    """The learner `token` logs in as, if `secret` is that learner's and holds its hash."""
    learner = from_secret(secret)
    stored = _decode(secret.get("data") or {}, "token-sha256")
    if learner is None or not hmac.compare_digest(stored.encode(), token_hash(token).encode()):
        return None
    return learner
