"""Who may do what: the owner anything, a learner what `edit` or `view` allow in its namespace.

mkctl has two kinds of user. The owner of the cluster (the daemon's token) is bound to
`cluster-admin`, as kubeadm binds its admin. A learner (`controlplane.models.learners`)
holds the rights a Kubernetes administrator gives with one RoleBinding of the `edit` or
`view` ClusterRole in the learner's namespace, plus what every authenticated user has
(`system:discovery`, `system:basic-user`) and reads of nodes, so that a class sees the
nodes it shares. The rules below are those of the aggregated ClusterRoles in
plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go (`system:aggregate-to-view`,
`system:aggregate-to-edit`; `edit` aggregates `view`), and they are matched as RBAC
matches them (plugin/pkg/auth/authorizer/rbac/rbac.go, `RulesAllow`): a rule of a
RoleBinding applies only to requests in its namespace, so a list over every namespace
(`kubectl get pods -A`) is refused. A refusal is the 403 of
staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go, `Forbidden`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from controlplane.apiserver.requestinfo import Attributes

READ = ("get", "list", "watch")
WRITE = ("create", "update", "patch", "delete", "deletecollection")
AUTHENTICATED = "system:authenticated"
MASTERS = "system:masters"
LEARNERS = "mkctl:learners"


@dataclass(frozen=True)
class User:
    """user.Info: the name every message shows, and the groups (`kubectl auth whoami`)."""

    name: str
    groups: tuple[str, ...]
    namespace: str = ""  # a learner's: where its RoleBinding is
    role: str = ""  # "edit" or "view"; empty for the owner

    @property
    def cluster_admin(self) -> bool:
        return MASTERS in self.groups


OWNER = User("kubernetes-admin", (MASTERS, AUTHENTICATED))


def learner_user(name: str, namespace: str, role: str) -> User:
    return User(name, (LEARNERS, AUTHENTICATED), namespace, role)


@dataclass(frozen=True)
class Rule:
    """rbacv1.PolicyRule of resources: verbs on resources (`pods/log`) of one API group."""

    verbs: tuple[str, ...]
    group: str
    resources: tuple[str, ...]

    def allows(self, attributes: Attributes) -> bool:
        return (
            attributes.verb in self.verbs
            and attributes.api_group == self.group
            and attributes.resource_and_subresource in self.resources
        )


def _rules(verbs: tuple[str, ...], group: str, *resources: str) -> Rule:
    return Rule(verbs, group, resources)


# system:aggregate-to-view
VIEW = (
    _rules(
        READ,
        "",
        "pods",
        "replicationcontrollers",
        "replicationcontrollers/scale",
        "serviceaccounts",
        "services",
        "services/status",
        "endpoints",
        "persistentvolumeclaims",
        "persistentvolumeclaims/status",
        "configmaps",
    ),
    _rules(
        READ,
        "",
        "limitranges",
        "resourcequotas",
        "bindings",
        "events",
        "pods/status",
        "resourcequotas/status",
        "namespaces/status",
        "replicationcontrollers/status",
        "pods/log",
    ),
    # "read access to namespaces at the namespace scope means you can read *this* namespace"
    _rules(READ, "", "namespaces"),
    _rules(READ, "discovery.k8s.io", "endpointslices"),
    _rules(
        READ,
        "apps",
        "controllerrevisions",
        "statefulsets",
        "statefulsets/status",
        "statefulsets/scale",
        "daemonsets",
        "daemonsets/status",
        "deployments",
        "deployments/status",
        "deployments/scale",
        "replicasets",
        "replicasets/status",
        "replicasets/scale",
    ),
    _rules(READ, "autoscaling", "horizontalpodautoscalers", "horizontalpodautoscalers/status"),
    _rules(READ, "batch", "cronjobs", "cronjobs/status", "jobs", "jobs/status"),
    _rules(READ, "policy", "poddisruptionbudgets", "poddisruptionbudgets/status"),
    _rules(READ, "networking.k8s.io", "ingresses", "ingresses/status", "networkpolicies"),
)

# system:aggregate-to-edit, with `view`'s rules aggregated into `edit`
EDIT = (
    *VIEW,
    _rules(
        READ,
        "",
        "pods/attach",
        "pods/proxy",
        "pods/exec",
        "pods/portforward",
        "secrets",
        "services/proxy",
    ),
    _rules(("impersonate",), "", "serviceaccounts"),
    _rules(WRITE, "", "pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"),
    _rules(("create",), "", "pods/eviction"),
    _rules(
        WRITE,
        "",
        "replicationcontrollers",
        "replicationcontrollers/scale",
        "serviceaccounts",
        "services",
        "services/proxy",
        "persistentvolumeclaims",
        "configmaps",
        "secrets",
    ),
    _rules(("create",), "", "serviceaccounts/token"),
    _rules(
        WRITE,
        "apps",
        "statefulsets",
        "statefulsets/scale",
        "daemonsets",
        "deployments",
        "deployments/scale",
        "deployments/rollback",
        "replicasets",
        "replicasets/scale",
    ),
    _rules(WRITE, "autoscaling", "horizontalpodautoscalers"),
    _rules(WRITE, "batch", "jobs", "cronjobs"),
    _rules(WRITE, "policy", "poddisruptionbudgets"),
    _rules(WRITE, "networking.k8s.io", "networkpolicies", "ingresses"),
)

ROLE_RULES = {"edit": EDIT, "view": VIEW}

# What every learner holds at the cluster scope: system:basic-user's reviews of itself,
# and mkctl's reads of the nodes the class shares.
CLUSTER_RULES = (
    _rules(("create",), "authorization.k8s.io", "selfsubjectaccessreviews"),
    _rules(("create",), "authorization.k8s.io", "selfsubjectrulesreviews"),
    _rules(("create",), "authentication.k8s.io", "selfsubjectreviews"),
    _rules(READ, "", "nodes"),
)

# system:discovery and system:public-info-viewer: the paths every authenticated user gets.
DISCOVERY_PATHS = frozenset({"/livez", "/readyz", "/healthz", "/version", "/version/"})
DISCOVERY_PREFIXES = ("/openapi", "/api", "/apis")


def _path_allowed(path: str) -> bool:
    """rbacv1.NonResourceURLs `"/api", "/api/*"`: the path itself or anything under it."""
    return path in DISCOVERY_PATHS or any(
        path == prefix or path.startswith(prefix + "/") for prefix in DISCOVERY_PREFIXES
    )


def _any_allows(rules: Iterable[Rule], attributes: Attributes) -> bool:
    return any(rule.allows(attributes) for rule in rules)


def authorize(user: User, attributes: Attributes) -> bool:
    """Does `user` hold a right to `attributes`?"""
    if user.cluster_admin:
        return True
    if not attributes.resource_request:
        return attributes.verb == "get" and _path_allowed(attributes.path)
    if _any_allows(CLUSTER_RULES, attributes):
        return True
    return attributes.namespace == user.namespace != "" and _any_allows(
        ROLE_RULES.get(user.role, ()), attributes
    )


def forbidden_message(user: User, attributes: Attributes) -> str:
    """`forbiddenMessage` of responsewriters/errors.go."""
    if not attributes.resource_request:
        return f'User "{user.name}" cannot {attributes.verb} path "{attributes.path}"'
    what = (
        f'User "{user.name}" cannot {attributes.verb} resource '
        f'"{attributes.resource_and_subresource}" in API group "{attributes.api_group}"'
    )
    if attributes.namespace:
        return f'{what} in the namespace "{attributes.namespace}"'
    return f"{what} at the cluster scope"


def forbidden_status(user: User, attributes: Attributes) -> dict[str, object]:
    """The Status body of a refusal: `apierrors.NewForbidden` of the group and resource
    (without the subresource) and the name, around `forbiddenMessage`."""
    why = forbidden_message(user, attributes)
    resource = attributes.resource
    if attributes.api_group and resource:
        resource = f"{resource}.{attributes.api_group}"
    if not resource:
        message = f"forbidden: {why}"
    elif attributes.name:
        message = f'{resource} "{attributes.name}" is forbidden: {why}'
    else:
        message = f"{resource} is forbidden: {why}"
    details = {
        key: value
        for key, value in (
            ("name", attributes.name),
            ("group", attributes.api_group),
            ("kind", attributes.resource),
        )
        if value
    }
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": "Forbidden",
        "details": details,
        "code": 403,
    }
