"""A learner's token over a real socket: known from its Secret in the store (by any API
server over that store), refused once the Secret is gone, forbidden outside its namespace."""

from __future__ import annotations

import json

from controlplane.api.verbs import Api
from controlplane.apiserver.http import ApiServer
from controlplane.models import learners
from tests.clients import call

UNAUTHORIZED = 401


def add_learner(api: Api, name: str, role: str = "edit") -> str:
    token = learners.new_token(name)
    api.create(learners.learner_secret(learners.Learner(name, name, role), token))
    return token


def test_a_learner_token_reaches_its_namespace_and_no_other(
    served: tuple[Api, ApiServer],
) -> None:
    api, server = served
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kube-system"}})
    token = add_learner(api, "default")  # the learner `default` owns namespace `default`
    own = call(server.url, "GET", "/api/v1/namespaces/default/pods", token=token)
    assert own.code == 200
    assert {p["metadata"]["name"] for p in own.json()["items"]} == {"a", "b"}
    other = call(server.url, "GET", "/api/v1/namespaces/kube-system/secrets", token=token)
    assert (other.code, other.json()["reason"]) == (403, "Forbidden")
    assert other.json()["message"] == (
        'secrets is forbidden: User "default" cannot list resource "secrets" in API group "" '
        'in the namespace "kube-system"'
    )
    everywhere = call(server.url, "GET", "/api/v1/pods?watch=true", token=token)
    assert everywhere.code == 403


def test_a_wrong_or_revoked_learner_token_is_unauthorized(
    served: tuple[Api, ApiServer],
) -> None:
    api, server = served
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kube-system"}})
    token = add_learner(api, "default")
    path = "/api/v1/namespaces/default/pods"
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert call(server.url, "GET", path, token=forged).code == UNAUTHORIZED
    assert call(server.url, "GET", path, token="nobody.secret").code == UNAUTHORIZED
    api.delete("Secret", "kube-system", learners.secret_name("default"))
    assert call(server.url, "GET", path, token=token).code == UNAUTHORIZED


def test_the_store_holds_only_the_hash_of_a_token(served: tuple[Api, ApiServer]) -> None:
    api, _ = served
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kube-system"}})
    token = add_learner(api, "ana", "view")
    secret = api.get("Secret", "kube-system", "mkctl-learner-ana")
    assert token.split(".", 1)[1] not in json.dumps(secret)
    assert learners.authenticate(secret, token) == learners.Learner(
        "ana", "ana", "view", secret["metadata"]["creationTimestamp"]
    )


def review(server: ApiServer, token: str, path: str, body: dict[str, object]) -> tuple[int, dict]:
    answer = call(server.url, "POST", path, json.dumps(body).encode(), token=token)
    return answer.code, answer.json()


def access(attributes: dict[str, object]) -> dict[str, object]:
    return {
        "kind": "SelfSubjectAccessReview",
        "apiVersion": "authorization.k8s.io/v1",
        "spec": attributes,
    }


def test_a_learner_asks_what_it_may_do_and_who_it_is(served: tuple[Api, ApiServer]) -> None:
    api, server = served
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kube-system"}})
    token = add_learner(api, "default", "view")
    path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"
    asks = [
        ({"resourceAttributes": {"namespace": "default", "verb": "list", "resource": "pods"}},
         True),
        ({"resourceAttributes": {"namespace": "default", "verb": "create", "resource": "pods"}},
         False),
        ({"resourceAttributes": {"verb": "list", "resource": "pods"}}, False),
        ({"resourceAttributes": {"verb": "watch", "resource": "nodes"}}, True),
        ({"nonResourceAttributes": {"verb": "get", "path": "/apis/apps"}}, True),
    ]  # fmt: skip
    for spec, allowed in asks:
        code, answer = review(server, token, path, access(spec))
        assert (code, answer["status"], answer["spec"]) == (201, {"allowed": allowed}, spec)
    code, invalid = review(server, token, path, access({}))
    assert (code, invalid["reason"]) == (422, "Invalid")
    assert invalid["message"] == (
        'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: '
        "Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must "
        "be specified"
    )
    me = {"kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1"}
    code, answer = review(server, token, "/apis/authentication.k8s.io/v1/selfsubjectreviews", me)
    assert (code, answer["status"]) == (
        201,
        {"userInfo": {"username": "default", "groups": ["mkctl:learners", "system:authenticated"]}},
    )
