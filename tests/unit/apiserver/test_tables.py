"""GETs answered as `meta.k8s.io/v1` Tables when Accept asks for one, as kube-apiserver does
(staging/src/k8s.io/apiserver/pkg/endpoints/handlers/response.go, asTable), and the same Table
over a real loopback socket."""

from __future__ import annotations

import pytest

from controlplane.api.errors import ApiError
from controlplane.api.registry import kind_info
from controlplane.api.verbs import Api
from controlplane.apiserver.handlers import handle
from controlplane.apiserver.http import ApiServer
from controlplane.apiserver.negotiation import table_version
from controlplane.apiserver.paths import Route
from controlplane.clock import FakeClock
from minikubectl.kubectl.wire import TABLE_ACCEPT
from minikubectl.remote import RemoteApi
from tests.clients import TEST_TOKEN, call

PLAIN = "application/json"


def route(kind: str, namespace: str | None = "default", name: str = "") -> Route:
    return Route(kind_info(kind), namespace, name)


def make_pod(api: Api, name: str, phase: str = "") -> dict:
    pod = api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]},
        }
    )
    if phase:
        pod["status"] = {"phase": phase}
        pod = api.update_status(pod)
    return pod


@pytest.mark.parametrize(
    ("accept", "version"),
    [
        (TABLE_ACCEPT, "v1"),
        ("application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json", "v1beta1"),
        ("application/json", None),
        ("", None),
        ("*/*", None),
        ("application/vnd.kubernetes.protobuf,application/json", None),
        # a clause mkctl cannot serve is skipped, the next one decides
        ("application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io,application/json", None),
        ("application/yaml;as=Table;v=v1;g=meta.k8s.io,application/json", None),
        ("application/json;as=Table;v=v2;g=meta.k8s.io,application/json", None),
        ("application/json;as=Table;v=v1;g=other.io," + TABLE_ACCEPT, "v1"),
        # quality first, then order
        ("application/json;q=0.5,application/json;as=Table;v=v1;g=meta.k8s.io", "v1"),
        ("application/json;as=Table;v=v1;g=meta.k8s.io;q=0.9,application/json", None),
    ],
)
def test_accept_negotiation(accept: str, version: str | None) -> None:
    assert table_version(accept) == version


def test_a_list_as_kubectl_asks_for_it(api: Api) -> None:
    make_pod(api, "a")
    make_pod(api, "b")
    code, table = handle(api, "GET", route("Pod"), {}, b"", accept=TABLE_ACCEPT)
    assert code == 200
    assert (table["kind"], table["apiVersion"]) == ("Table", "meta.k8s.io/v1")
    assert table["metadata"] == {"resourceVersion": str(api.current_revision())}
    columns = table["columnDefinitions"]
    assert [(c["name"], c["type"], c["format"], c["priority"]) for c in columns] == [
        ("Name", "string", "name", 0),
        ("Ready", "string", "", 0),
        ("Status", "string", "", 0),
        ("Restarts", "string", "", 0),
        ("Age", "string", "", 0),
        ("IP", "string", "", 1),
        ("Node", "string", "", 1),
        ("Nominated Node", "string", "", 1),
        ("Readiness Gates", "string", "", 1),
    ]
    assert columns[0]["description"].startswith("Name must be unique within a namespace.")
    assert columns[4]["description"].startswith("CreationTimestamp is a timestamp")
    assert [row["cells"] for row in table["rows"]] == [
        [name, "0/1", "Pending", "0", "0s", "<none>", "<none>", "<none>", "<none>"]
        for name in ("a", "b")
    ]
    first = table["rows"][0]["object"]
    stored = api.get("Pod", "default", "a")
    assert first == {
        "kind": "PartialObjectMetadata",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": stored["metadata"],
    }


def test_ages_come_from_the_servers_clock(api: Api, clock: FakeClock) -> None:
    make_pod(api, "a")
    clock.advance(125)
    _, table = handle(api, "GET", route("Pod", name="a"), {}, b"", accept=TABLE_ACCEPT)
    assert table["rows"][0]["cells"][4] == "2m5s"


def test_a_single_object_is_a_one_row_table_at_its_resource_version(api: Api) -> None:
    pod = make_pod(api, "a")
    make_pod(api, "b")
    _, table = handle(api, "GET", route("Pod", name="a"), {}, b"", accept=TABLE_ACCEPT)
    assert table["metadata"] == {"resourceVersion": pod["metadata"]["resourceVersion"]}
    assert [row["cells"][0] for row in table["rows"]] == ["a"]


def test_include_object(api: Api) -> None:
    make_pod(api, "a")
    _, full = handle(
        api, "GET", route("Pod"), {"includeObject": ["Object"]}, b"", accept=TABLE_ACCEPT
    )
    assert full["rows"][0]["object"] == api.get("Pod", "default", "a")
    _, bare = handle(
        api, "GET", route("Pod"), {"includeObject": ["None"]}, b"", accept=TABLE_ACCEPT
    )
    assert bare["rows"][0]["object"] is None
    with pytest.raises(ApiError) as bad:
        handle(api, "GET", route("Pod"), {"includeObject": ["All"]}, b"", accept=TABLE_ACCEPT)
    assert (bad.value.code, bad.value.reason) == (400, "BadRequest")
    assert bad.value.message == 'unrecognized includeObject value: "All"'
    # upstream applies includeObject row by row: with no rows there is nothing to refuse
    _, empty = handle(
        api, "GET", route("Deployment"), {"includeObject": ["All"]}, b"", accept=TABLE_ACCEPT
    )
    assert empty["rows"] == []


def test_v1beta1_tables_and_plain_json(api: Api) -> None:
    make_pod(api, "a")
    beta = "application/json;as=Table;v=v1beta1;g=meta.k8s.io"
    _, table = handle(api, "GET", route("Pod"), {}, b"", accept=beta)
    assert table["apiVersion"] == "meta.k8s.io/v1beta1"
    assert table["rows"][0]["object"]["apiVersion"] == "meta.k8s.io/v1beta1"
    _, listed = handle(api, "GET", route("Pod"), {}, b"", accept=PLAIN)
    assert listed["kind"] == "PodList"
    _, single = handle(api, "GET", route("Pod", name="a"), {}, b"", accept=PLAIN)
    assert single["kind"] == "Pod"


def test_selectors_and_errors_apply_to_tables(api: Api) -> None:
    make_pod(api, "a")
    _, none = handle(
        api, "GET", route("Pod"), {"labelSelector": ["app=db"]}, b"", accept=TABLE_ACCEPT
    )
    assert none["rows"] == []
    with pytest.raises(ApiError) as missing:
        handle(api, "GET", route("Pod", name="nope"), {}, b"", accept=TABLE_ACCEPT)
    assert missing.value.code == 404


def test_terminal_pods_are_completed_rows(api: Api) -> None:
    make_pod(api, "done", "Succeeded")
    make_pod(api, "failed", "Failed")
    make_pod(api, "running", "Running")
    _, table = handle(api, "GET", route("Pod"), {}, b"", accept=TABLE_ACCEPT)
    conditions = {row["cells"][0]: row.get("conditions") for row in table["rows"]}
    assert conditions == {
        "done": [
            {
                "type": "Completed",
                "status": "True",
                "reason": "Succeeded",
                "message": "The pod has completed successfully.",
            }
        ],
        "failed": [
            {
                "type": "Completed",
                "status": "True",
                "reason": "Failed",
                "message": "The pod failed.",
            }
        ],
        "running": None,
    }


def test_counts_are_integer_cells(api: Api) -> None:
    _, table = handle(api, "GET", route("Node", ""), {}, b"", accept=TABLE_ACCEPT)
    assert table["rows"] == []
    api.create(
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "replicas": 3,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "c", "image": "nginx"}]},
                },
            },
        }
    )
    _, table = handle(api, "GET", route("ReplicaSet"), {}, b"", accept=TABLE_ACCEPT)
    types = [c["type"] for c in table["columnDefinitions"]]
    assert types[:4] == ["string", "integer", "integer", "integer"]
    assert table["rows"][0]["cells"] == ["web", 3, 0, 0, "0s", "c", "nginx", "app=web"]


def test_tables_over_http(served: tuple[Api, ApiServer]) -> None:
    api, server = served
    remote = RemoteApi(server.url, TEST_TOKEN)
    remote.connect()
    table = remote.table(kind_info("Pod"), "default", "", {"includeObject": "Object"})
    assert table["kind"] == "Table"
    assert table["rows"][0]["object"] == api.get("Pod", "default", "a")
    assert remote.list("Pod", "default") == api.list("Pod", "default")  # plain, as before
    remote.close()
    answer = call(
        server.url, "GET", "/api/v1/namespaces/default/pods/a", headers={"Accept": TABLE_ACCEPT}
    )
    assert answer.code == 200 and answer.json()["kind"] == "Table"
    assert answer.json()["rows"][0]["object"]["kind"] == "PartialObjectMetadata"
